"""The review screen: the record as a readable document, jumping about it, finding words in it,
copying it, and correcting it (each correction kept as a revision in the database)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from appreciate_tui.domain import ActionStatus, Phase, QuestionStatus, Stance
from appreciate_tui.store import Store
from appreciate_tui.tui.app import AppreciateApp
from appreciate_tui.tui.dialogs.attribute_note import AttributeNoteScreen
from appreciate_tui.tui.dialogs.help import HELP_DIR
from appreciate_tui.tui.screens.home import HomeScreen
from appreciate_tui.tui.dialogs.pick import PickScreen
from appreciate_tui.tui.screens.review import ReviewScreen
from appreciate_tui.tui.palette.review import commands
from appreciate_tui.tui.dialogs.edit_note import EditNoteScreen

SECRET = "the address where the child is staying"


@dataclass
class Meeting:
    id: str
    first: str
    follow_up: str
    second: str
    starred: str
    escalated: str
    hostile: str


pytestmark = pytest.mark.usefixtures("utc")


def make_meeting(store: Store) -> Meeting:
    conversation = store.create_conversation(
        "Strategy meetings", "Is MASH working well?", setting="MASH room",
        facilitator="Practice lead", date="2026-03-12", opening="Why we are here.",
    )
    cid = conversation.id
    store.update_conversation(cid, key_learning="Invite health early.")
    police = store.add_participant(cid, "Police", name="Sam Stone", role="DS", attended=True)
    store.add_participant(cid, "Health", absence_reason="Clinic overran")
    first = store.add_question(cid, "Tell me about a meeting that went well", Phase.DISCOVER)
    second = store.add_question(cid, "What would the best look like?", Phase.DREAM)
    store.start_conversation(cid)
    store.set_question_status(first.id, QuestionStatus.ASKED)
    starred = store.add_note(cid, first.id, "They rang back within the hour", Stance.STRENGTH,
                             participant_id=police.id)
    store.update_note(starred.id, starred=True)
    escalated = store.add_note(cid, first.id, SECRET, Stance.CONCERN, agency="Health")
    store.update_note(escalated.id, escalate=True)
    hostile = store.add_note(cid, first.id, "Odd [bold]markup[/] and \x1b[31m red")
    store.db.execute("UPDATE notes SET body = ? WHERE id = ?",
                     ["Odd [bold]markup[/] and \x1b[31m red", hostile.id])
    follow_up = store.add_follow_up(cid, first.id, "What made that possible?")
    store.add_note(cid, follow_up.id, "Everyone had read the referral", Stance.STRENGTH)
    store.set_question_status(second.id, QuestionStatus.SKIPPED)
    store.add_action(cid, "Write to the ICB", owner="Health", due="2026-04-01",
                     status=ActionStatus.IN_PROGRESS, note_id=escalated.id)
    store.add_feedback(cid, participant_id=police.id, rating=4, advance_questions_helped=True,
                       useful_question_ids=[first.id], comments="Good to start with a success")
    store.close_conversation(cid)
    return Meeting(cid, first.id, follow_up.id, second.id, starred.id, escalated.id, hostile.id)


@pytest.fixture
def meeting(store: Store, frozen_clock: object) -> Meeting:
    return make_meeting(store)


def review(app: AppreciateApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def document_text(app: AppreciateApp) -> str:
    return "\n".join(
        (block.hang.plain if block.hang else "") + block.body.plain
        for block in review(app).document.blocks
    )


async def open_review(app: AppreciateApp, pilot: object, meeting: Meeting, **at: str) -> None:
    await app.push_screen(ReviewScreen(meeting.id, **at))
    await pilot.pause()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- reading


async def test_the_record_reads_in_order(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        text = document_text(app)
    order = [
        "Strategy meetings", "Is MASH working well?", "12 Mar 2026 · closed · MASH room",
        "Why we are here.", "Participants", "Health", "could not attend: Clinic overran",
        "Police", "Police 1  Sam Stone  DS  took part", "Questions",
        "1    Discover Tell me about a meeting that went well  asked",
        "+ 09:30  Police 1 (Police): ★ They rang back within the hour",
        "- 09:30  Health: " + SECRET + "  ⚑ escalated · not yet handled",
        "1.1  ↳ What made that possible?", "Everyone had read the referral",
        "2    Dream    What would the best look like?  skipped", "nothing noted",
        "Actions", "Write to the ICB  Health · in progress · due 01 Apr 2026",
        "Feedback",
        "Police 1 (Police)  ★★★★☆  questions in advance helped  most useful: 1",
        "Good to start with a success", "Key learning", "Invite health early.",
    ]
    where = [text.find(part) for part in order]
    assert -1 not in where, [part for part, at in zip(order, where) if at == -1]
    assert where == sorted(where)


async def test_stored_text_is_shown_never_obeyed(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(app, pilot, meeting)
        block = next(b for b in review(app).document.blocks if b.key == f"note:{meeting.hostile}")
        assert "Odd [bold]markup[/] and ␛[31m red" in block.body.plain
        drawn = " ".join(review(app).document.render_line(y).text for y in range(40))
        assert "[bold]markup[/]" in drawn and "\x1b" not in drawn


async def test_opens_at_a_note_found_by_a_search(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(app, pilot, meeting, note_id=meeting.starred, query="hour")
        screen = review(app)
        assert screen.document.current.key == f"note:{meeting.starred}"
        assert screen.query_one("#find", Input).value == "hour"
        assert screen.document.match_position == (0, 1)
        await pilot.press("n")
        assert screen.document.match_position == (1, 1)
        assert screen.document.current.key == f"note:{meeting.starred}"


# ---------------------------------------------------------------- moving about and finding


async def test_g_goes_to_a_question(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting)
        await pilot.press("g")
        assert isinstance(app.screen, PickScreen)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.get_option_index(f"question:{meeting.second}")
        await pilot.press("enter")
        await pilot.pause()
        assert review(app).document.current.key == f"question:{meeting.second}"


@pytest.mark.slow  # ~4 s on one core
async def test_find_picks_out_words_and_n_and_capital_n_move_between_them(
    store: Store, meeting: Meeting
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting)
        await pilot.press("slash", *"the")
        screen = review(app)
        first, count = screen.document.match_position
        assert count >= 4 and first == 1
        assert "1 of" in str(screen.query_one("#find-count", Static).render())
        await pilot.press("enter")
        assert screen.document.match_position[0] == 2 and screen.document.has_focus
        await pilot.press("n", "N", "N")
        assert screen.document.match_position[0] == 1
        await pilot.press("N")
        assert screen.document.match_position[0] == count, "round the end"
        await pilot.press("escape")
        assert not screen.has_class("-finding")
        assert screen.document.match_position == (0, 0)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_words_not_found_say_so(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting)
        await pilot.press("slash", *"zebra")
        assert "not found" in str(review(app).query_one("#find-count", Static).render())


# ---------------------------------------------------------------- copying


async def test_copy_the_whole_record_as_markdown(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting)
        await pilot.press("c")
        assert isinstance(app.screen, PickScreen)
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        copied = app.clipboard
    assert copied.startswith("# Strategy meetings\n")
    for part in ("## Participants", "## Questions", "### 1\\. Tell me about a meeting that went",
                 "They rang back within the hour", "What made that possible?",
                 "## Actions", "## Feedback", "## Key learning", "Invite health early."):
        assert part in copied, part
    assert "Sam Stone" not in copied, "people are named by pseudonym"
    assert SECRET not in copied, "an escalated note's text never leaves in a copy"
    assert "Odd \\[bold\\]markup\\[/\\]" in copied, "stored text is escaped Markdown"
    [share] = store.db.query("SELECT format, purpose FROM shares")
    assert share == {
        "format": "clipboard-md", "purpose": "copied from the review: the whole record"
    }


async def test_copy_one_question(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, question_id=meeting.follow_up)
        await pilot.press("c")
        options = app.screen.query_one(OptionList)
        assert options.highlighted_option.id == f"question:{meeting.first}", "the one here"
        await pilot.press("enter")
        await pilot.pause()
        copied = app.clipboard
    assert copied.startswith("## Question 1\n")
    assert "What made that possible?" in copied and "Invite health early." not in copied


# ---------------------------------------------------------------- correcting


async def test_the_record_is_read_only_until_e(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, note_id=meeting.starred)
        await pilot.press("minus", "a")
        assert isinstance(app.screen, ReviewScreen)
        assert store.get_note(meeting.starred).stance is Stance.STRENGTH
        assert "reading" in str(review(app).query_one("#review-mode", Static).render())


async def test_correcting_a_stance_keeps_a_revision_and_shows_it(
    store: Store, meeting: Meeting
) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, note_id=meeting.starred)
        await pilot.press("e")
        assert review(app).editing
        assert "correcting" in str(review(app).query_one("#review-mode", Static).render())
        await pilot.press("quotation_mark")
        await pilot.pause()
        block = review(app).document.current
        assert block.key == f"note:{meeting.starred}", "the cursor stays on the note"
        assert block.hang.plain.startswith('"') and "✎ edited" in block.body.plain
        await pilot.press("escape")
        assert not review(app).editing
    assert store.get_note(meeting.starred).stance is Stance.QUOTE
    [earlier] = store.note_revisions(meeting.starred)
    assert earlier.stance is Stance.STRENGTH


@pytest.mark.slow  # ~5 s on one core
async def test_correcting_the_text_of_a_note(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, note_id=meeting.starred)
        await pilot.press("e", "e")
        assert isinstance(app.screen, EditNoteScreen)
        await pilot.press("backspace", *"r, every time", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("e")
        assert "corrected 1 time before" in " ".join(
            str(s.render()) for s in app.screen.query(Static))
        await pilot.press("escape")
    assert store.get_note(meeting.starred).body == "They rang back within the hour, every time"
    assert [r.body for r in store.note_revisions(meeting.starred)] == [
        "They rang back within the hour"]


async def test_saying_who_said_a_note(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, note_id=meeting.hostile)
        await pilot.press("e", "a")
        assert isinstance(app.screen, AttributeNoteScreen)
        options = app.screen.query_one(OptionList)
        health = next(n for n in range(options.option_count)
                      if options.get_option_at_index(n).prompt.plain.startswith("Health  agency"))
        options.highlighted = health
        await pilot.press("enter")
        await pilot.pause()
    note = store.get_note(meeting.hostile)
    assert note.agency == "Health" and note.participant_id is None
    assert len(store.note_revisions(meeting.hostile)) == 1


async def test_correcting_keys_only_act_on_notes(store: Store, meeting: Meeting) -> None:
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting, question_id=meeting.first)
        await pilot.press("e", "minus", "a")
        assert isinstance(app.screen, ReviewScreen)
    assert all(not store.note_revisions(n.id) for n in store.list_notes(meeting.id))


async def test_a_read_only_window_cannot_correct(db_path: Path, meeting: Meeting,
                                                 store: Store) -> None:
    store.close()
    reader = Store.open(db_path, read_only=True)
    try:
        app = AppreciateApp(reader)
        async with app.run_test(size=(120, 30)) as pilot:
            await open_review(app, pilot, meeting, note_id=meeting.starred)
            await pilot.press("e", "minus")
            assert not review(app).editing
            assert "read-only" in str(review(app).query_one("#review-mode", Static).render())
    finally:
        reader.close()


# ---------------------------------------------------------------- keys, help and palette


def test_every_key_and_command_of_the_review_is_in_its_help() -> None:
    help_text = " ".join((HELP_DIR / "review.md").read_text(encoding="utf-8").split())
    for binding in ReviewScreen.BINDINGS:
        if binding.show:  # type: ignore[union-attr]
            assert binding.description in help_text, binding  # type: ignore[union-attr]
    for stance in Stance:
        assert f"`{stance.mark or '.'}`" in help_text and stance.label in help_text, stance


async def test_the_palette_commands_are_named_in_the_help(store: Store, meeting: Meeting) -> None:
    help_text = " ".join((HELP_DIR / "review.md").read_text(encoding="utf-8").split())
    app = AppreciateApp(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_review(app, pilot, meeting)
        for title, *_ in commands(review(app)):
            stem = title if "stance" not in title else "review: stance"
            assert f"`{stem}" in help_text, title
