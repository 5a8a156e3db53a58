"""The facilitation screen, driven with keys as a facilitator would, checked against the database.

The database is read through a separate read-only SQLite connection: what a test asserts is what
is on disk, not what the screen believes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input

from appreciate_tui.domain import Stance
from appreciate_tui.store import SaveError, Store, StoreError
from appreciate_tui.store import draft_writer
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen
from appreciate_tui.tui.dialogs.end_conversation import EndConversationScreen
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.state.autosave import DraftAutosave
from appreciate_tui.tui.dialogs.handle_escalation import HandleEscalationScreen
from appreciate_tui.tui.widgets.note_input import LINE_LIMIT

HOSTILE = "Child Z \x1b]2;PWNED\x1b\\ said [bold]hi[/bold] \x1b[2J"


pytestmark = pytest.mark.usefixtures("frozen_clock")


def rows(db_path: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    """Read what is on disk, through a connection of its own."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def one(db_path: Path, sql: str, *params: Any) -> sqlite3.Row:
    found = rows(db_path, sql, *params)
    assert len(found) == 1, found
    return found[0]


def questions(store: Store, cid: str) -> list[str]:
    return [q.id for q in store.list_questions(cid)]


@asynccontextmanager
async def facilitating(
    store: Store, cid: str, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[AppreciateApp, Pilot, FacilitateScreen]]:
    app = AppreciateApp(store, conversation_id=cid)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FacilitateScreen)
        yield app, pilot, screen


async def type_line(pilot: Pilot, text: str, *, enter: bool = True) -> None:
    """Put a line in the focused input and press Enter. Tests that are about the keys themselves
    press every key; the others do this, because each simulated key costs a test ~60 ms."""
    focused = pilot.app.focused
    assert isinstance(focused, Input), focused
    focused.value = text
    if enter:
        await pilot.press("enter")
    await pilot.pause()


async def type_keys(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


# ---------------------------------------------------------------- opening, asking, ending


async def test_opening_makes_the_conversation_live_and_asks_the_first_question(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (app, _, screen):
        first = questions(store, cid)[0]
        conversation = one(db_path, "SELECT * FROM conversations WHERE id = ?", cid)
        assert conversation["status"] == "live"
        assert conversation["started_at"]
        assert conversation["current_question_id"] == first
        assert one(db_path, "SELECT status FROM questions WHERE id = ?", first)["status"] == "asked"
        assert app.focused is screen.notes_pane.input


async def test_typing_a_line_and_enter_saves_the_note_under_the_question(
    store: Store, cid: str, db_path: Path
) -> None:
    # What each mark and tag reads as is tests/test_facilitation_rules.py's: here, that the
    # screen reads the line with who is here and saves it under the question being asked.
    police1 = next(p.id for p in store.list_participants(cid) if p.pseudonym == "Police 1")
    async with facilitating(store, cid) as (_, pilot, screen):
        await type_line(pilot, "+ strategy calls start on time #police")
        note = one(db_path, "SELECT * FROM notes")
        assert (note["stance"], note["body"]) == ("strength", "strategy calls start on time")
        assert (note["agency"], note["participant_id"]) == ("Police", police1)
        assert note["question_id"] == questions(store, cid)[0]
        assert screen.notes_pane.input.value == ""
        assert screen.notes_pane.notes.option_count == 1
        assert rows(db_path, "SELECT * FROM drafts WHERE field = 'note'") == []


async def test_tab_completes_a_tag_and_never_leaves_the_note_line(store: Store, cid: str) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        await type_keys(pilot, "+ good #pol")
        await pilot.pause(0.1)  # the suggester runs in a worker
        await pilot.press("tab")
        assert screen.notes_pane.input.value == "+ good #police "
        await pilot.press("tab")
        assert app.focused is screen.notes_pane.input


@pytest.mark.slow  # ~5 s on one core
async def test_typing_a_note_never_triggers_an_action(
    store: Store, cid: str, db_path: Path
) -> None:
    line = "e a s x d u k p n + - ~ > ! . * 1 2 3 4 q"
    async with facilitating(store, cid) as (app, pilot, screen):
        await type_keys(pilot, line)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FacilitateScreen)
        assert app.focused is screen.notes_pane.input
    note = one(db_path, "SELECT * FROM notes")
    assert note["body"] == line
    assert not note["starred"] and not note["escalate"] and note["deleted_at"] is None
    assert all(p["attended"] for p in rows(db_path, "SELECT attended FROM participants"))


async def test_next_and_previous_question(store: Store, cid: str, db_path: Path) -> None:
    ids = questions(store, cid)

    def current() -> str:
        return one(db_path, "SELECT current_question_id FROM conversations")["current_question_id"]

    async with facilitating(store, cid) as (_, pilot, screen):
        await pilot.press("f6")
        assert current() == ids[1]
        assert (
            one(db_path, "SELECT status FROM questions WHERE id = ?", ids[1])["status"] == "asked"
        )
        await type_line(pilot, "+ under the second question")
        assert one(db_path, "SELECT question_id FROM notes")["question_id"] == ids[1]
        await pilot.press("ctrl+down")
        assert current() == ids[2]
        await pilot.press("f5")
        assert current() == ids[1]
        await pilot.press("ctrl+up", "f5")
        assert current() == ids[0]
        assert "question 1 of 5" in str(screen.notes_pane.question.render())


async def test_choosing_a_question_in_the_list_asks_it(
    store: Store, cid: str, db_path: Path
) -> None:
    ids = questions(store, cid)
    async with facilitating(store, cid) as (app, pilot, screen):
        await pilot.press("f7")
        assert app.focused is screen.questions
        await pilot.press("down", "down", "enter")  # the phase headings are passed over
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] == ids[2]
        assert app.focused is screen.notes_pane.input


async def test_marking_questions_asked_skipped_and_not_yet(
    store: Store, cid: str, db_path: Path
) -> None:
    ids = questions(store, cid)
    async with facilitating(store, cid) as (_, pilot, _screen):
        await pilot.press("f7", "down", "s")
        await pilot.pause()
        assert (
            one(db_path, "SELECT status FROM questions WHERE id = ?", ids[1])["status"] == "skipped"
        )
        await pilot.press("a")
        await pilot.pause()
        asked = one(db_path, "SELECT status, asked_at FROM questions WHERE id = ?", ids[1])
        assert asked["status"] == "asked" and asked["asked_at"]
        await pilot.press("p")
        await pilot.pause()
        assert (
            one(db_path, "SELECT status FROM questions WHERE id = ?", ids[1])["status"] == "pending"
        )


async def test_ending_asks_first_then_closes_and_wraps_up(
    store: Store, cid: str, db_path: Path
) -> None:
    from appreciate_tui.tui.screens.wrapup import WrapUpScreen

    async with facilitating(store, cid) as (app, pilot, _screen):
        await pilot.press("f10")
        assert isinstance(app.screen, EndConversationScreen)
        await pilot.press("n")
        assert isinstance(app.screen, FacilitateScreen)
        assert one(db_path, "SELECT status FROM conversations")["status"] == "live"
        await pilot.press("f10", "y")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        closed = one(db_path, "SELECT status, ended_at FROM conversations")
        assert closed["status"] == "closed" and closed["ended_at"]


async def test_a_backup_that_failed_at_the_end_is_said_in_the_wrap_up(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appreciate_tui.tui.screens.wrapup import WrapUpScreen

    def full(*args: object, **kwargs: object) -> None:
        raise StoreError("the backup could not be written: the disk is full")

    monkeypatch.setattr(Store, "rotate_backups", full)
    async with facilitating(store, cid) as (app, pilot, _screen):
        told: list[tuple[str, str]] = []
        app.notify = lambda message, title="", **_: told.append((title, message))  # type: ignore
        await pilot.press("f10", "y")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
    assert store.get_conversation(cid).status.value == "closed", "the ending stands"
    [(title, message)] = [(t, m) for t, m in told if "backup" in m]
    assert title == "No backup was made" and "the disk is full" in message


# ---------------------------------------------------------------- follow the flow


async def test_a_follow_up_becomes_current_and_takes_the_next_notes(
    store: Store, cid: str, db_path: Path
) -> None:
    first = questions(store, cid)[0]
    async with facilitating(store, cid) as (app, pilot, screen):
        await pilot.press("f3")
        assert app.focused is screen.flow.input
        await type_line(pilot, "What made health able to come?")
        follow_up = one(db_path, "SELECT * FROM questions WHERE kind = 'follow_up'")
        assert follow_up["parent_id"] == first
        assert follow_up["text"] == "What made health able to come?"
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] == follow_up["id"]
        assert app.focused is screen.notes_pane.input
        await type_line(pilot, "+ the rota #health")
        assert one(db_path, "SELECT question_id FROM notes")[0] == follow_up["id"]
        assert "follow-up to question 1" in str(screen.notes_pane.question.render())
        assert screen.flow.recent.option_count == 1

        await pilot.press("f5")  # from a follow-up, back to the question it follows
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] == first
        await pilot.press("ctrl+f")
        assert app.focused is screen.flow.input


async def test_a_follow_up_is_kept_for_a_bank(store: Store, cid: str, db_path: Path) -> None:
    async with facilitating(store, cid) as (_, pilot, _screen):
        await pilot.press("f3")
        await type_line(pilot, "Who else should be there?")
        await pilot.press("f3", "tab", "k")  # to the recent follow-ups, then keep
        await pilot.pause()
        assert one(db_path, "SELECT worth_keeping FROM questions WHERE kind = 'follow_up'")[0] == 1


# ---------------------------------------------------------------- changing a note


@pytest.mark.slow  # ~7 s on one core
async def test_edit_restance_star_attribute_delete_and_undo(
    store: Store, cid: str, db_path: Path
) -> None:
    police1 = next(p for p in store.list_participants(cid) if p.pseudonym == "Police 1")
    async with facilitating(store, cid) as (app, pilot, screen):
        await type_line(pilot, "+ calls on tme")
        await pilot.press("up")
        assert app.focused is screen.notes_pane.notes

        await pilot.press("e")
        assert isinstance(app.screen, EditNoteScreen)
        await pilot.press("ctrl+u", *"calls on time", "enter")  # as typed, in the edit box
        await pilot.pause()
        note = one(db_path, "SELECT * FROM notes")
        assert note["body"] == "calls on time"
        assert one(db_path, "SELECT body FROM note_revisions")["body"] == "calls on tme"

        await pilot.press("minus")
        await pilot.pause()
        assert one(db_path, "SELECT stance FROM notes")["stance"] == "concern"

        await pilot.press("asterisk")
        await pilot.pause()
        assert one(db_path, "SELECT starred FROM notes")["starred"] == 1

        await pilot.press("a")
        assert isinstance(app.screen, AttributeNoteScreen)
        # Nobody, Social care 1, Health 1, Health 2, Police 1
        await pilot.press("down", "down", "down", "down", "enter")
        await pilot.pause()
        attributed = one(db_path, "SELECT agency, participant_id FROM notes")
        assert tuple(attributed) == ("Police", police1.id)

        await pilot.press("d")
        await pilot.pause()
        assert one(db_path, "SELECT deleted_at FROM notes")["deleted_at"] is not None
        assert screen.notes_pane.notes.option_count == 0
        await pilot.press("u")
        await pilot.pause()
        assert one(db_path, "SELECT deleted_at FROM notes")["deleted_at"] is None
        assert screen.notes_pane.notes.option_count == 1


async def test_escalate_is_shown_until_handled(store: Store, cid: str, db_path: Path) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        await type_line(pilot, "- Child Z disclosed an injury today")
        assert not screen.escalations.display
        await pilot.press("f8")
        await pilot.pause()
        note = one(db_path, "SELECT * FROM notes")
        assert note["escalate"] == 1 and note["escalation_handled_at"] is None
        assert screen.escalations.display
        assert "Child Z disclosed" in str(screen.escalations.render())

        await pilot.press("f6")  # another question: the escalation stays in sight
        assert screen.escalations.display

        await pilot.press("f9")
        assert isinstance(app.screen, HandleEscalationScreen)
        await type_line(pilot, "MASH duty manager by phone")
        handled = one(db_path, "SELECT * FROM notes")
        assert handled["escalation_handled_at"] is not None
        assert handled["escalation_passed_to"] == "MASH duty manager by phone"
        assert not screen.escalations.display


async def test_x_on_a_note_flags_and_unflags(store: Store, cid: str, db_path: Path) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        await type_line(pilot, "worrying")
        await pilot.press("up", "x")
        await pilot.pause()
        assert one(db_path, "SELECT escalate FROM notes")[0] == 1
        await pilot.press("x")
        await pilot.pause()
        assert one(db_path, "SELECT escalate FROM notes")[0] == 0
        assert not screen.escalations.display


# ---------------------------------------------------------------- voices and balance


async def test_attendance_is_toggled_with_one_key(store: Store, cid: str, db_path: Path) -> None:
    first = store.list_participants(cid)[0]
    async with facilitating(store, cid) as (app, pilot, screen):
        await pilot.press("f4")
        assert app.focused is screen.voices.people
        await pilot.press("1")
        await pilot.pause()
        assert one(db_path, "SELECT attended FROM participants WHERE id = ?", first.id)[0] == 0
        await pilot.press("1")
        await pilot.pause()
        assert one(db_path, "SELECT attended FROM participants WHERE id = ?", first.id)[0] == 1


async def test_a_quiet_agency_and_the_dream_nudge(store: Store, cid: str) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        await type_line(pilot, "- nobody tells health #police")
        voices = " ".join(str(option.prompt.text) for option in screen.voices.agencies.options)
        assert "Health  quiet" in voices
        assert "Police" in voices and "Police  quiet" not in voices
        assert screen.balance.has_class("-nudging")
        await type_line(pilot, "~ health at every meeting #health")
        assert not screen.balance.has_class("-nudging")


# ---------------------------------------------------------------- durability


async def test_the_draft_is_saved_within_300_ms_of_the_last_keystroke(
    store: Store, cid: str, db_path: Path
) -> None:
    # The timing under steady typing is tests/tui/test_autosave.py's (its clock injected), and
    # Enter clearing the draft is `Store.commit_note`'s: here, that a keystroke on the screen
    # reaches the disk and the indicator.
    async with facilitating(store, cid) as (_, pilot, screen):
        screen.notes_pane.input.value = "+ half a tho"
        await type_keys(pilot, "u")
        await pilot.pause(0.3)
        assert (
            one(db_path, "SELECT body FROM drafts WHERE field = 'note'")["body"] == "+ half a thou"
        )
        assert "saved" in str(screen.header_strip.save_status.render())


async def test_flush_saves_at_once_even_after_the_widgets_are_gone(
    store: Store, cid: str, db_path: Path
) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        screen.notes_pane.input.value = "typed just before the window closed"
        screen.flow.input.value = "and a follow-up"
        app.exit()  # the app flushes on every way out, as on SIGHUP
        await pilot.pause()
    drafts = {row["field"]: row["body"] for row in rows(db_path, "SELECT field, body FROM drafts")}
    assert drafts == {"note": "typed just before the window closed", "flow": "and a follow-up"}
    screen.flush()  # again, with the screen long gone: harmless


async def test_reopening_resumes_the_question_and_the_draft(store: Store, cid: str) -> None:
    ids = questions(store, cid)
    store.start_conversation(cid)
    store.set_current_question(cid, ids[2])
    store.save_draft(cid, "note", "+ half-typed when the laptop died")
    store.save_draft(cid, "flow", "What would")
    async with facilitating(store, cid) as (_, _pilot, screen):
        assert screen.questions.question_id == ids[2]
        assert "question 3 of 5" in str(screen.notes_pane.question.render())
        assert screen.notes_pane.input.value == "+ half-typed when the laptop died"
        assert screen.flow.input.value == "What would"


async def test_a_failed_save_keeps_the_text_warns_and_retries(
    store: Store, cid: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = {"on": True}
    write_draft, add_note = draft_writer.write_draft, store.add_note

    def flaky_draft(*args: Any, **kwargs: Any) -> None:
        # Where every draft is written, on the screen's thread or the drafts' own.
        if failing["on"]:
            raise SaveError("the disk is full")
        write_draft(*args, **kwargs)

    def flaky_note(*args: Any, **kwargs: Any) -> Any:
        if failing["on"]:
            raise SaveError("the disk is full")
        return add_note(*args, **kwargs)

    # How soon the retry comes round is tests/tui/test_autosave.py's; here, that it does.
    monkeypatch.setattr(DraftAutosave, "RETRY_SECONDS", 0.05)
    async with facilitating(store, cid) as (_, pilot, screen):
        monkeypatch.setattr(draft_writer, "write_draft", flaky_draft)
        monkeypatch.setattr(store, "add_note", flaky_note)
        await type_line(pilot, "+ do not lose me")
        status = str(screen.header_strip.save_status.render())
        assert "NOT SAVED" in status and "disk is full" in status
        assert screen.notes_pane.input.value == "+ do not lose me"
        assert rows(db_path, "SELECT * FROM notes") == []

        failing["on"] = False
        await pilot.pause(0.3)  # the retry comes round
        assert (
            one(db_path, "SELECT body FROM drafts WHERE field = 'note'")["body"]
            == "+ do not lose me"
        )
        assert "saved" in str(screen.header_strip.save_status.render())
        assert "NOT" not in str(screen.header_strip.save_status.render())
        await pilot.press("enter")
        await pilot.pause()
        assert one(db_path, "SELECT body FROM notes")["body"] == "do not lose me"


# ---------------------------------------------------------------- text safety


def rendered_text(widget: Any) -> str:
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_hostile_text_from_the_database_shows_as_visible_symbols(
    store: Store, cid: str, db_path: Path
) -> None:
    question = questions(store, cid)[0]
    note = store.add_note(cid, question, "placeholder", Stance.CONCERN)
    # Another program wrote the raw bytes: the store itself would have cleaned them.
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE notes SET body = ? WHERE id = ?", (HOSTILE, note.id))
    conn.commit()
    conn.close()
    note = store.get_note(note.id)
    store.update_note(note.id, escalate=True)
    async with facilitating(store, cid) as (_, _pilot, screen):
        shown = rendered_text(screen.notes_pane.notes)
        assert "␛]2;PWNED␛\\ said [bold]hi[/bold] ␛[2J" in shown
        assert "\x1b" not in shown
        assert "\x1b" not in rendered_text(screen.escalations)


async def test_pasted_control_characters_are_removed(store: Store, cid: str, db_path: Path) -> None:
    async with facilitating(store, cid) as (app, pilot, screen):
        app.post_message(events.Paste("+ fine\x1b]2;PWNED\x07 text\r\nsecond line"))
        await pilot.pause()
        assert screen.notes_pane.input.value == "+ fine]2;PWNED text second line"
        await pilot.press("enter")
        await pilot.pause()
    assert one(db_path, "SELECT body FROM notes")["body"] == "fine]2;PWNED text second line"


async def test_a_1_mb_paste_is_kept_whole_and_typing_stays_quick(
    store: Store, cid: str, db_path: Path
) -> None:
    huge = "word " * 200_000 + "END"
    async with facilitating(store, cid) as (app, pilot, screen):
        started = time.perf_counter()
        await type_keys(pilot, "abcde")
        before = time.perf_counter() - started
        screen.notes_pane.input.value = ""

        started = time.perf_counter()
        app.post_message(events.Paste(huge))
        await pilot.pause()
        assert time.perf_counter() - started < 2.0
        assert screen.notes_pane.input.value == ""
        note = one(db_path, "SELECT body FROM notes")
        assert note["body"] == huge.strip()
        assert any("Long paste kept" in (n.title or "") for n in app._notifications)

        started = time.perf_counter()
        await type_keys(pilot, "abcde")
        assert time.perf_counter() - started < 2 * before + 0.5  # research: 1.36 s per key uncapped
        await pilot.press("enter")
        await pilot.pause()
        assert screen.notes_pane.notes.option_count == 2


async def test_the_note_line_is_capped(store: Store, cid: str) -> None:
    async with facilitating(store, cid) as (_, pilot, screen):
        screen.notes_pane.input.value = "x" * LINE_LIMIT
        await pilot.press("y")
        assert len(screen.notes_pane.input.value) == LINE_LIMIT


# ---------------------------------------------------------------- layout, read-only, palette


async def test_at_80_columns_the_panes_are_tabs_and_keys_show_theirs(
    store: Store, cid: str
) -> None:
    async with facilitating(store, cid, size=(80, 24)) as (_, pilot, screen):
        assert screen.has_class("-narrow")
        shown = [
            pane.id for pane in screen.query(".pane") if pane.display and pane.has_class("-shown")
        ]
        assert shown == ["notes-column"]
        await pilot.press("f3")
        assert screen.query_one("#flow-pane").has_class("-shown")
        assert not screen.query_one("#notes-column").has_class("-shown")
        await pilot.press("escape")
        assert screen.query_one("#notes-column").has_class("-shown")
        await pilot.press("f7")
        assert screen.query_one("#questions-pane").has_class("-shown")


async def test_at_120_columns_all_three_panes_show(store: Store, cid: str) -> None:
    async with facilitating(store, cid) as (_, _pilot, screen):
        assert not screen.has_class("-narrow")
        assert all(pane.region.width > 20 for pane in screen.query(".pane"))


@pytest.mark.slow  # ~4 s on one core
async def test_a_read_only_database_is_shown_and_not_changed(
    cid: str, db_path: Path, store: Store
) -> None:
    store.close()
    holder = Store.open(db_path)  # another appreciate has the database
    try:
        reader = Store.open(db_path)
        assert reader.read_only
        # Opened from the list, it is shown as its record: the facilitation screen is not entered.
        app = AppreciateApp(reader, conversation_id=cid)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
        # And should anything push the facilitation screen itself, it captures nothing.
        app = AppreciateApp(reader)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.push_screen(FacilitateScreen(cid))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, FacilitateScreen)
            assert screen.notes_pane.input.disabled
            assert "read-only" in str(screen.header_strip.save_status.render())
        reader.close()
        assert one(db_path, "SELECT status FROM conversations")["status"] == "planned"
    finally:
        holder.close()


async def test_every_command_is_in_the_palette_and_the_help(store: Store, cid: str) -> None:
    from appreciate_tui.tui.palette.facilitate import commands
    from appreciate_tui.tui.dialogs.help import HELP_DIR

    help_text = (HELP_DIR / "facilitate.md").read_text(encoding="utf-8")
    async with facilitating(store, cid) as (_, _pilot, screen):
        titles = [title for title, _, _ in commands(screen)]
        for title in titles:
            assert title.startswith("facilitate: ")
            if not title.startswith("facilitate: stance"):
                assert f"`{title}`" in help_text, title
        for binding in FacilitateScreen.BINDINGS:
            assert binding.description, binding  # type: ignore[union-attr]


async def test_a_palette_command_runs(store: Store, cid: str, db_path: Path) -> None:
    from appreciate_tui.tui.palette.facilitate import commands

    async with facilitating(store, cid) as (_, pilot, screen):
        run = {title: callback for title, callback, _ in commands(screen)}
        run["facilitate: next question"]()
        await pilot.pause()
        assert (
            one(db_path, "SELECT current_question_id FROM conversations")[0]
            == questions(store, cid)[1]
        )


async def test_the_opening_shows_until_the_first_question_is_asked(
    store: Store, cid: str, db_path: Path
) -> None:
    store.update_conversation(cid, opening="Thank you for coming. We start from what works.")
    async with facilitating(store, cid) as (_app, pilot, screen):
        shown = str(screen.notes_pane.question.render())
        assert "OPENING" in shown and "We start from what works." in shown
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] is None
        await pilot.press("f6")
        assert one(db_path, "SELECT current_question_id FROM conversations")[0] == (
            questions(store, cid)[0]
        )
        assert "OPENING" not in str(screen.notes_pane.question.render())


# ---------------------------------------------------------------- opening a long conversation


async def test_a_long_conversation_opens_on_its_newest_note(store: Store, cid: str) -> None:
    first = questions(store, cid)[0]
    store.update_conversation(cid, current_question_id=first)
    for n in range(60):
        store.add_note(cid, first, f"Point number {n} from the meeting")
    async with facilitating(store, cid) as (_app, _pilot, screen):
        notes = screen.notes_pane.notes
        assert notes.option_count == 60
        assert notes.highlighted == 59
        assert notes.max_scroll_y > 0
        assert notes.scroll_offset.y == notes.max_scroll_y
        assert "Point number 59" in screen.app.export_screenshot().replace("&#160;", " ")


async def test_the_facilitation_css_is_read_before_a_conversation_opens_and_styles_only_its_screen(
    store: Store, cid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read as soon as the first screen is drawn (or just before a conversation opened at start), a
    # conversation opens without re-parsing every stylesheet; read for the whole app, each rule
    # must name the screen, or it would style the same ids (#save-status, #escalations, #balance)
    # on the plan, wrap-up and insights screens.
    from textual.css.stylesheet import Stylesheet

    from appreciate_tui.tui.app import FACILITATE_CSS

    assert FACILITATE_CSS == FacilitateScreen.CSS_PATH
    reparsed: list[Stylesheet] = []
    reparse = Stylesheet.reparse

    def counted(sheet: Stylesheet) -> None:
        reparsed.append(sheet)
        reparse(sheet)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.stylesheet.has_source(str(FACILITATE_CSS), "")
    at_start = len(reparsed)  # Textual's own, once the theme is set
    reparsed.clear()
    async with facilitating(store, cid) as (app, _pilot, _screen):
        assert len(reparsed) == at_start
        sheet = Stylesheet(variables=app.get_css_variables())
        sheet.read(FacilitateScreen.CSS_PATH)
        sheet.parse()
    assert len(sheet.rules) > 20
    for rule in sheet.rules:
        for selector_set in rule.selector_set:
            assert selector_set.selectors[0].name == "FacilitateScreen", rule.css
