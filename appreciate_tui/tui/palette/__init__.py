"""The command palette (ctrl+p): every action by name, `area: verb`, so a facilitator who forgets a
key types a few letters of what they want instead.

`base` holds what every screen offers (new conversation, insights, help, themes, quit, each
conversation to open, plan or wrap up) and `ScreenCommands`, the base of one provider per screen:
`home`, `plan`, `facilitate`, `review`, `wrapup`. Each command runs exactly what its key runs,
and its help text names that key from the binding (`{note.edit}`, filled in by
`tui.keys.with_keys`), so a key changed in the settings' keymap is named as changed.
"""
