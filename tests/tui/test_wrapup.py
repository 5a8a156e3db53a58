"""The wrap-up screen, driven with keys as a facilitator would, checked against what is on disk:
actions drafted from `!` notes and completed, escalations recorded as handled, feedback given,
the key learning written, strengths celebrated and a follow-up kept in the facilitator's bank."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, SelectionList, TextArea

from appreciate_tui.banks.loader import USER_BANK_ID, find_bank
from appreciate_tui.domain import Phase
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.state.autosave import Autosave
from appreciate_tui.tui.dialogs.action_form import ActionFormScreen
from appreciate_tui.tui.dialogs.choose_phase import ChoosePhaseScreen
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.feedback_form import FeedbackFormScreen
from appreciate_tui.tui.dialogs.record_handling import RecordHandlingScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from appreciate_tui.tui.widgets.actions_table import ActionsTable
from appreciate_tui.tui.widgets.escalation_list import EscalationList
from appreciate_tui.tui.widgets.feedback_table import FeedbackTable
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.tui.widgets.keep_list import KeepList
from tests.conftest import FrozenClock
from tests.tui.wrapup_data import make_ended_conversation

SAVED = Autosave.MAX_WAIT_SECONDS + 0.15


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def cid(store: Store, frozen_clock: FrozenClock) -> str:
    return make_ended_conversation(store, frozen_clock.advance)


def rows(db_path: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def actions_on_disk(db_path: Path) -> list[sqlite3.Row]:
    return rows(db_path, "SELECT * FROM actions ORDER BY created_at, rowid")


def said(screen: Any, selector: str) -> str:
    shown = []
    for widget in screen.query(selector):
        if isinstance(widget, OptionList):
            for option in widget.options:
                prompt = option.prompt
                shown.append(prompt.gutter.plain + prompt.text.plain
                             if isinstance(prompt, Hanging) else Content(str(prompt)).plain)
        else:
            shown.append(str(widget.render()))
    return " ".join(shown)


@asynccontextmanager
async def wrapping_up(
    store: Store, cid: str, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[AppreciateApp, Pilot, WrapUpScreen]]:
    app = AppreciateApp(store)
    async with app.run_test(size=size) as pilot:
        app.wrap_up_conversation(cid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WrapUpScreen)
        yield app, pilot, screen


async def fill(pilot: Pilot, field: Input, text: str) -> None:
    field.focus()
    field.value = text
    await pilot.pause()


# ------------------------------------------------------------------ actions


async def test_every_action_note_is_drafted_once(store: Store, cid: str, db_path: Path) -> None:
    assert len(actions_on_disk(db_path)) == 1
    async with wrapping_up(store, cid) as (app, pilot, screen):
        drafted = actions_on_disk(db_path)
        assert [a["description"] for a in drafted] == [
            "Health to set up a duty rota for strategy calls",
            "Practice lead to draft a standard invitation with what to bring",
        ]
        assert all(a["note_id"] for a in drafted)
        assert screen.query_one(ActionsTable).has_focus
        assert "Escalations F4 ⚑1" in str(screen.query_one("#--content-tab-escalations-tab").label)
    async with wrapping_up(store, cid):
        assert len(actions_on_disk(db_path)) == 2, "never drafted twice"


@pytest.mark.slow  # ~6 s on one core
async def test_an_action_gets_an_owner_a_checked_date_and_a_status(
    store: Store, cid: str, db_path: Path
) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("down", "e")  # the drafted one, second in the list
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        assert "Practice lead to draft" in said(form, "#action-source")
        form.query_one("#owner", Select).value = "Children's social care"
        await fill(pilot, form.query_one("#due", Input), "next week")
        await pilot.press("enter")
        assert isinstance(app.screen, ActionFormScreen), "a bad date is said, not saved"
        assert "YYYY-MM-DD" in said(form, "#action-problem")
        await fill(pilot, form.query_one("#due", Input), "2026-4-30")
        await pilot.press("enter")
        await pilot.pause()
        drafted = actions_on_disk(db_path)[1]
        assert (drafted["owner"], drafted["due"], drafted["status"]) == (
            "Children's social care", "2026-04-30", "open")
        await pilot.press("s")
        assert actions_on_disk(db_path)[1]["status"] == "in_progress"

        # One from a note is dropped, not deleted: it is never drafted again.
        await pilot.press("d")
        assert actions_on_disk(db_path)[1]["status"] == "dropped"

        # One added here can be removed, after a confirmation.
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ActionFormScreen)
        await fill(pilot, form.query_one("#other-owner", Input), "Business support")
        await fill(pilot, form.query_one("#description", Input), "Book the next conversation")
        await pilot.press("enter")
        await pilot.pause()
        added = actions_on_disk(db_path)[2]
        assert (added["description"], added["owner"], added["note_id"]) == (
            "Book the next conversation", "Business support", None)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert len(actions_on_disk(db_path)) == 2


# ------------------------------------------------------------------ escalations


@pytest.mark.slow  # ~5 s on one core
async def test_an_open_escalation_is_recorded_as_handled(
    store: Store, cid: str, db_path: Path
) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f4")
        listed = said(screen, "#escalation-list")
        assert listed.index("⚑ OPEN") < listed.index("✓ done"), "open ones first"
        assert "passed to MASH team manager on duty" in listed
        assert "1 escalation not yet handled" in said(screen, "#escalations-said")
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, RecordHandlingScreen)
        await pilot.press("enter")
        assert "Say who it was passed to" in said(form, "#handling-problem")
        await fill(pilot, form.query_one("#passed-to", Input), "MASH duty manager by phone")
        await fill(pilot, form.query_one("#handled-when", Input), "2026-03-12 10:15")
        await pilot.press("enter")
        await pilot.pause()
        assert "Every escalation is recorded as handled" in said(screen, "#escalations-said")
    (row,) = rows(db_path, "SELECT escalation_handled_at, escalation_passed_to FROM notes "
                           "WHERE body LIKE 'Sibling%'")
    assert row["escalation_passed_to"] == "MASH duty manager by phone"
    assert row["escalation_handled_at"].startswith("2026-03-12T")


# ------------------------------------------------------------------ feedback


@pytest.mark.slow  # ~6 s on one core
async def test_feedback_is_given_per_participant_and_replaced_when_given_again(
    store: Store, cid: str, db_path: Path
) -> None:
    people = {p.pseudonym: p.id for p in store.list_participants(cid)}
    questions = [q.id for q in store.list_questions(cid)]
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f5", "n")
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        form.query_one("#from", Select).value = f"p:{people['Health 1']}"
        form.query_one("#rating", Select).value = 5
        form.query_one("#advance", Select).value = False
        useful = form.query_one("#scores", OptionList)
        useful.focus()
        await pilot.press("space", "down", "space")
        await fill(pilot, form.query_one("#comments", Input), "Worth the time")
        await pilot.press("enter")
        await pilot.pause()
        given = rows(db_path, "SELECT * FROM feedback WHERE participant_id = ?",
                     people["Health 1"])
        assert len(given) == 1
        assert (given[0]["rating"], given[0]["advance_questions_helped"], given[0]["comments"],
                json.loads(given[0]["useful_question_ids"])) == (
            5, 0, "Worth the time", [questions[0], questions[1]])
        summary = said(screen, "#feedback-summary")
        assert "2 participants gave feedback" in summary and "average rating 4.5 of 5" in summary
        assert "helped 1 of 2" in summary

        # Given again, it replaces what they said.
        table = screen.query_one(FeedbackTable)
        table.focus()
        table.highlight(given[0]["id"])
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, FeedbackFormScreen)
        form.query_one("#rating", Select).value = 3
        await fill(pilot, form.query_one("#comments", Input), "On reflection, long")
        await pilot.press("enter")
        await pilot.pause()
    given = rows(db_path, "SELECT rating, comments FROM feedback WHERE participant_id = ?",
                 people["Health 1"])
    assert [tuple(g) for g in given] == [(3, "On reflection, long")]


# ------------------------------------------------------------------ learning and successes


@pytest.mark.slow  # ~9 s on one core
async def test_the_key_learning_is_saved_as_typed_and_on_quitting(
    store: Store, cid: str, db_path: Path
) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f6")
        assert screen.query_one("#key-learning", TextArea).has_focus
        await pilot.press(*"Invite with **what to bring**")
        await pilot.pause(SAVED)
        (row,) = rows(db_path, "SELECT key_learning FROM conversations")
        assert row[0] == "Invite with **what to bring**"
        await pilot.press("enter", *"- health")
        await pilot.press("ctrl+q")
    (row,) = rows(db_path, "SELECT key_learning FROM conversations")
    assert row[0] == "Invite with **what to bring**\n- health"


@pytest.mark.slow  # ~5 s on one core
async def test_the_tab_keys_work_from_inside_the_key_learning(store: Store, cid: str) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f6", *"Some learning", "f7")
        assert screen.query_one(KeepList).has_focus, "F7 is the tab's, not the text field's"


@pytest.mark.slow  # ~5 s on one core
async def test_strengths_are_picked_to_celebrate(store: Store, cid: str, db_path: Path) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f6")
        successes = screen.query_one("#successes", SelectionList)
        assert successes.option_count == 2, "the two strengths, nothing else"
        successes.focus()
        await pilot.press("space", "down", "space")
        await pilot.pause()
    starred = rows(db_path, "SELECT body FROM notes WHERE starred = 1")
    assert [r[0] for r in starred] == ["Health attend when the invitation says what to bring"]


# ------------------------------------------------------------------ follow-ups


async def test_a_follow_up_worth_keeping_goes_into_my_bank(
    store: Store, cid: str, db_path: Path
) -> None:
    async with wrapping_up(store, cid) as (app, pilot, screen):
        await pilot.press("f7")
        listed = said(screen, "#keep-list")
        assert listed.index("◆") < listed.index("Who chaired it?"), "kept ones first"
        await pilot.press("enter")
        chooser = app.screen
        assert isinstance(chooser, ChoosePhaseScreen)
        await pilot.press("down", "enter")  # from discover to dream
        await pilot.pause()
        assert "✓ in your bank" in said(screen, "#keep-list")

        # k marks the other one worth keeping.
        await pilot.press("down", "k")
        await pilot.pause()
    bank = find_bank(USER_BANK_ID)
    assert [(q.phase, q.text) for q in bank.questions] == [
        (Phase.DREAM, "What made health able to come that time?")]
    assert [r[0] for r in rows(db_path, "SELECT text FROM questions WHERE worth_keeping = 1 "
                                        "ORDER BY created_at")] == [
        "What made health able to come that time?", "Who chaired it?"]


async def test_a_read_only_wrap_up_drafts_nothing_and_changes_nothing(
    store: Store, cid: str, db_path: Path
) -> None:
    store.close()
    reader = Store.open(db_path, read_only=True)
    try:
        async with wrapping_up(reader, cid) as (app, pilot, screen):
            assert screen.query_one("#key-learning", TextArea).read_only
            await pilot.press("s", "f6", "tab", "space")
            await pilot.pause()
            assert "read-only" in said(screen, "#save-status")
    finally:
        reader.close()
    assert len(actions_on_disk(db_path)) == 1, "nothing drafted"
    assert [r[0] for r in rows(db_path, "SELECT status FROM actions")] == ["open"]
    assert len(rows(db_path, "SELECT 1 FROM notes WHERE starred = 1")) == 1


# ------------------------------------------------------------------ help and palette


async def test_every_key_and_command_is_in_the_palette_and_the_help(store: Store, cid: str) -> None:
    from appreciate_tui.tui.dialogs.help import HELP_DIR, help_files
    from appreciate_tui.tui.palette.wrapup import commands

    help_text = (HELP_DIR / "wrapup.md").read_text(encoding="utf-8")
    assert HELP_DIR / "wrapup.md" in help_files()
    async with wrapping_up(store, cid) as (_, _pilot, screen):
        for title, _, _ in commands(screen):
            assert title.startswith("wrap-up: ")
            assert f"`{title}`" in help_text, title
    widgets = [ActionsTable, EscalationList, FeedbackTable, KeepList]
    for binding in [*WrapUpScreen.BINDINGS, *(b for w in widgets for b in w.BINDINGS)]:
        assert binding.description, binding  # type: ignore[union-attr]
        for key in binding.key.split(","):  # type: ignore[union-attr]
            shown = {"delete": "Delete", "escape": "Escape"}.get(
                key, key.upper() if key.startswith("f") else key)
            assert f"`{shown}`" in help_text, key


@pytest.mark.slow  # ~4 s on one core
async def test_the_palette_wraps_up_a_conversation_by_name(store: Store, cid: str) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"wrap up MASH")
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
