"""Textual-free models behind the screens: the live conversation, the list, autosave."""
