"""What the screens know, kept apart from how Textual draws it: plain Python, no Textual import
(tests/test_layers.py holds that), so each rule here is tested without running the app.

- `autosave.py`: the one autosave engine. Whatever is typed (a draft note, a follow-up, the plan's
  details, the key learning) is on disk within 300 ms of the first unsaved keystroke: a debounce
  with a maximum wait, retried after a failed write, flushed on leaving and quitting; its timings
  and clock are injectable, so its tests never sleep.
- `live.py`: the live conversation as the facilitation screen holds it (questions in order, notes,
  who is here, what comes next, who has yet to speak).
- `browser.py`: the conversations list's model: filters, sorts, and the listing read a screenful
  at a time.
- `note_search.py`: the search of every note from the list, on a thread of its own.
- `collecting.py`: garbage collection held off while a screen is being built.
"""
