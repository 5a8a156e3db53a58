"""`=7 #police` in the quick-note grammar, and the outcome areas file."""

from __future__ import annotations

from pathlib import Path

import pytest

from appreciate_tui.insights import outcomes
from appreciate_tui.domain import Participant, Stance
from appreciate_tui.quicknote import parse_quick_note

AGENCIES = ("Children's social care", "Health", "Police")
HEALTH_1 = Participant(id="p1", conversation_id="c", pseudonym="Health 1", agency="Health",
                       created_at="", updated_at="")


@pytest.mark.parametrize(
    ("line", "score", "body", "agency"),
    [
        ("=7 #police", 7, "", "Police"),
        ("= 10/10 #csc well chaired", 10, "well chaired", "Children's social care"),
        ("=0 #police", 0, "", "Police"),
        ("=3/10 #health1 slow handovers", 3, "slow handovers", "Health"),
    ],
)
def test_a_score(line: str, score: int, body: str, agency: str | None) -> None:
    read = parse_quick_note(line, [HEALTH_1], AGENCIES)
    assert (read.score, read.body, read.agency, read.stance) == (score, body, agency, Stance.NOTE)


@pytest.mark.parametrize("line", ["=6", "=6 #csc1 well chaired", "=6 #nobody"])
def test_a_score_nobody_known_gave_is_a_plain_note_as_typed(line: str) -> None:
    read = parse_quick_note(line, [HEALTH_1], AGENCIES)
    assert (read.score, read.unscored, read.stance, read.body) == (None, 6, Stance.NOTE, line)
    assert read.agency is None and read.participant_id is None


@pytest.mark.parametrize("line", ["=11 too many", "=7x", "x =7", "+ =7 good", "=-1", "7"])
def test_not_a_score_keeps_every_word(line: str) -> None:
    read = parse_quick_note(line, [], AGENCIES)
    assert read.score is None
    assert "7" in read.body or "11" in read.body or "1" in read.body


def test_the_shipped_areas_and_a_users_own(isolated_home: Path) -> None:
    shipped = outcomes.load_outcomes()
    assert shipped[0].title == "Children are safe from harm" and len(shipped) >= 5
    assert outcomes.outcomes_path() == outcomes.shipped_outcomes_path()
    mine = outcomes.user_outcomes_path()
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text('[[areas]]\nid = "early-help"\ntitle = "Early help works"\n', encoding="utf-8")
    assert [a.id for a in outcomes.load_outcomes()] == ["early-help"]
    mine.write_text('[[areas]]\nid = "Bad Id"\ntitle = "x"\n', encoding="utf-8")
    areas, problem = outcomes.load_outcomes_or_default()
    assert areas == shipped and "lower-case" in (problem or "")
    mine.write_text("[[areas]\n", encoding="utf-8")
    with pytest.raises(outcomes.OutcomesError, match="line 1"):
        outcomes.load_outcomes()
