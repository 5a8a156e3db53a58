"""Stored text never drives the terminal (DESIGN.md section 6).

Text in the database may have been written by another program, an older version or an imported
bundle, past the store's own cleaning. Here every free-text column is given terminal controls
directly in the database: a title-setting OSC 0, a clipboard-writing OSC 52, a screen-clearing
CSI 2J, a bare ESC, BEL, a C1 CSI, DEL, line and paragraph separators, bidi overrides and isolates,
and bytes that are not UTF-8. Then every screen and dialog that shows that text is opened, and what
would be sent to the terminal (every segment of every line drawn) and what every text field holds
are checked: the controls are shown as visible symbols, never sent as they are.

The last tests hold the mechanism: text pasted into a field is cleaned as typing would be, and no
screen builds a text field that skips it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.action_form import ActionFormScreen
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen
from appreciate_tui.tui.screens.bin import BinScreen
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen
from appreciate_tui.tui.screens.facilitate import FacilitateScreen
from appreciate_tui.tui.dialogs.feedback_form import FeedbackFormScreen
from appreciate_tui.tui.dialogs.handle_escalation import HandleEscalationScreen
from appreciate_tui.tui.dialogs.new_conversation import NewConversationScreen
from appreciate_tui.tui.dialogs.participant_form import ParticipantFormScreen
from appreciate_tui.tui.screens.plan import PlanScreen
from appreciate_tui.tui.dialogs.question_form import QuestionFormScreen
from appreciate_tui.tui.dialogs.record_handling import RecordHandlingScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.screens.wrapup import WrapUpScreen
from tests.conftest import FrozenClock
from tests.tui.facilitate_data import make_mid_conversation
from tests.tui.plan_data import make_plan
from tests.tui.wrapup_data import make_ended_conversation

HOSTILE = (
    "\x1b]0;pwned\x07"  # OSC 0: sets the terminal's title
    "\x1b]52;c;ZXZpbA==\x07"  # OSC 52: writes the clipboard
    "\x1b[2J"  # CSI 2J: clears the screen
    "\x1b \x07 \x9b31m \x7f"  # a bare ESC, BEL, a C1 CSI, DEL
    "a\u2028b\u2029c "  # line and paragraph separators
    "\u202eevil\u202c \u2066isolated\u2069 "  # a right-to-left override, an isolate
)
NOT_UTF8 = "CAST(x'eda080' AS TEXT)"
"""A lone surrogate, as UTF-8 bytes no UTF-8 decoder accepts: how one would sit in the file."""

FREE_TEXT = {
    "conversations": ("title", "topic", "setting", "facilitator", "opening", "key_learning"),
    "participants": ("pseudonym", "name", "agency", "role", "absence_reason"),
    "questions": ("text", "prompts"),
    "notes": ("body", "agency", "escalation_passed_to"),
    "note_revisions": ("body", "agency"),
    "actions": ("description", "owner"),
    "feedback": ("agency", "comments"),
    "shares": ("recipient", "purpose", "path"),
    "drafts": ("body",),
    "redaction_terms": ("term",),
    "scores": ("agency",),
    "theme_choices": ("phrase", "label", "merged_into"),
}
"""Every column a person writes into."""

STRUCTURE = {
    "conversations": ("date", "status", "bank_id", "current_question_id", "started_at",
                      "ended_at", "questions_shared_at", "phase_budget", "start_time"),
    "questions": ("parent_id", "phase", "kind", "status", "asked_at"),
    "notes": ("question_id", "stance", "participant_id", "escalation_handled_at", "sha256",
              "follow_up_id"),
    "note_revisions": ("note_id", "stance", "participant_id", "change", "undoes"),
    "actions": ("due", "status", "note_id"),
    "feedback": ("participant_id", "useful_question_ids", "question_scores"),
    "shares": ("format",),
    "drafts": ("field",),
    "scores": ("question_id", "note_id", "participant_id"),
    "outcome_links": ("area", "note_id", "action_id", "removed_at"),
    "erasures": ("kind", "target_id", "reason", "erased_at"),
    "pauses": ("paused_at", "resumed_at"),
    "theme_choices": ("stance",),
}
"""Columns the app writes itself: identifiers, times, codes and digests."""
EVERY_TABLE = ("id", "conversation_id", "created_at", "updated_at", "deleted_at", "revised_at")
BOOKKEEPING = {"_sqlite_migrations", "row_versions", "note_tallies", "note_stance_tallies",
               "note_agency_tallies", "question_note_tallies", "theme_term_tallies"}

RAW = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must never reach the terminal from stored text."""
RAW_IN_TEXT_AREA = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                              "\ud800-\udfff]")


@dataclass(frozen=True)
class World:
    planned: str
    live: str
    ended: str


def text_columns(store: Store) -> dict[str, set[str]]:
    """Every TEXT column of every table holding the product's rows (not search indexes)."""
    conn = store.db.conn
    virtual = [name for name, sql in conn.execute("SELECT name, sql FROM sqlite_master "
                                                  "WHERE type = 'table'")
               if (sql or "").upper().startswith("CREATE VIRTUAL")]
    found: dict[str, set[str]] = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if table in BOOKKEEPING or any(table.startswith(v) for v in virtual):
            continue
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')
                   if row[2].upper() == "TEXT"}
        found[table] = columns - set(EVERY_TABLE)
    return found


def plant(store: Store, world: World) -> None:
    """Put HOSTILE in front of every free-text value, writing to the file past the store."""
    conn = store.db.conn
    store.save_draft(world.live, "flow", "follow-up being typed")
    with store.atomic():
        for table, columns in FREE_TEXT.items():
            for column in columns:
                if column == "prompts":  # a JSON list of probes
                    rows = list(conn.execute("SELECT id, prompts FROM questions"))
                    for question_id, prompts in rows:
                        hostile = [HOSTILE + p for p in json.loads(prompts)] or [HOSTILE]
                        conn.execute("UPDATE questions SET prompts = ? WHERE id = ?",
                                     [json.dumps(hostile), question_id])
                    continue
                conn.execute(f'UPDATE "{table}" SET "{column}" = ? || COALESCE("{column}", \'\')',
                             [HOSTILE])
        conn.execute(f"UPDATE notes SET body = body || {NOT_UTF8}")
        conn.execute(f"UPDATE conversations SET title = title || {NOT_UTF8}")


@pytest.fixture
def world(store: Store, frozen_clock: FrozenClock) -> World:
    planned = make_plan(store)
    live = make_mid_conversation(store, frozen_clock.advance)
    ended = make_ended_conversation(store, frozen_clock.advance)
    store.update_conversation(ended, key_learning="Invitations that say what to bring work.")
    binned = store.create_conversation("Front door: winter round", date="2026-01-15")
    store.delete_conversation(binned.id)
    built = World(planned, live, ended)
    plant(store, built)
    return built


# ------------------------------------------------------------------ what reaches the terminal


def drawn(app: AppreciateApp) -> list[str]:
    """The text of every segment the screen (and any screen showing under it) would send, line by
    line: what reaches the terminal between the app's own colour and cursor codes."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return ["".join(segment.text for strip in line for segment in strip) for line in update.strips]


def held(widget: Widget) -> list[str]:
    """What a widget holds as text that is shown as it is: a field's value and hint, a tooltip."""
    texts = [str(widget.tooltip)] if isinstance(widget.tooltip, str) else []
    texts += [str(title) for title in (widget.border_title, widget.border_subtitle) if title]
    if isinstance(widget, Input):
        texts += [widget.value, widget.placeholder]
    return texts


def raw(text: str, pattern: re.Pattern[str] = RAW) -> list[str]:
    return sorted({f"U+{ord(char):04X}" for char in pattern.findall(text)})


async def assert_shown_safely(pilot: Pilot, what: str, *, planted: bool = True) -> None:
    await pilot.pause()
    app = pilot.app
    lines = drawn(app)
    assert [(n, raw(line)) for n, line in enumerate(lines) if raw(line)] == [], what
    if planted:
        assert any("\u241b" in line for line in lines), f"{what}: the planted ESC is shown"
    for widget in app.screen.query("*"):
        for text in held(widget):
            assert raw(text) == [], f"{what}: raw controls in {widget!r}"
        if isinstance(widget, TextArea):
            assert raw(widget.text, RAW_IN_TEXT_AREA) == [], f"{what}: raw controls in {widget!r}"


@asynccontextmanager
async def running(store: Store, size: tuple[int, int] = (200, 60)) -> AsyncIterator[Pilot]:
    app = AppreciateApp(store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot


async def until(pilot: Pilot, ready: Callable[[], bool]) -> None:
    """Wait for what a worker thread sends back."""
    for _ in range(200):
        if ready():
            return
        await pilot.pause(0.02)
    raise AssertionError("nothing came back")


async def opened(pilot: Pilot, screen_type: type, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    assert isinstance(pilot.app.screen, screen_type), pilot.app.screen


# ------------------------------------------------------------------ the planted world


def test_every_free_text_column_is_planted(store: Store, world: World) -> None:
    """A new column people write into must be added to FREE_TEXT, and so to every test here."""
    for table, columns in text_columns(store).items():
        known = set(FREE_TEXT.get(table, ())) | set(STRUCTURE.get(table, ()))
        assert columns <= known, f"{table}: {sorted(columns - known)} not classified"
    assert store.get_draft(world.live, "note").startswith(HOSTILE)
    assert store.get_conversation(world.planned).title.endswith("\ufffd")


# ------------------------------------------------------------------ the screens


@pytest.mark.slow  # ~5 s on one core
async def test_home_list_detail_search_and_palette(store: Store, world: World) -> None:
    async with running(store) as pilot:
        await assert_shown_safely(pilot, "home")
        await pilot.press("slash", *"pwned")
        home = pilot.app.screen
        await until(pilot, lambda: getattr(home, "results_for", None) == "pwned")
        await assert_shown_safely(pilot, "search results")
        await pilot.press("escape", "escape")
        await pilot.press("ctrl+p", *"open")
        await pilot.pause(0.3)
        await assert_shown_safely(pilot, "command palette")


async def test_the_bin(store: Store, world: World) -> None:
    async with running(store) as pilot:
        await opened(pilot, BinScreen, "b")
        await assert_shown_safely(pilot, "bin")


async def test_a_new_conversation_copies_an_earlier_title_visibly(
    store: Store, world: World
) -> None:
    async with running(store) as pilot:
        await opened(pilot, NewConversationScreen, "n")
        screen = pilot.app.screen
        options = screen.query_one("#banks")
        options.highlighted = options.get_option_index("~earlier")
        await pilot.press("enter")
        await assert_shown_safely(pilot, "earlier conversations")
        await pilot.press("enter")
        title = screen.query_one("#title", Input)
        assert title.value.startswith("\u241b]0;pwned\u2407")
        await assert_shown_safely(pilot, "the copied title")


@pytest.mark.slow  # ~9 s on one core
async def test_plan_tabs_and_dialogs(store: Store, world: World) -> None:
    async with running(store) as pilot:
        pilot.app.plan_conversation(world.planned)
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlanScreen)
        await assert_shown_safely(pilot, "plan details")
        await pilot.press("f4")
        await assert_shown_safely(pilot, "plan people")
        await opened(pilot, ParticipantFormScreen, "e")
        await assert_shown_safely(pilot, "participant form")
        await pilot.press("escape")
        await pilot.press("f5")
        await assert_shown_safely(pilot, "plan questions")
        await opened(pilot, QuestionFormScreen, "e")
        await assert_shown_safely(pilot, "question form")
        await pilot.press("escape")
        await pilot.press("p")
        await assert_shown_safely(pilot, "choose a phase")
        await pilot.press("escape")
        await pilot.press("f6")
        await assert_shown_safely(pilot, "question sheet")


async def test_showing_stored_text_in_the_plan_leaves_it_as_it_was(
    store: Store, world: World
) -> None:
    def details() -> tuple[str, ...]:
        c = store.get_conversation(world.planned)
        return c.title, c.topic, c.setting, c.facilitator, c.opening

    stored = details()
    async with running(store) as pilot:
        pilot.app.plan_conversation(world.planned)
        await pilot.pause(0.5)  # longer than typing is left before it is saved
        pilot.app.pop_screen()
        await pilot.pause()
    assert details() == stored


@pytest.mark.slow  # ~9 s on one core
async def test_facilitation_with_restored_drafts_and_its_dialogs(
    store: Store, world: World
) -> None:
    async with running(store) as pilot:
        pilot.app.open_conversation(world.live)
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, FacilitateScreen)
        assert screen.notes_pane.input.value.startswith("\u241b]0;pwned\u2407")
        assert screen.flow.input.value.startswith("\u241b]0;pwned\u2407")
        await assert_shown_safely(pilot, "facilitation")
        await pilot.press("f3")
        await assert_shown_safely(pilot, "follow the flow")
        await pilot.press("escape", "up")
        await opened(pilot, EditNoteScreen, "e")
        await assert_shown_safely(pilot, "edit note")
        await pilot.press("escape")
        await opened(pilot, AttributeNoteScreen, "a")
        await assert_shown_safely(pilot, "who said it")
        await pilot.press("escape")
        await opened(pilot, HandleEscalationScreen, "f9")
        await assert_shown_safely(pilot, "handle escalation")


async def test_every_notification_shows_controls_as_symbols(store: Store) -> None:
    """A toast can name a reason or a file that came from stored text: the app's one `notify`
    shows it as stored text is shown, whichever screen raised it."""
    async with running(store) as pilot:
        pilot.app.screen.notify(HOSTILE + "reason", title=HOSTILE, markup=False)
        await pilot.pause()
        # Private Textual API: the notifications the app holds (toasts are drawn from these).
        [notification] = list(pilot.app._notifications)
        for text in (notification.message, notification.title):
            assert raw(text, RAW_IN_TEXT_AREA) == [] and "\u241b" in text


async def test_opening_facilitation_leaves_a_stored_draft_as_it_was(
    store: Store, world: World
) -> None:
    """The line shows a draft's controls as symbols; opening the screen must not save that
    shown form back over the stored draft (a write merely from looking)."""
    stored = store.get_draft(world.live, "note")
    async with running(store) as pilot:
        pilot.app.open_conversation(world.live)
        await pilot.pause(0.5)
        assert isinstance(pilot.app.screen, FacilitateScreen)
    assert store.get_draft(world.live, "note") == stored


@pytest.mark.slow  # ~10 s on one core
async def test_wrap_up_tabs_and_forms(store: Store, world: World) -> None:
    async with running(store) as pilot:
        pilot.app.wrap_up_conversation(world.ended)
        await pilot.pause()
        assert isinstance(pilot.app.screen, WrapUpScreen)
        await assert_shown_safely(pilot, "actions")
        await opened(pilot, ActionFormScreen, "e")
        await assert_shown_safely(pilot, "action form")
        await pilot.press("escape", "f4")
        await assert_shown_safely(pilot, "escalations")
        await opened(pilot, RecordHandlingScreen, "h")
        await assert_shown_safely(pilot, "record handling")
        await pilot.press("escape", "f5")
        await assert_shown_safely(pilot, "feedback")
        await opened(pilot, FeedbackFormScreen, "e")
        await assert_shown_safely(pilot, "feedback form")
        await pilot.press("escape", "f6")
        await assert_shown_safely(pilot, "key learning")
        await pilot.press("f7")
        await assert_shown_safely(pilot, "follow-ups")


@pytest.mark.slow  # ~9 s on one core
async def test_review_and_correcting_a_note(store: Store, world: World) -> None:
    async with running(store) as pilot:
        pilot.app.open_conversation(world.ended)
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReviewScreen)
        await assert_shown_safely(pilot, "review")
        await pilot.press("g")
        await assert_shown_safely(pilot, "go to")
        await pilot.press("escape", "e")
        for _ in range(40):  # down to the first note
            if isinstance(pilot.app.screen, EditNoteScreen):
                break
            await pilot.press("down", "e")
        assert isinstance(pilot.app.screen, EditNoteScreen)
        await assert_shown_safely(pilot, "correct a note")


@pytest.mark.slow  # ~5 s on one core
async def test_insights_every_section(store: Store, world: World) -> None:
    async with running(store) as pilot:
        pilot.app.action_insights()
        await pilot.pause()
        insights = pilot.app.screen
        await until(pilot, lambda: getattr(insights, "_insights", None) is not None)
        for key in "12345678":
            await pilot.press(key)
            if key == "2":  # the notes that use the first theme
                await pilot.press("enter")
            await assert_shown_safely(pilot, f"insights {key}", planted=key not in "78")


# ------------------------------------------------------------------ what is pasted or typed

LEGIT = "مرحبا שלום 👩‍👩‍👧‍👦 👍🏽 Zoe\u0308 क्षत्रिय"


@pytest.mark.parametrize("field", ["#note-input", "#flow-input"])
async def test_a_paste_into_the_note_line_keeps_the_words_and_drops_the_controls(
    store: Store, world: World, field: str
) -> None:
    async with running(store, size=(160, 40)) as pilot:
        pilot.app.open_conversation(world.live)
        await pilot.pause()
        line = pilot.app.screen.query_one(field, Input)
        line.value = ""
        line.focus()
        line.post_message(events.Paste(f"{LEGIT} \u202eevil\u202c\u2028next\x1b[2J\u2066x\u2069"))
        await pilot.pause()
        assert line.value == f"{LEGIT} evil next[2Jx"
        await assert_shown_safely(pilot, "pasted", planted=False)


async def test_a_paste_into_the_opening_keeps_its_lines_and_drops_the_controls(
    store: Store, world: World
) -> None:
    async with running(store) as pilot:
        pilot.app.plan_conversation(world.planned)
        await pilot.pause()
        opening = pilot.app.screen.query_one("#opening", TextArea)
        opening.text = ""
        opening.focus()
        opening.post_message(events.Paste(f"{LEGIT}\u2029second \u202eline\x1b]0;x\x07"))
        await pilot.pause()
        assert opening.text == f"{LEGIT}\nsecond line]0;x"


# ------------------------------------------------------------------ no field skips the mechanism

TUI = Path(__file__).parents[2] / "appreciate_tui" / "tui"
TEXTUAL_FIELDS = {"Input", "TextArea"}


def named(node: ast.AST) -> list[str]:
    """The classes a call builds or a class definition extends, by name."""
    if isinstance(node, ast.Call):
        candidates = [node.func]
    elif isinstance(node, ast.ClassDef):
        candidates = node.bases
    else:
        return []
    return [c.id if isinstance(c, ast.Name) else c.attr
            for c in candidates if isinstance(c, (ast.Name, ast.Attribute))]


def test_no_screen_builds_a_text_field_of_its_own() -> None:
    """Textual's Input and TextArea show their text as it is; every text field in the app is one
    of `widgets/text_fields.py` or `widgets/text_box.py`, which show stored text's controls as
    symbols and clean a paste, or extends one."""
    found = [
        f"{path.relative_to(TUI)}:{node.lineno} {name}"
        for path in sorted(TUI.rglob("*.py")) if path.name not in ("text_fields.py", "text_box.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        for name in named(node) if name in TEXTUAL_FIELDS
    ]
    assert found == []
