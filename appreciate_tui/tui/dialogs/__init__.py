"""The modal dialogs: forms, pickers, confirmations, the help; each returns one answer to the screen that opened it."""
