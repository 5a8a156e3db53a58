"""A bracketed paste reaches the app whole, as one paste, whatever it contains (tui/paste.py).

Textual's own parser ends a paste at the first ESC in it and turns what follows into key presses:
pasted DELs delete what the facilitator has typed, a pasted CR saves the note half-written, a
pasted ctrl+Q quits. These tests feed raw terminal bytes to the parser the app reads its terminal
with, in the chunks a terminal's reads may cut them into, and to Textual's own input loop.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from types import SimpleNamespace

import pytest
from textual import constants, events
from textual._xterm_parser import XTermParser

from appreciate_tui.tui.paste import PASTE_LIMIT, PasteParser, paste_safe

START, END = "\x1b[200~", "\x1b[201~"
TYPED = "we share the chronology"


def described(event: object) -> tuple[object, ...]:
    if isinstance(event, events.Paste):
        return ("paste", event.text)
    if isinstance(event, events.Key):
        return ("key", event.key)
    if isinstance(event, events.MouseEvent):
        return (type(event).__name__, event.x, event.y)
    return (type(event).__name__,)


def fed(parser: XTermParser, *chunks: str) -> list[tuple[object, ...]]:
    return [described(event) for chunk in chunks for event in parser.feed(chunk)]


def after_a_pause(parser: XTermParser, seconds: float) -> list[tuple[object, ...]]:
    """What the parser says once `seconds` have passed with nothing more from the terminal (the
    driver asks it, with `tick`, after every wait for input)."""
    time.sleep(seconds)
    return [described(event) for event in parser.tick()]


def keys(text: str) -> list[tuple[object, ...]]:
    return [("key", "space" if char == " " else char) for char in text]


# ------------------------------------------------------------------ an ESC inside a paste


@pytest.mark.parametrize(
    ("pasted", "arrives"),
    [
        ("the child\x1b was seen", "the child was seen"),
        ("words" + "\x1b" + "\x7f" * 20, "words"),  # DEL x20, as keys: what was typed deleted
        ("half a note\x1b\rthe rest", "half a note\nthe rest"),  # CR, as a key: the note saved now
        ("before\x1b\x11after", "beforeafter"),  # ctrl+Q, as a key: quit
        ("F10\x1b[21~next", "F10[21~next"),  # F10, as a key: "End this conversation?"
        ("up\x1b[Adown\x1bOB", "up[AdownOB"),  # arrow keys
        ("alt\x1bq", "altq"),
        ("\x1b", ""),
        ("\x1b\x1b\x1b[20", "[20"),
        ("a partial end\x1b[201", "a partial end[201"),
        ("a second start\x1b[200~inside", "a second start[200~inside"),
    ],
    ids=["esc", "esc-del", "esc-cr", "esc-ctrl-q", "esc-f10", "esc-arrows", "esc-alt",
         "only-esc", "escs", "partial-end", "second-start"],
)
def test_an_esc_inside_a_paste_stays_in_the_paste(pasted: str, arrives: str) -> None:
    assert fed(PasteParser(), START + pasted + END) == [("paste", arrives)]


def test_the_paste_arrives_cleaned_as_typed_text_is() -> None:
    """Every widget gets pasted text it may show: no control character, line endings as `\\n`."""
    pasted = "Ann\x07e\x00 \x9b31m\r\nsaid\tso 🙂 שלום e\u0301"
    kept = "Anne 31m\nsaid\tso 🙂 שלום e\u0301"
    assert fed(PasteParser(), START + pasted + END) == [("paste", kept)]


def test_keys_before_and_after_a_paste_are_keys() -> None:
    events_seen = fed(PasteParser(), "ab\x1b[A" + START + "x\x1b\x7fy" + END + "\x1b[Bcd\r")
    assert events_seen == [
        *keys("ab"), ("key", "up"), ("paste", "xy"), ("key", "down"), *keys("cd"), ("key", "enter")
    ]


def test_two_pastes_in_a_row_are_two_pastes() -> None:
    assert fed(PasteParser(), START + "one\x1b" + END + START + "two" + END) == [
        ("paste", "one"), ("paste", "two")
    ]


def test_an_empty_paste_is_an_empty_paste() -> None:
    assert fed(PasteParser(), START + END + "k") == [("paste", ""), ("key", "k")]


# ------------------------------------------------------------------ however the reads cut it

SESSION = "ab" + START + "x\x1b\x7f\x7f\x1b\ry\x1b[201x\x1b[20~z" + END + "\x1b[Bc"
SESSION_EVENTS = [*keys("ab"), ("paste", "x\ny[201x[20~z"), ("key", "down"), ("key", "c")]


def test_a_paste_one_character_per_read() -> None:
    assert fed(PasteParser(), *SESSION) == SESSION_EVENTS


@pytest.mark.parametrize("cut", range(1, len(SESSION)))
def test_a_paste_cut_into_two_reads_anywhere(cut: int) -> None:
    assert fed(PasteParser(), SESSION[:cut], SESSION[cut:]) == SESSION_EVENTS


def test_a_paste_in_many_reads_of_many_sizes() -> None:
    pasted = "".join(f"line {n}\x1b\x7f\x1b\r\x1b\x11 " for n in range(2_000))
    data = START + pasted + END + "q"
    chunks, at, size = [], 0, 1
    while at < len(data):
        chunks.append(data[at : at + size])
        at += size
        size = size % 4_096 + 7
    expected = "".join(f"line {n}\n " for n in range(2_000))
    assert fed(PasteParser(), *chunks) == [("paste", expected), ("key", "q")]


# ------------------------------------------------------------------ a paste that never ends


def test_a_paste_longer_than_the_limit_arrives_in_pieces_never_as_keys() -> None:
    parser = PasteParser(limit=10)
    assert fed(parser, START + "0123456789" + "abcdefghij" + "\x1b\r\x11klm" + END + "n") == [
        ("paste", "0123456789"), ("paste", "abcdefghij"), ("paste", "\nklm"), ("key", "n")
    ]


def test_an_unterminated_paste_is_delivered_after_a_quiet_spell_then_keys_are_keys() -> None:
    parser = PasteParser(quiet=0.5)
    assert fed(parser, "a" + START + "never\x1b\x7f ended") == [("key", "a")]
    assert after_a_pause(parser, 0.1) == []  # a slow terminal: still the same paste
    assert fed(parser, "\x1b\rstill") == []
    assert after_a_pause(parser, 0.7) == [("paste", "never ended\nstill")]
    assert fed(parser, "b\x1b[B") == [("key", "b"), ("key", "down")]


def test_an_unterminated_paste_never_holds_more_than_the_limit() -> None:
    parser = PasteParser(limit=1_000)
    seen = fed(parser, START, *(["x" * 999 + "\x1b"] * 50))
    assert seen == [("paste", "x" * 999)] * 49  # the fiftieth is still being collected
    assert all(len(text) <= 1_000 for _, text in seen)


def test_the_limit_is_more_than_a_megabyte() -> None:
    assert PASTE_LIMIT > 1_000_000


def test_a_megabyte_paste_arrives_whole() -> None:
    pasted = ("Children's social care shared the chronology on the day. " * 20_000)[:1_000_000]
    reads = [pasted[at : at + 4_096] for at in range(0, len(pasted), 4_096)]  # the driver's reads
    assert fed(PasteParser(), START, *reads, END) == [("paste", pasted)]


# ------------------------------------------------------------------ everything else as before


def test_a_lone_escape_is_still_the_escape_key() -> None:
    parser = PasteParser()
    assert fed(parser, "\x1b") == []  # an ESC might begin a sequence: Textual waits to see
    assert after_a_pause(parser, constants.ESCAPE_DELAY + 0.05) == [("key", "escape")]
    assert fed(parser, "x") == [("key", "x")]


def test_escape_pressed_just_before_a_paste_is_the_escape_key() -> None:
    assert fed(PasteParser(), "\x1b" + START + "p" + END) == [("key", "escape"), ("paste", "p")]


# Sequences that share a beginning with the paste's start marker, or are its end marker alone.
NOT_PASTES = [
    "plain typing", "\x1b[A\x1b[1;5C\x1bOB", "\x1ba\x1bq", "\x1b[2~", "\x1b[20~", "\x1b[21~",
    "\x1b[201~", "\x1b[200", "\x1b[<0;10;5M\x1b[<0;10;5m", "\x1b[I\x1b[O", "\x7f\r\x11\t",
    "\x1b\x1b", "\x1b[", "\x1b[2", "\x1b[20", "\x1b[1;2", "ö 🙂",
]


@pytest.mark.parametrize("data", NOT_PASTES)
@pytest.mark.parametrize("reads", ["whole", "one-by-one"])
def test_what_is_not_a_paste_parses_exactly_as_textual_parses_it(data: str, reads: str) -> None:
    chunks = [data] if reads == "whole" else list(data)
    ours, textuals = PasteParser(), XTermParser()
    ours_seen, textuals_seen = fed(ours, *chunks), fed(textuals, *chunks)
    time.sleep(constants.ESCAPE_DELAY + 0.05)  # for whatever either is still waiting to finish
    ours_seen += [described(event) for event in ours.tick()]
    textuals_seen += [described(event) for event in textuals.tick()]
    assert ours_seen == textuals_seen


# ------------------------------------------------------------------ the driver reads with it


def test_the_driver_reads_the_terminal_with_the_paste_parser() -> None:
    """The app's driver is Textual's own input loop with this parser in it. If Textual stops
    building its parser where the driver swaps it in, this fails."""
    if sys.platform == "win32":
        pytest.skip("Windows Terminal strips ESC from a paste; Textual's Windows driver is kept")
    from textual.drivers.linux_driver import LinuxDriver

    driver = paste_safe(LinuxDriver)
    assert issubclass(driver, LinuxDriver)
    assert "XTermParser" in LinuxDriver.run_input_thread.__code__.co_names

    read_end, write_end = os.pipe()
    seen: list[object] = []
    pretend = SimpleNamespace(fileno=read_end, exit_event=threading.Event(), _debug=False,
                              process_message=seen.append)
    reader = threading.Thread(target=driver.run_input_thread, args=(pretend,))
    reader.start()
    try:
        os.write(write_end, (TYPED + START + "x\x1b" + "\x7f" * 20 + "\x1b\r\x1b\x11y" + END
                             + "z").encode())
        deadline = time.monotonic() + 10
        while len(seen) < len(TYPED) + 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        pretend.exit_event.set()
        reader.join(timeout=10)
        os.close(write_end)
        os.close(read_end)
    assert [described(event) for event in seen] == [*keys(TYPED), ("paste", "x\ny"), ("key", "z")]


@pytest.mark.parametrize(
    ("module", "name"),
    [("textual.drivers.windows_driver", "WindowsDriver"),
     ("textual.drivers.headless_driver", "HeadlessDriver"),
     ("textual.drivers.web_driver", "WebDriver"),
     ("somewhere.else", "LinuxDriver")],
)
def test_other_drivers_are_left_as_textual_made_them(module: str, name: str) -> None:
    """Named by module and class, as Windows could not import them to compare."""
    other = type(name, (), {"__module__": module})
    assert paste_safe(other) is other  # type: ignore[arg-type]
