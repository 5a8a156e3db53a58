"""The modal dialogs: each opens over a screen, asks one thing and dismisses with one answer (or
None when the facilitator changed their mind) to the screen that opened it.

- Forms: `new_conversation`, `question_form`, `participant_form`, `action_form`, `feedback_form`,
  `date_range` (the dates the list shows), `name_theme` (a theme's own name, in insights).
- Notes: `edit_note` (the one note editor: on one line while facilitating, in a text area when
  correcting the record), `attribute_note` (who said it); an escalation passed on:
  `handle_escalation` (F9, while facilitating), `record_handling` (in the wrap-up).
- Pickers on one frame, `picker.PickerScreen`: `pick` (a question to go to, a part of the record),
  `choose_phase`, `outcome_picker`; `bank_picker` browses every question bank.
- Yes or no: `confirm`, `end_conversation`; `retention` (conversations past the retention
  period, erased after a yes).
- Showing: `help` (F1, opening at the help of the screen it was pressed on; the texts are in
  `tui/help/`), `share_questions` (the sheet for participants), `clipboard_fallback`.

Every key a dialog shows in the footer has a binding id, `<dialog>.<what>` (`confirm.yes`), that
the keymap in settings can change (`tui/keys.py`); its hint line and buttons name its keys from
those bindings (`keys.key_hint`, `keys.with_keys`), so a remapped key is named as remapped. F1 opens
the help at the dialog's own section (`HELP = "plan.md#People"`) or else at its screen's help. A
dialog that reads or writes the store is a `base.StoreDialog` (`self.store`, typed).
"""
