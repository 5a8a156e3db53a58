"""The question linter: deficit, double-barrelled and leading questions are flagged with an
appreciative rephrasing; good appreciative questions (every shipped one included) are not called
deficit or leading."""

from __future__ import annotations

import pytest

from appreciate_tui.banks.loader import load_banks
from appreciate_tui.banks.lint import Framing, lint

GOOD = [
    "Tell me about a strategy meeting that went well for a child. What made it work?",
    "What does your agency bring to a strategy meeting that nobody else can?",
    "If MASH was operating at its best, what would an effective strategy meeting look like?",
    "What is working well, and why?",
    "Tell us about a time you felt proud. What happened, and who did what?",
    "How do police and health share information before a meeting?",
    "What would help every agency arrive prepared?",
    "On a scale of 0 to 10, where are we now?",
]

DEFICIT = [
    ("Why did the strategy meeting fail?", "the strategy meeting"),
    ("What went wrong with the referral from health?", "the referral from health"),
    ("What are the problems with strategy meetings?", "strategy meetings"),
    ("Why don't health come to meetings?", None),
    ("What doesn't work in the MASH?", None),
    ("Who is to blame for the late chronology?", None),
    ("Why does it keep failing?", None),
    ("Why do health never come to strategy meetings?", None),
    ("Why is the chronology not shared before the meeting?", None),
]

DOUBLE = [
    ("What works well and what would you change about it?",
     "What works well?", "What would you change about it?"),
    ("What brings you to strategy meetings, and what do you hope for from them?",
     "What brings you to strategy meetings?", "What do you hope for from them?"),
    ("Who else needs to be involved, and how will we know it is working?",
     "Who else needs to be involved?", "How will we know it is working?"),
]

LEADING = [
    "Don't you think the new rota is better?",
    "Wouldn't you agree that health should attend every meeting?",
    "Isn't it true that police always lead?",
    "The new rota works, doesn't it?",
    "Surely the shared chronology helps?",
    "Do you agree that the meetings are too long?",
    "It was obviously the right call, right?",
]


@pytest.mark.parametrize("text", GOOD)
def test_good_appreciative_questions_pass(text: str) -> None:
    assert lint(text) == []


@pytest.mark.parametrize(("text", "subject"), DEFICIT)
def test_deficit_questions_are_flagged_with_an_appreciative_rephrasing(
    text: str, subject: str | None
) -> None:
    warnings = lint(text)
    assert [w.framing for w in warnings] == [Framing.DEFICIT]
    hint = warnings[0].hint
    assert "well" in hint
    if subject is not None:
        assert f"a time when {subject} worked well" in hint
    assert lint(hint) == [], "the rephrasing passes the same rules"


@pytest.mark.parametrize(("text", "first", "second"), DOUBLE)
def test_double_barrelled_questions_are_split_in_two(text: str, first: str, second: str) -> None:
    warnings = lint(text)
    assert [w.framing for w in warnings] == [Framing.DOUBLE]
    assert warnings[0].hint == f"{first} (then ask: {second})"
    assert lint(first) == [] and lint(second) == []


@pytest.mark.parametrize("text", LEADING)
def test_leading_questions_are_flagged(text: str) -> None:
    warnings = lint(text)
    assert Framing.LEADING in [w.framing for w in warnings]
    leading = next(w for w in warnings if w.framing is Framing.LEADING)
    assert lint(leading.hint) == []


def test_a_question_can_have_more_than_one_problem() -> None:
    warnings = lint("Don't you think the meetings failed, and what should we do about it?")
    assert [w.framing for w in warnings] == [Framing.DEFICIT, Framing.DOUBLE, Framing.LEADING]
    assert all(w.message and w.hint for w in warnings)


def test_no_shipped_question_is_called_deficit_or_leading() -> None:
    banks, errors = load_banks()
    assert banks and not errors
    for bank in banks:
        for question in bank.questions:
            framings = {w.framing for w in lint(question.text)}
            assert not framings & {Framing.DEFICIT, Framing.LEADING}, question.text


@pytest.mark.parametrize("text", ["", "   ", "?", "and what?", "Failure?" * 200])
def test_odd_input_never_raises(text: str) -> None:
    lint(text)
