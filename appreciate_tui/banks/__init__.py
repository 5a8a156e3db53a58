"""Question banks: the prepared questions a conversation is planned from.

    loader.py     bank files (TOML, one per bank): shipped in `data/banks/`, the facilitator's own
                  in the user banks folder. `load_banks`/`find_bank` read them, every mistake
                  reported as FILE:LINE:COL; `add_to_user_bank` keeps a question that worked
                  (written privately and whole, `paths.write_private`). Format: docs/banks.md.
    lint.py       the question linter: a question framed as a deficit, double-barrelled or
                  leading gets a warning with an appreciative way to ask it (`appreciate bank
                  check`, and as a question is written on the plan screen). Warnings only: a
                  bank always loads.
    planning.py   `conversation_from_bank`: a planned conversation holding a bank's questions
                  in phase order, ready to adapt (`appreciate new`, the new-conversation form).
"""
