"""appreciate: run and capture appreciative conversations in a safeguarding partnership."""

__version__ = "0.1.0"
