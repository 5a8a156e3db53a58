"""The plan screen, driven with keys as a facilitator would, checked against what is on disk:
a conversation planned from two banks, reordered, its details typed, people invited, and its
questions sent in advance."""

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
from textual.widgets import Input, Markdown, OptionList, Select, SelectionList, TextArea

from appreciate_tui import paths
from appreciate_tui.banks.loader import load_banks
from appreciate_tui.domain import ConversationStatus, Phase, Stance
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.state.autosave import Autosave
from appreciate_tui.tui.dialogs.bank_picker import BankPickerScreen
from appreciate_tui.tui.dialogs.confirm import ConfirmScreen
from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen
from appreciate_tui.tui.dialogs.share_questions import ShareQuestionsScreen
from appreciate_tui.tui.widgets.hanging import Hanging
from appreciate_tui.tui.widgets.plan_people import PeopleTable
from appreciate_tui.tui.widgets.plan_questions import PlanQuestions
from tests.helpers.private import assert_private_file

SAVED = Autosave.MAX_WAIT_SECONDS + 0.15
"""Long enough for typing to count as paused and the field to be written."""


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def cid(store: Store) -> str:
    return store.create_conversation("Front door", "What helps a referral land well?",
                                     date="2026-04-16").id


def rows(db_path: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    """Read what is on disk, through a connection of its own."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def plan_on_disk(db_path: Path) -> list[tuple[str, str]]:
    return [(r["phase"], r["text"]) for r in rows(
        db_path, "SELECT phase, text FROM questions WHERE parent_id IS NULL ORDER BY position")]


def conversation_on_disk(db_path: Path) -> sqlite3.Row:
    (row,) = rows(db_path, "SELECT * FROM conversations")
    return row


def said(screen: Any, selector: str = "Static") -> str:
    """The text of the widgets matching `selector`; for a list, the text of its options."""
    shown = []
    for widget in screen.query(selector):
        if isinstance(widget, OptionList):
            shown += [prompt_text(option.prompt) for option in widget.options]
        else:
            shown.append(str(widget.render()))
    return " ".join(shown)


def prompt_text(prompt: Any) -> str:
    if isinstance(prompt, Hanging):
        return prompt.gutter.plain + prompt.text.plain
    return prompt.plain if isinstance(prompt, Content) else str(prompt)


@asynccontextmanager
async def planning(
    store: Store, cid: str, size: tuple[int, int] = (120, 40), settings: Settings | None = None
) -> AsyncIterator[tuple[AppreciateApp, Pilot, PlanScreen]]:
    app = AppreciateApp(store, settings=settings or Settings())
    async with app.run_test(size=size) as pilot:
        app.plan_conversation(cid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        yield app, pilot, screen


async def type_into(pilot: Pilot, widget: Input, text: str) -> None:
    """Put `text` in a field as one change (typing keys one by one is tested where it matters)."""
    widget.focus()
    widget.value = text
    await pilot.pause()


# ------------------------------------------------------------------ questions


@pytest.mark.slow  # ~4 s on one core
async def test_a_plan_from_two_banks_then_reordered(store: Store, cid: str, db_path: Path) -> None:
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f5", "a")
        picker = app.screen
        assert isinstance(picker, BankPickerScreen)
        # The first bank by title is the appreciative interview: tick its first two questions.
        await pilot.press("tab", "space", "down", "space")
        # Then the MASH strategy meetings bank, two further down: tick its first question.
        await pilot.press("shift+tab", "down", "down", "tab", "space")
        assert "add 3 ticked" in said(picker, "#picker-hint")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert plan_on_disk(db_path) == [
            ("define", "Before we begin, what would make this conversation worth your time?"),
            ("define", "When a strategy meeting goes well for a child, what does 'effective' "
                       "mean to you?"),
            ("discover", "Tell us about a time in this work when you felt proud of what the "
                         "partnership achieved. What happened, and who did what?"),
        ]
        banked = {q.text: list(q.prompts) for b in load_banks()[0] for q in b.questions}
        for row in rows(db_path, "SELECT text, prompts FROM questions"):
            assert json.loads(row["prompts"]) == banked[row["text"]], "the probes come too"

        # The highlight is on the first question added: move it down one, then the last up two.
        assert app.screen.query_one(PlanQuestions).has_focus
        await pilot.press("right_square_bracket")
        assert [text[:9] for _, text in plan_on_disk(db_path)] == [
            "When a st", "Before we", "Tell us a"]
        await pilot.press("down", "shift+up", "shift+up")
        assert [text[:9] for _, text in plan_on_disk(db_path)] == [
            "Tell us a", "When a st", "Before we"]
        positions = [r["position"] for r in rows(db_path, "SELECT position FROM questions")]
        assert sorted(positions) == [0, 1, 2]


async def test_a_question_already_planned_cannot_be_added_twice(
    store: Store, cid: str, db_path: Path
) -> None:
    store.add_question(cid, "Before we begin, what would make this conversation worth your time?",
                       Phase.DEFINE)
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f5", "a", "tab")
        picker = app.screen
        assert isinstance(picker, BankPickerScreen)
        questions = picker.query_one("#picker-questions", SelectionList)
        assert questions.get_option_at_index(0).disabled
        assert questions.highlighted == 1, "the cursor starts on the first one not planned"
        assert "in the plan: Before we begin" in said(picker, "#picker-questions")
        await pilot.press("up", "space", "a")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    texts = [text for _, text in plan_on_disk(db_path)]
    assert len(texts) == len(set(texts)) == 2


@pytest.mark.slow  # ~4 s on one core
async def test_a_question_written_with_a_deficit_is_warned_not_blocked(
    store: Store, cid: str, db_path: Path
) -> None:
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f5", "n")
        form = app.screen
        assert isinstance(form, QuestionFormScreen)
        await type_into(pilot, form.query_one("#question-text", Input),
                        "Why did the strategy meeting fail?")
        warning = said(form, "#question-lint")
        assert "deficit" in warning
        assert "Tell me about a time when the strategy meeting worked well" in warning
        form.query_one(Select).value = Phase.DISCOVER
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        assert plan_on_disk(db_path) == [("discover", "Why did the strategy meeting fail?")]
        assert "⚠" in said(plan, "#plan-questions")
        assert "Tell me about a time" in said(plan, "#question-detail")

        # Reworded appreciatively, the warning goes.
        await pilot.press("e")
        await type_into(pilot, app.screen.query_one("#question-text", Input),
                        "Tell me about a strategy meeting that worked well. What made it work?")
        assert said(app.screen, "#question-lint") == ""
        await pilot.press("enter")
        await pilot.pause()
        assert plan_on_disk(db_path) == [
            ("discover", "Tell me about a strategy meeting that worked well. What made it work?")]
        assert "⚠" not in said(app.screen, "#plan-questions")


async def test_a_question_changes_phase_and_moves_with_it(
    store: Store, cid: str, db_path: Path
) -> None:
    for text, phase in [("Define it", Phase.DEFINE), ("Dream it", Phase.DREAM)]:
        store.add_question(cid, text, phase)
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f5", "p")
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert plan_on_disk(db_path) == [("design", "Define it"), ("dream", "Dream it")]


@pytest.mark.slow  # ~5 s on one core
async def test_a_question_is_removed_after_asking_unless_something_was_said(
    store: Store, cid: str, db_path: Path
) -> None:
    quiet = store.add_question(cid, "Quiet one", Phase.DEFINE)
    talked = store.add_question(cid, "Talked about", Phase.DISCOVER)
    store.add_note(cid, talked.id, "Calls start on time", Stance.STRENGTH)
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f5", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert [t for _, t in plan_on_disk(db_path)] == ["Talked about"]
        told: list[str] = []
        app.notify = lambda message, **_: told.append(message)  # type: ignore[method-assign]
        await pilot.press("d", "y")
        await pilot.pause()
        assert [t for _, t in plan_on_disk(db_path)] == ["Talked about"]
        assert any("notes under it" in message for message in told)
    assert quiet.id not in [r["id"] for r in rows(db_path, "SELECT id FROM questions")]


async def test_hostile_question_text_is_shown_not_obeyed(store: Store, cid: str) -> None:
    question = store.add_question(cid, "placeholder", Phase.DISCOVER)
    store.db.execute("UPDATE questions SET text = ? WHERE id = ?",
                     ["Evil\x1b]0;pwned\x07 [bold]question[/]", question.id])
    async with planning(store, cid) as (app, pilot, screen):
        await pilot.press("f5")
        shown = said(screen, "#question-detail")
        assert "Evil␛]0;pwned␇ [bold]question[/]" in shown


# ------------------------------------------------------------------ details


@pytest.mark.slow  # ~9 s on one core
async def test_details_are_saved_as_typed_and_mistakes_are_not(
    store: Store, cid: str, db_path: Path
) -> None:
    async with planning(store, cid) as (app, pilot, screen):
        assert screen.query_one("#title", Input).has_focus
        await type_into(pilot, screen.query_one("#setting", Input), "MASH meeting room, Exeter")
        await type_into(pilot, screen.query_one("#date", Input), "2026-02-30")
        await type_into(pilot, screen.query_one("#start-time", Input), "9:30")
        await type_into(pilot, screen.query_one("#facilitator", Input), "Practice lead")
        for phase, minutes in (("define", "5"), ("discover", "20"), ("dream", "15")):
            await type_into(pilot, screen.query_one(f"#budget-{phase}", Input), minutes)
        opening = screen.query_one("#opening", TextArea)
        opening.focus()
        await pilot.press(*"Thank you for coming.")
        assert "Date: 2026-02-30 does not exist" in said(screen, "#details-problem")
        await pilot.pause(SAVED)
        row = conversation_on_disk(db_path)
        assert row["setting"] == "MASH meeting room, Exeter"
        assert row["date"] == "2026-04-16", "an impossible date is not saved"
        assert row["start_time"] == "09:30"
        assert row["facilitator"] == "Practice lead"
        assert row["phase_budget"] == '{"define": 5, "discover": 20, "dream": 15}'
        assert row["opening"] == "Thank you for coming."
        assert "✓ saved" in said(screen, "#save-status")
        assert "40 minutes" in said(screen, "#budget-total")

        await type_into(pilot, screen.query_one("#date", Input), "2026-04-23")
        await pilot.pause(SAVED)
        assert conversation_on_disk(db_path)["date"] == "2026-04-23"
        assert "23 Apr 2026 09:30" in said(screen, "#plan-when")


async def test_what_was_just_typed_is_saved_on_leaving(
    store: Store, cid: str, db_path: Path
) -> None:
    async with planning(store, cid) as (app, pilot, screen):
        await type_into(pilot, screen.query_one("#title", Input), "Front door: spring")
        await pilot.press("escape")
        assert not isinstance(app.screen, PlanScreen)
        assert conversation_on_disk(db_path)["title"] == "Front door: spring"


@pytest.mark.slow  # ~4 s on one core
async def test_quitting_saves_what_was_just_typed(store: Store, cid: str, db_path: Path) -> None:
    async with planning(store, cid) as (app, pilot, screen):
        screen.query_one("#opening", TextArea).focus()
        await pilot.press(*"Why appreciative")
        await pilot.press("ctrl+q")
    assert conversation_on_disk(db_path)["opening"] == "Why appreciative"


async def test_the_screen_keys_work_from_inside_the_opening(store: Store, cid: str) -> None:
    async with planning(store, cid) as (app, pilot, screen):
        screen.query_one("#opening", TextArea).focus()
        await pilot.press("f6")
        assert isinstance(app.screen, ShareQuestionsScreen), "F6 is the screen's, not the field's"


async def test_an_empty_title_keeps_the_last_one(store: Store, cid: str, db_path: Path) -> None:
    async with planning(store, cid) as (app, pilot, screen):
        await type_into(pilot, screen.query_one("#title", Input), "   ")
        await pilot.pause(SAVED)
        assert "A title is needed" in said(screen, "#details-problem")
    assert conversation_on_disk(db_path)["title"] == "Front door"


# ------------------------------------------------------------------ people


async def fill_participant(app: AppreciateApp, pilot: Pilot, agency: str, *, new: str = "",
                           name: str = "", attended: bool = False) -> None:
    form = app.screen
    assert isinstance(form, ParticipantFormScreen)
    if agency:
        form.query_one("#agency", Select).value = agency
    if new:
        await type_into(pilot, form.query_one("#new-agency", Input), new)
    if attended:
        form.query_one("#attended").toggle()  # type: ignore[attr-defined]
    await type_into(pilot, form.query_one("#name", Input), name)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow  # ~11 s on one core
async def test_people_are_invited_changed_and_removed(
    store: Store, cid: str, db_path: Path
) -> None:
    settings = Settings()
    async with planning(store, cid, settings=settings) as (app, pilot, screen):
        await pilot.press("f4")
        assert screen.query_one(PeopleTable).has_focus
        assert "No one is on the list yet" in said(screen, "#people-summary")
        await pilot.press("a")
        await fill_participant(app, pilot, "Police", name="Sam")
        await pilot.press("a")
        await fill_participant(app, pilot, "", new="Youth justice", attended=True)
        people = rows(db_path, "SELECT pseudonym, name, agency, attended FROM participants "
                               "ORDER BY created_at, rowid")
        assert [tuple(p) for p in people] == [("Police 1", "Sam", "Police", 0),
                                              ("Youth justice 1", "", "Youth justice", 1)]
        assert settings.agencies == ["Youth justice"]
        assert Settings.load().agencies == ["Youth justice"], "remembered for next time"
        summary = said(screen, "#people-summary")
        assert "2 invited from 2 agencies" in summary and "1 took part" in summary
        assert "Health" in summary and "Children's social care" in summary

        # The list is by agency: Police 1 is above the person just added. Move them to Health:
        # the pseudonym follows.
        await pilot.press("up", "e")
        app.screen.query_one("#agency", Select).value = "Health"
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        assert rows(db_path, "SELECT pseudonym FROM participants WHERE name = 'Sam'")[0][0] == (
            "Health 1")
        await pilot.press("t", "i")
        sam = rows(db_path, "SELECT attended, invited FROM participants WHERE name = 'Sam'")[0]
        assert tuple(sam) == (1, 0)
        await pilot.press("d", "y")
        await pilot.pause()
        assert [r[0] for r in rows(db_path, "SELECT pseudonym FROM participants")] == [
            "Youth justice 1"]


# ------------------------------------------------------------------ sending the questions


@pytest.mark.slow  # ~4 s on one core
async def test_questions_go_out_in_advance_by_copy_and_by_file(
    store: Store, cid: str, db_path: Path, system_clipboard: list[str]
) -> None:
    store.add_question(cid, "When did a referral land well?", Phase.DISCOVER)
    follow_up = store.add_follow_up(cid, store.list_questions(cid)[0].id, "A private aside?")
    async with planning(store, cid) as (app, pilot, screen):
        assert "not sent to participants yet" in said(screen, "#shared-state")
        await pilot.press("f6")
        share = app.screen
        assert isinstance(share, ShareQuestionsScreen)
        sheet = share.query_one("#sheet", Markdown).source
        assert "When did a referral land well?" in sheet
        assert follow_up.text not in sheet, "never a follow-up"
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "When did a referral land well?" in app.clipboard
        assert system_clipboard == [app.clipboard]
        shared_at = conversation_on_disk(db_path)["questions_shared_at"]
        assert shared_at == "2026-03-12T09:30:00.000000+00:00"

        await pilot.press("m")
        await share.workers.wait_for_complete()
        await pilot.pause()
        (saved,) = paths.exports_dir().glob("*.md")
        assert "When did a referral land well?" in saved.read_text(encoding="utf-8")
        assert_private_file(saved)
        assert str(saved) in said(share, "#share-saved")
        await pilot.press("t", "t")
        await share.workers.wait_for_complete()
        await pilot.pause()
        assert len(list(paths.exports_dir().glob("*.txt"))) == 2, "a second save never overwrites"

        await pilot.press("escape")
        await pilot.pause()
        assert "Questions sent to participants 12 Mar 2026" in said(screen, "#shared-state")
    shares = [r[0] for r in rows(db_path, "SELECT format FROM shares ORDER BY created_at, rowid")]
    assert shares == ["questions-txt", "questions-md", "questions-txt", "questions-txt"]


# ------------------------------------------------------------------ facilitating, read-only, help


@pytest.mark.slow  # ~6 s on one core
async def test_f10_starts_facilitating_after_asking(store: Store, cid: str, db_path: Path) -> None:
    from appreciate_tui.tui.screens.facilitate import FacilitateScreen

    store.add_question(cid, "When did it go well?", Phase.DISCOVER)
    async with planning(store, cid) as (app, pilot, _):
        await pilot.press("f10")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PlanScreen)
        assert conversation_on_disk(db_path)["status"] == ConversationStatus.PLANNED
        await pilot.press("f10", "y")
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        assert conversation_on_disk(db_path)["status"] == ConversationStatus.LIVE


async def test_a_read_only_plan_can_be_read_not_changed(
    store: Store, cid: str, db_path: Path
) -> None:
    store.add_question(cid, "When did it go well?", Phase.DISCOVER)
    store.close()
    reader = Store.open(db_path, read_only=True)
    try:
        async with planning(reader, cid) as (app, pilot, screen):
            assert screen.query_one("#title", Input).disabled
            await pilot.press("f5", "d")
            assert isinstance(app.screen, PlanScreen), "no confirmation: nothing can change"
            assert "read-only" in said(screen, "#save-status")
    finally:
        reader.close()
    assert len(plan_on_disk(db_path)) == 1


async def test_every_key_and_command_is_in_the_palette_and_the_help(store: Store, cid: str) -> None:
    from appreciate_tui.tui.dialogs.help import HELP_DIR, help_files
    from appreciate_tui.tui.palette.plan import commands

    help_text = (HELP_DIR / "plan.md").read_text(encoding="utf-8")
    assert HELP_DIR / "plan.md" in help_files()
    async with planning(store, cid) as (_, _pilot, screen):
        for title, _, _ in commands(screen):
            assert title.startswith("plan: ")
            assert f"`{title}`" in help_text, title
    for binding in [*PlanScreen.BINDINGS, *PlanQuestions.BINDINGS, *PeopleTable.BINDINGS]:
        assert binding.description, binding  # type: ignore[union-attr]
        for key in binding.key.split(","):  # type: ignore[union-attr]
            shown = {"left_square_bracket": "[", "right_square_bracket": "]", "delete": "Delete",
                     "escape": "Escape", "shift+up": "shift+↑", "shift+down": "shift+↓",
                     }.get(key, key.upper() if key.startswith("f") else key)
            assert f"`{shown}`" in help_text, key


async def test_a_palette_command_runs(store: Store, cid: str, db_path: Path) -> None:
    from appreciate_tui.tui.palette.plan import commands

    store.add_question(cid, "First", Phase.DISCOVER)
    store.add_question(cid, "Second", Phase.DISCOVER)
    async with planning(store, cid) as (_, pilot, screen):
        run = {title: callback for title, callback, _ in commands(screen)}
        run["plan: move question down"]()
        # The list posts the move to the screen: give the message its turn, however busy the
        # machine (a fixed pause lost that race under load).
        for _ in range(100):
            if [t for _, t in plan_on_disk(db_path)] == ["Second", "First"]:
                break
            await pilot.pause(0.05)
        assert [t for _, t in plan_on_disk(db_path)] == ["Second", "First"]
