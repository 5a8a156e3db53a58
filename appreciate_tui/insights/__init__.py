"""Learning across conversations: the insights, their charts, and outcomes."""
