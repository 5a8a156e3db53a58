"""The appreciate terminal app (Textual): screens, widgets, themes and the command palette.

Importing it means the app is about to start (the command line imports it for that alone), so
garbage collection is held off from here until the first screen has been drawn: see
`tui/collecting.py`.
"""

from appreciate_tui.tui.state import collecting
collecting.hold()
