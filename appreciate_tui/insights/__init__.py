"""Learning across conversations (DESIGN.md §9): what the partnership sees in all of them.

    compute.py    `compute`: the store's aggregate rows (store/insights.py) become an `Insights`:
                  stances over time, themes per stance, actions across conversations, voices per
                  agency, questions that work, outcome areas, scores. `as_json` for scripts.
    themes.py     themes: the phrases that recur in each stance's notes (a small method told in one
                  sentence, `METHOD`), read from the latest notes, never an escalated one, with
                  the facilitator's names, merges and hidden themes applied.
    charts.py     small charts made of characters (stacked bars, sparklines), plain text that the
                  insights screen colours and `appreciate insights` prints as it is.
    scores.py     scores (`=7 #police`): each conversation's, and each agency's over time per
                  scale question, with the scores no agency gave kept apart.
    outcomes.py   the partnership's outcomes framework (`outcomes.toml`): the areas insights are
                  reported by, the user's own file or the shipped one.

No SQL here (the store counts) and no Textual (the screen draws): tui/screens/insights.py and
cli/insights.py both show what `compute` returns.
"""
