"""The appreciate terminal app (Textual): screens, widgets, themes and the command palette."""
