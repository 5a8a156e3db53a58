"""Entering feedback per question at the wrap-up, keyboard only: a digit scores the highlighted
question and moves on, Backspace clears, Space ticks it most useful; anything that is not a score
changes nothing and says so. The line under the table counts participants and agencies apart and
gives each question's mean. The export form makes the printed feedback form."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from appreciate_tui.store import Store
from appreciate_tui.tui.dialogs.export import ExportScreen
from appreciate_tui.tui.dialogs.feedback_form import FeedbackFormScreen
from appreciate_tui.tui.widgets.feedback_table import FeedbackTable
from appreciate_tui.tui.widgets.question_scores import NOT_A_SCORE, QuestionScores
from tests.conftest import FrozenClock
from tests.tui.test_wrapup import fill, rows, said, wrapping_up
from tests.tui.wrapup_data import make_ended_conversation

pytestmark = pytest.mark.usefixtures("frozen_clock")

SAID = "Really useful 🙂 — مفيد جدا — שימושי"


@pytest.fixture
def cid(store: Store, frozen_clock: FrozenClock) -> str:
    return make_ended_conversation(store, frozen_clock.advance)


async def test_digits_score_the_questions_and_bad_keys_change_nothing(
    store: Store, cid: str, db_path: Path
) -> None:
    people = {p.pseudonym: p.id for p in store.list_participants(cid)}
    questions = [q.id for q in store.list_questions(cid)]
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f5", "n")
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        told: list[str] = []
        form.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign]
        form.query_one("#from", Select).value = f"p:{people['Health 1']}"
        scores = form.query_one("#scores", QuestionScores)
        scores.focus()
        await pilot.press("4")  # first question: 4, and on to the second
        assert scores.highlighted == 1
        await pilot.press("0", "6", "9", "x", "minus")  # not scores: nothing changes
        assert scores.scores == {questions[0]: 4} and scores.highlighted == 1
        assert told == [NOT_A_SCORE] * 3
        await pilot.press("5", "backspace")  # second: 5; on the third, nothing to clear
        await pilot.press("up", "backspace", "3")  # second cleared, then 3
        await pilot.press("space")  # the third ticked as most useful
        assert scores.scores == {questions[0]: 4, questions[1]: 3}
        assert " 4  ★★★★☆" in said(form, "#scores")
        await fill(pilot, form.query_one("#comments", Input), f"{SAID}\x1b[2J\x07")
        await pilot.press("enter")
        await pilot.pause()
        [given] = rows(db_path, "SELECT * FROM feedback WHERE participant_id = ?",
                       people["Health 1"])
        assert json.loads(given["question_scores"]) == {questions[0]: 4, questions[1]: 3}
        assert json.loads(given["useful_question_ids"]) == [questions[2]]
        # Emoji and right-to-left words kept exactly; no control byte is ever stored.
        assert given["comments"].startswith(SAID)
        assert "\x1b" not in given["comments"] and "\x07" not in given["comments"]
        summary = said(screen, "#feedback-summary")
        assert "2 participants gave feedback" in summary
        assert "Mean scores  Q1 4 (1) · Q2 3 (1)" in summary

        # For an agency: counted apart.
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        form.query_one("#from", Select).value = "a:Education"
        form.query_one("#scores", QuestionScores).focus()
        await pilot.press("2")
        await fill(pilot, form.query_one("#comments", Input), "")
        await pilot.press("enter")
        await pilot.pause()
        summary = said(screen, "#feedback-summary")
        assert "2 participants and 1 agency gave feedback" in summary
        assert "Q1 3 (2)" in summary

        # Changed later, the form opens with the scores given.
        table = screen.query_one(FeedbackTable)
        table.focus()
        table.highlight(given["id"])
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        assert form.query_one("#scores", QuestionScores).scores == {
            questions[0]: 4, questions[1]: 3}
        await pilot.press("escape")


async def test_the_export_form_makes_the_feedback_form_to_print(
    store: Store, cid: str, tmp_path: Path
) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#export-format", Select).value = "feedback-docx"
        await pilot.pause()
        path = dialog.query_one("#export-path", Input).value
        assert "feedback-form" in path and path.endswith(".docx")
        assert "not recorded as a share" in str(dialog.query_one("#export-note").render())
        target = tmp_path / "form.docx"
        dialog.query_one("#export-path", Input).value = str(target)
        dialog.action_export()
        await pilot.pause()
        assert app.screen is screen
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert store.list_shares(cid) == []
