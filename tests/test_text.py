"""Safety of text (DESIGN.md section 6; reliability.md section 5): what is typed or pasted is cleaned
before it is stored, and whatever is stored (even by another program) is made printable before it
reaches a terminal."""

from __future__ import annotations

import sqlite3
import unicodedata
import uuid
from pathlib import Path

import pytest

from appreciate_tui.domain import Phase
from appreciate_tui.store import Store
from appreciate_tui.text import (
    clean,
    clean_line,
    field_line,
    has_bidi_control,
    one_line,
    pasted,
    pasted_line,
    printable,
)

C0_DROPPED = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
SEPARATORS = ["\u2028", "\u2029"]  # line and paragraph separators

KEPT_EXACTLY = [
    "👩‍👩‍👧‍👦 family of four",  # emoji ZWJ sequence
    "👍🏽 and 🏳️‍🌈 and 🇬🇧",  # skin tone modifier, flag with VS16 + ZWJ, regional indicators
    "مرحبا بكم في الاجتماع",  # Arabic
    "שלום, מה שלומך?",  # Hebrew
    "Zoe\u0308 and Zoë",  # decomposed and precomposed: not normalised, both kept
    "a\u0301\u0302\u0303 stacked combining marks",
    "क्षत्रिय देवनागरी",  # Devanagari with virama
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 astral 𠜎",
    "zero\u200bwidth\u200cnon\u200djoiner\ufeffbom",
    "tab\there\nnew line",
]


def forbidden(text: str) -> list[str]:
    """Characters a terminal could act on: C0 except tab/newline, DEL, C1, bidi controls, line and
    paragraph separators, surrogates."""
    return [
        f"U+{ord(ch):04X}"
        for ch in text
        if (ord(ch) < 0x20 and ch not in "\t\n")
        or 0x7F <= ord(ch) <= 0x9F
        or ch in BIDI
        or ch in SEPARATORS
        or 0xD800 <= ord(ch) <= 0xDFFF
    ]


def assert_terminal_safe(text: str) -> None:
    assert forbidden(text) == []
    raw = text.encode("utf-8")  # a surrogate left in would fail here
    bad_bytes = [b for b in raw if b <= 0x08 or 0x0B <= b <= 0x1F or b == 0x7F]
    assert bad_bytes == []
    assert "\u0080" not in text and not any("\u0080" <= ch <= "\u009f" for ch in text)


# ---------------------------------------------------------------- clean


@pytest.mark.parametrize("char", C0_DROPPED + ["\x7f"] + C1, ids=lambda c: f"U+{ord(c):04X}")
def test_clean_removes_each_control_character(char: str) -> None:
    assert clean(f"be{char}fore") == "before"


@pytest.mark.parametrize("char", ["\ud800", "\udbff", "\udc00", "\udce9", "\udfff"])
def test_clean_removes_lone_surrogates(char: str) -> None:
    cleaned = clean(f"caf{char}é")
    assert cleaned == "café"
    cleaned.encode("utf-8")


def test_clean_keeps_tab_and_newline_and_turns_cr_into_lf() -> None:
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean("one\r\ntwo\rthree\n\rfour") == "one\ntwo\nthree\n\nfour"


def test_clean_strips_a_hostile_paste_to_its_visible_text() -> None:
    paste = "Note\x1b]2;PWNED\x07 \x1b[2J\x1b]52;c;ZXZpbA==\x07 \x9b31m red\x00 end\x7f\x08"
    assert clean(paste) == "Note]2;PWNED [2J]52;c;ZXZpbA== 31m red end"


@pytest.mark.parametrize("text", KEPT_EXACTLY)
def test_clean_keeps_every_script_byte_exact(text: str) -> None:
    assert clean(text).encode("utf-8") == text.encode("utf-8")


def test_clean_does_not_touch_ordinary_characters() -> None:
    everything = "".join(
        chr(c)
        for c in range(0x20, 0x3000)
        if not (0x7F <= c <= 0x9F) and unicodedata.category(chr(c)) != "Cs"
    )
    assert clean(everything) == everything


def test_clean_line_folds_lines_and_tabs() -> None:
    assert clean_line("  Strategy\tmeeting\r\nreview \x1b[31m ") == "Strategy meeting review [31m"
    assert clean_line("one\u2028two\u2029three") == "one two three"
    assert clean_line("\n\n") == ""


# ---------------------------------------------------------------- pasted


def test_a_paste_loses_what_no_key_could_type() -> None:
    paste = "evil\u202etxt.exe\u202c and \u2066isolated\u2069\x1b]0;x\x07\u2028next\u2029last"
    assert pasted(paste) == "eviltxt.exe and isolated]0;x\nnext\nlast"
    assert pasted_line(paste) == "eviltxt.exe and isolated]0;x next last"
    assert pasted_line("  one\r\ntwo\tthree  ") == "one two three"


@pytest.mark.parametrize("text", KEPT_EXACTLY)
def test_a_paste_keeps_every_script_byte_exact(text: str) -> None:
    assert pasted(text).encode("utf-8") == text.encode("utf-8")
    assert pasted_line(text) == clean_line(text)


# ---------------------------------------------------------------- printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b", "\u241b"),  # ␛
        ("\x07", "\u2407"),  # ␇
        ("\x00", "\u2400"),  # ␀
        ("\x08", "\u2408"),  # ␈
        ("\x0d", "\u240d"),  # ␍
        ("\x7f", "\u2421"),  # ␡
        ("\x9b", "<U+009B>"),
        ("\x85", "<U+0085>"),
        ("\u202e", "<U+202E>"),
        ("\u2066", "<U+2066>"),
        ("\ud83d", "<U+D83D>"),
    ],
)
def test_printable_shows_controls_as_visible_symbols(raw: str, shown: str) -> None:
    assert printable(f"a{raw}b") == f"a{shown}b"


def test_line_and_paragraph_separators_show_as_line_breaks() -> None:
    assert printable("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert one_line("one\u2028two\u2029three") == "one\u2424two\u2424three"


def test_a_field_shows_stored_text_on_one_line_with_its_controls_visible() -> None:
    stored = "\x1b]0;pwned\x07 a\tb\r\nc\nd\u2028e \u202eevil\x9b"
    assert field_line(stored) == "\u241b]0;pwned\u2407 a b c d e <U+202E>evil<U+009B>"


@pytest.mark.parametrize("text", KEPT_EXACTLY)
def test_a_field_leaves_real_text_alone(text: str) -> None:
    assert field_line(text) == text.replace("\t", " ").replace("\n", " ")


def test_a_field_shows_every_character_safely_and_again_the_same() -> None:
    every_bmp_char = "".join(chr(c) for c in range(0x0000, 0x10000))
    shown = field_line(every_bmp_char)
    assert_terminal_safe(shown)
    assert "\n" not in shown and "\t" not in shown
    assert field_line(shown) == shown  # a field applies it to every value, typed ones included


def test_printable_keeps_newlines_and_tabs_unless_asked() -> None:
    assert printable("one\n\ttwo") == "one\n\ttwo"
    assert printable("one\ntwo", keep_newlines=False) == "one\u2424two"
    assert one_line("one\n\ttwo") == "one\u2424 two"
    assert one_line("abcdefghij", width=5) == "abcd…"


@pytest.mark.parametrize("text", KEPT_EXACTLY)
def test_printable_leaves_real_text_alone(text: str) -> None:
    assert printable(text).encode("utf-8") == text.encode("utf-8")


def test_printable_never_lets_a_control_through() -> None:
    every_bmp_char = "".join(chr(c) for c in range(0x0000, 0x10000))
    assert_terminal_safe(printable(every_bmp_char))
    assert_terminal_safe(printable(every_bmp_char, keep_newlines=False))
    assert_terminal_safe(one_line(every_bmp_char))


def test_bidi_controls_are_detected() -> None:
    assert has_bidi_control("evil\u202eexe.txt")
    assert not has_bidi_control("مرحبا שלום")


# ---------------------------------------------------------------- hostile text stored by another program

HOSTILE = (
    "Note\x1b]2;PWNED\x1b\\ then \x1b[2J\x1b[H cleared"
    "\x1b]52;c;ZXZpbA==\x07 clipboard \x9b31m C1 CSI \u202eevil\u202c"
    " \x00 nul \x7f del \r cr \x08 bs \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
)


def test_hostile_text_written_with_raw_sql_prints_safely(db_path: Path) -> None:
    with Store.open(db_path) as store:
        conversation = store.create_conversation("Placeholder")
        question = store.add_question(conversation.id, "Placeholder?", Phase.DISCOVER)
    note_id = str(uuid.uuid4())
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE conversations SET title = ?, topic = ?", [HOSTILE, HOSTILE])
        conn.execute("UPDATE questions SET text = ?", [HOSTILE])
        conn.execute(
            "INSERT INTO notes (id, conversation_id, question_id, body, agency, sha256, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'x', '2026-03-12T09:30:00.000000+00:00', '2026-03-12T09:30:00.000000+00:00')",
            [note_id, conversation.id, question.id, HOSTILE, HOSTILE],
        )
    conn.close()

    with Store.open(db_path) as store:
        note = store.get_note(note_id)
        assert note.body == HOSTILE  # stored as the other program wrote it ...
        got = store.get_conversation(conversation.id)
        fields = [note.body, note.agency, got.title, got.topic, store.get_question(question.id).text]
        hits = store.search("pwned")
        assert {hit.kind for hit in hits} == {"note", "question", "conversation"}
        fields += [hit.snippet for hit in hits] + [hit.question for hit in hits]
        fields += [hit.conversation_title for hit in hits]
    for field in fields:
        assert forbidden(field), "the fixture should hold controls"
        shown = printable(field)  # ... and never printed as it is
        assert_terminal_safe(shown)
        assert_terminal_safe(one_line(field))
        # Shown, not silently dropped: the facilitator can see that something odd was stored.
        assert shown.count("\u241b") == field.count("\x1b") > 0


def test_needs_cleaning_is_whether_clean_changes_it() -> None:
    from appreciate_tui.text import needs_cleaning

    for text in ["plain", "tab\tand\nnewline", *KEPT_EXACTLY, *BIDI, *SEPARATORS]:
        assert needs_cleaning(text) is (clean(text) != text), repr(text)
    for text in [*C0_DROPPED, *C1, "\x7f", "a\rb", "\ud800"]:
        assert needs_cleaning(text) and clean(text) != text, repr(text)


def test_safe_json_escapes_c1_and_bidi_controls_and_nothing_else() -> None:
    from appreciate_tui.text import safe_json

    assert safe_json('"a\x85b\u202ec\u2066"') == '"a\\u0085b\\u202ec\\u2066"'
    assert safe_json("🏳️‍🌈 مرحبا \\n") == "🏳️‍🌈 مرحبا \\n"
