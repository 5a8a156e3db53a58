"""The web page's actions table keeps words whole: a column is never narrower than its longest word
("Status", "progress", "Children's"), on screen and on A4. Checked by eye in headless Chromium
(screenshot and print to PDF); here, the rules that make it so."""

from __future__ import annotations

import re

from appreciate_tui.reports.html import STYLE


def _declarations(selector: str) -> list[str]:
    """The overflow-wrap values given to `selector` (as written in a rule's selector list), in
    the order they apply."""
    found = []
    rules = re.sub(r"/\*.*?\*/", "", STYLE, flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", rules):
        if selector in [s.strip() for s in selectors.split(",")]:
            found += re.findall(r"overflow-wrap:\s*([\w-]+)", body)
    return found


def test_table_cells_never_break_inside_a_word_that_fits() -> None:
    # `anywhere` lets the table squeeze a column below its longest word ("Stat/us", "Ope/n");
    # `break-word` breaks only a word longer than the page.
    assert _declarations("th")[-1] == "break-word"
    assert _declarations("td")[-1] == "break-word"


def test_only_the_action_itself_may_break_a_word_too_long_for_the_page() -> None:
    assert _declarations("td:first-child") == ["anywhere"]
    assert STYLE.index("td:first-child") > STYLE.index("th, td { overflow-wrap: break-word")
