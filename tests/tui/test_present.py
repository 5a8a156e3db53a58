"""The view for the room (`appreciate present`), driven in-process beside a writable store that
stands in for the facilitator's window: it shows the question being asked as wrapped, centred
text, follows each change within a second, says plainly when nothing is live, never shows a note
or a name, and never writes to the database."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot

from appreciate_tui.domain import QuestionStatus, Stance
from appreciate_tui.settings import Settings
from appreciate_tui.store import Store, StoreError
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.present import READABLE_WIDTH, PresentApp
from appreciate_tui.tui.dialogs.help import help_markdown
from tests.tui.facilitate_data import QUESTIONS, TOPIC, make_conversation

NOTE_BODY = "Jamie's stepfather was at the door when the social worker came"
PERSON = "Bernadette Okonkwo-Price"
FOLLOWING = 1.0
"""Seconds within which the room shows what the facilitator did (issue 15)."""


@pytest.fixture
def writer(db_path: Path) -> Iterator[Store]:
    """The facilitator's window: it holds the writer lock for the whole test."""
    store = Store.open(db_path)
    yield store
    store.close()


@asynccontextmanager
async def presenting(
    db_path: Path,
    *,
    size: tuple[int, int] = (120, 40),
    conversation_id: str | None = None,
    settings: Settings | None = None,
) -> AsyncIterator[tuple[PresentApp, Pilot]]:
    store = Store.open(db_path, read_only=True, check="deferred")
    app = PresentApp(store, conversation_id=conversation_id, settings=settings or Settings())
    try:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            yield app, pilot
    finally:
        store.close()


def lines(app: PresentApp) -> list[str]:
    """The screen as a terminal would show it, line by line."""
    return [
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    ]


def words(app: PresentApp) -> str:
    """Everything on screen as one run of words, so wrapped text reads as it was written."""
    return " ".join(" ".join(lines(app)).split())


async def until_shown(pilot: Pilot, text: str, within: float = FOLLOWING) -> float:
    started = time.monotonic()
    while text not in words(pilot.app):  # type: ignore[arg-type]
        assert time.monotonic() - started < within, f"{text!r} not shown:\n" + "\n".join(
            lines(pilot.app)  # type: ignore[arg-type]
        )
        await pilot.pause(0.02)
    return time.monotonic() - started


def start(store: Store, cid: str, question: int | None = 0) -> list[str]:
    store.start_conversation(cid)
    ids = [q.id for q in store.list_questions(cid)]
    if question is not None:
        ask(store, cid, ids[question])
    return ids


def ask(store: Store, cid: str, question_id: str) -> None:
    """What F6, F5 or Enter in follow the flow write: one commit."""
    with store.atomic():
        store.set_current_question(cid, question_id)
        store.set_question_status(question_id, QuestionStatus.ASKED)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_question_is_centred_wrapped_text(
    writer: Store, db_path: Path, size: tuple[int, int]
) -> None:
    cid = make_conversation(writer)
    start(writer, cid, question=1)
    async with presenting(db_path, size=size) as (app, _):
        shown = words(app)
        assert QUESTIONS[1][0] in shown
        assert "DISCOVER" in shown and "question 2 of 5" in shown and TOPIC in shown
        text_lines = [line for line in lines(app) if "strategy meeting" in line or "made" in line]
        assert len(text_lines) >= 2, "wrapped over more than one line"
        for line in text_lines:
            body = line.strip()
            assert len(body) <= READABLE_WIDTH
            left, right = len(line) - len(line.lstrip()), len(line) - len(line.rstrip())
            assert abs(left - right) <= 2, f"not centred: {line!r}"


async def test_it_follows_next_previous_and_a_follow_up_within_a_second(
    writer: Store, db_path: Path
) -> None:
    cid = make_conversation(writer)
    ids = start(writer, cid, question=0)
    async with presenting(db_path) as (_, pilot):
        await until_shown(pilot, QUESTIONS[0][0])
        ask(writer, cid, ids[1])  # F6
        waits = [await until_shown(pilot, QUESTIONS[1][0])]
        ask(writer, cid, ids[0])  # F5
        waits.append(await until_shown(pilot, QUESTIONS[0][0]))
        follow_up = writer.add_follow_up(cid, ids[0], "What would make it easier to come?")
        ask(writer, cid, follow_up.id)  # F3, typing, Enter
        waits.append(await until_shown(pilot, "What would make it easier to come?"))
        waits.append(await until_shown(pilot, f"Following on from: {QUESTIONS[0][0]}"))
        waits.append(await until_shown(pilot, "follow-up to question 1"))
        assert max(waits) < FOLLOWING  # each change reached the room within a second


async def test_a_paused_clock_is_said_under_the_question_and_resuming_clears_it(
    writer: Store, db_path: Path
) -> None:
    cid = make_conversation(writer)
    start(writer, cid, question=1)
    async with presenting(db_path) as (_, pilot):
        await until_shown(pilot, QUESTIONS[1][0])
        writer.pause_conversation(cid)
        await until_shown(pilot, "Paused")
        assert QUESTIONS[1][0] in words(pilot.app)  # type: ignore[arg-type]
        writer.resume_conversation(cid)
        started = time.monotonic()
        while "Paused" in words(pilot.app):  # type: ignore[arg-type]
            assert time.monotonic() - started < FOLLOWING, "still says paused"
            await pilot.pause(0.02)


async def test_it_never_shows_a_note_or_a_name(writer: Store, db_path: Path) -> None:
    cid = make_conversation(writer)
    ids = start(writer, cid, question=1)
    person = writer.add_participant(cid, "Health", name=PERSON, attended=True)
    writer.update_conversation(cid, facilitator=PERSON)
    async with presenting(db_path) as (app, pilot):
        writer.add_note(cid, ids[1], NOTE_BODY, Stance.CONCERN, participant_id=person.id)
        writer.save_draft(cid, "note", f"- {NOTE_BODY}")
        follow_up = writer.add_follow_up(cid, ids[1], "Who else was there?")
        ask(writer, cid, follow_up.id)
        await until_shown(pilot, "Who else was there?")
        shown = words(app)
        for secret in (NOTE_BODY, PERSON, "Okonkwo", "Jamie", "Health 1", "Police 1"):
            assert secret not in shown


async def test_nothing_live_is_said_plainly_then_the_conversation_is_picked_up(
    writer: Store, db_path: Path
) -> None:
    cid = make_conversation(writer)  # planned
    async with presenting(db_path) as (app, pilot):
        assert "No conversation is live" in words(app)
        start(writer, cid, question=0)
        await until_shown(pilot, QUESTIONS[0][0])


async def test_the_opening_then_the_questions_then_thank_you(
    writer: Store, db_path: Path
) -> None:
    cid = make_conversation(writer)
    writer.update_conversation(cid, opening="Welcome, everyone. This is about learning together.")
    ids = start(writer, cid, question=None)
    async with presenting(db_path) as (app, pilot):
        await until_shown(pilot, "Welcome, everyone. This is about learning together.")
        ask(writer, cid, ids[0])
        await until_shown(pilot, QUESTIONS[0][0])
        writer.close_conversation(cid)
        await until_shown(pilot, "Thank you")
        assert QUESTIONS[0][0] not in words(app)


async def test_it_says_which_of_several_live_conversations_it_shows(
    writer: Store, db_path: Path, frozen_clock
) -> None:
    older, newer = make_conversation(writer), make_conversation(writer)
    start(writer, older, question=0)
    frozen_clock.advance(minutes=5)
    start(writer, newer, question=2)
    async with presenting(db_path) as (app, pilot):
        shown = words(app)
        assert QUESTIONS[2][0] in shown
        assert "the most recently active of 2 live conversations" in shown
        assert newer[:8] in shown and "appreciate present ID" in shown
        frozen_clock.advance(minutes=5)
        writer.close_conversation(newer)
        await until_shown(pilot, "Thank you")
        assert "Another conversation is still live: `appreciate present ID` shows one." in words(app)
    async with presenting(db_path, conversation_id=older) as (app, _):
        shown = words(app)
        assert QUESTIONS[0][0] in shown and "live" not in shown


async def test_it_keeps_following_when_the_facilitator_restarts(db_path: Path) -> None:
    writer = Store.open(db_path)
    cid = make_conversation(writer)
    ids = start(writer, cid, question=0)
    async with presenting(db_path) as (_, pilot):
        await until_shown(pilot, QUESTIONS[0][0])
        writer.close()  # the facilitator's app quits (or is killed)
        await pilot.pause(0.3)
        writer = Store.open(db_path)  # and starts again
        try:
            assert not writer.read_only, "the room holds no lock"
            ask(writer, cid, ids[3])
            await until_shown(pilot, QUESTIONS[3][0])
        finally:
            writer.close()


async def test_a_read_that_fails_is_said_and_retried(
    writer: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = make_conversation(writer)
    ids = start(writer, cid, question=0)
    async with presenting(db_path) as (app, pilot):
        real = app.store.room_view

        def failing(*args: object, **kwargs: object) -> object:
            raise StoreError("the disk went away")

        monkeypatch.setattr(app.store, "room_view", failing)
        ask(writer, cid, ids[1])
        await until_shown(pilot, "cannot be read just now")
        assert "the disk went away" not in words(app), "the room hears no technical detail"
        monkeypatch.setattr(app.store, "room_view", real)
        await until_shown(pilot, QUESTIONS[1][0], within=2.0)
        assert "cannot be read" not in words(app)


def files(db_path: Path) -> dict[str, tuple[bytes, int] | int]:
    wal = db_path.with_name(db_path.name + "-wal")
    return {
        "db": (db_path.read_bytes(), db_path.stat().st_mtime_ns),
        "wal": wal.stat().st_size if wal.exists() else 0,
    }


async def test_it_writes_nothing_and_needs_no_lock(writer: Store, db_path: Path) -> None:
    cid = make_conversation(writer)
    start(writer, cid, question=0)
    before = files(db_path)
    async with presenting(db_path) as (app, pilot):
        assert app.store.read_only
        await pilot.pause(0.6)  # a few rounds of asking for news
    assert files(db_path) == before
    writer.close()
    before = files(db_path)
    async with presenting(db_path) as (_, pilot):  # alone with the file now
        await pilot.pause(0.6)
    assert files(db_path) == before


async def test_the_remembered_theme_and_f2_keeps_the_rooms_own(db_path: Path) -> None:
    Store.open(db_path).close()
    Settings(theme="appreciate-high-contrast", agencies=["Youth justice"]).save()
    async with presenting(db_path, settings=Settings.load()) as (app, pilot):
        assert app.theme == "appreciate-high-contrast"
        await pilot.press("f2")
        chosen = app.theme
        assert chosen != "appreciate-high-contrast"
    kept = Settings.load()
    assert kept.room_theme == chosen
    assert kept.theme == "appreciate-high-contrast", "the facilitator's own theme is theirs"
    assert kept.agencies == ["Youth justice"]
    async with presenting(db_path, settings=Settings.load()) as (app, _):
        assert app.theme == chosen


@pytest.mark.parametrize("key", ["q", "escape", "ctrl+q"])
async def test_a_key_closes_it(db_path: Path, key: str) -> None:
    Store.open(db_path).close()
    async with presenting(db_path) as (app, pilot):
        await pilot.press(key)
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


def test_every_key_has_a_description_and_an_id() -> None:
    for binding in PresentApp.BINDINGS:
        assert binding.description and binding.id, binding  # type: ignore[union-attr]


async def test_the_palette_gives_the_command_for_the_room_and_copies_it(
    writer: Store, db_path: Path, system_clipboard: list[str]
) -> None:
    app = AppreciateApp(writer, settings=Settings())
    told: list[str] = []
    notify = app.notify

    def listen(message: str, **kwargs: object) -> None:
        told.append(message)
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = listen  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p", *"present")
        assert isinstance(app.screen, CommandPalette)
        await app.screen.workers.wait_for_complete()
        await pilot.pause(0.1)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    command = f"appreciate --db {db_path} present"
    assert system_clipboard == [command]
    assert any(command in message and "second terminal window" in message for message in told)


def test_the_help_names_the_command_and_the_room_view() -> None:
    text = help_markdown()
    assert "`present: a view for the room`" in text
    assert "appreciate present" in text


def test_no_colour_is_written_into_the_room_view() -> None:
    css = (Path(__file__).parents[2] / "appreciate_tui" / "tui" / "present.tcss").read_text()
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(", css), "colours come from the theme"
