"""The app's full screens, one module each (the modal dialogs are in tui/dialogs/, the command
palette's providers in tui/palette/, the widgets in tui/widgets/, and what the screens know,
without Textual, in tui/state/). Rare screens are imported only when opened.

- `base.py`: `StoreScreen`, which every screen here is: the typed `app` and `store`, `save()` (the
  one way a write is made and a failure said in words) and `writable()` (the read-only check).
- `home.py`: the conversations list and the search of every note, with `home_filters.py` (its
  filters and sorts); `bin.py`: the deleted conversations, to restore or erase.
- `facilitate.py`: the facilitation screen, built from its parts: `facilitate_parts.py` (what they
  share), `facilitate_questions.py` (the current question, follow the flow),
  `facilitate_notes.py` (the keys on a note) and `facilitate_room.py` (clocks, pauses, who is here,
  round the room). The note line itself, and Enter saving a note, are in `facilitate.py`.
- `conversation_tabs.py`: what the plan and the wrap-up share (tabs, typed fields autosaved);
  `plan.py` with `plan_people_tab.py`, and `wrapup.py` with `wrapup_feedback.py`.
- `review.py`: a conversation's record, to read, search, copy and correct; `insights.py`: what
  every conversation says together.

The app shows a screen over the conversations list with `AppreciateApp._show_over_list` (app.py).
"""
