"""Learning across conversations (DESIGN.md §9): what the partnership sees in all of them.

    compute.py    `compute`: the store's aggregate rows (store/insights.py) become an `Insights`:
                  stances over time, themes per stance, actions across conversations, voices per
                  agency, questions that work, outcome areas, scores. `as_json` for scripts.
    charts.py     small charts made of characters (stacked bars, sparklines), plain text that the
                  insights screen colours and `appreciate insights` prints as it is.
    outcomes.py   the partnership's outcomes framework (`outcomes.toml`): the areas insights are
                  reported by, the user's own file or the shipped one.

No SQL here (the store counts) and no Textual (the screen draws): tui/screens/insights.py and
cli/insights.py both show what `compute` returns.
"""
