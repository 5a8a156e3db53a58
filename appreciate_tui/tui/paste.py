"""A paste reaches the app whole, as one paste, whatever it holds.

A terminal sends a paste between two markers, ESC[200~ and ESC[201~, so that the app can tell it
from typing. Textual's parser ends the paste at the first ESC in it and turns the bytes after it
into key presses: a clipboard holding ESC then DELs deleted what the facilitator had typed, ESC then
CR saved the note half-written, ESC then ctrl+Q quit. Many terminals take ESC out of a paste; tmux
and some others pass it through, and a clipboard filled from a web page or a chat can hold one.

`PasteParser` reads everything from the start marker to the end marker as text and hands it over
as one `Paste`; everything else it leaves to Textual's parser, byte for byte as before. The text
is cleaned (`text.clean`) first: an ESC never reached a widget before, and no widget may show one.
A terminal cannot send ESC[201~ as part of a paste (it would end it); one that does not take it
out of the pasted text has ended the paste there, and nothing here can tell otherwise.

What reads the terminal on Linux and macOS is Textual's driver with this parser in it
(`paste_safe`). Windows keeps Textual's own driver: Windows Terminal takes ESC and the other
controls out of a paste itself.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Generator
from types import FunctionType

from textual import constants, events
from textual._parser import ParseEOF, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.driver import Driver

from appreciate_tui.text import clean

PASTE_LIMIT = 4 * 1024 * 1024
"""Characters held before what has been pasted so far is handed over (the rest follows as
further pastes): a terminal that never ends its paste cannot fill the memory."""

PASTE_QUIET = 3.0
"""Seconds without a byte from the terminal after which a paste that has not ended is taken as
ended. Terminals send a paste in one go; a pause this long means the end marker is not coming, and
keys must be keys again. Long enough for a paste over a slow remote connection."""

ESC = "\x1b"


class PasteParser(XTermParser):
    """Textual's terminal parser, taking a bracketed paste whole.

    Leans on Textual's private parser protocol (`textual._parser`): `parse` is a generator that
    yields what it waits for (`Read1`, with a timeout or not), is sent one character at a time,
    and has `ParseTimeout` or `ParseEOF` thrown into it. Textual's own `parse` runs inside this
    one and sees every character but those of a paste and its markers. tests/tui/test_paste.py
    holds what that must keep doing.
    """

    def __init__(
        self, debug: bool = False, *, limit: int = PASTE_LIMIT, quiet: float = PASTE_QUIET
    ) -> None:
        # Set before Textual's __init__, which starts `parse`.
        self._limit = limit
        self._quiet = quiet
        super().__init__(debug)

    def parse(self, token_callback: TokenCallback) -> Generator[Read1 | Peek1, str, None]:
        textual = super().parse(token_callback)
        awaiting = next(textual)  # only ever Read1: Textual's parser never peeks

        def give(characters: str) -> None:
            nonlocal awaiting
            for character in characters:
                awaiting = textual.send(character)

        def time_out() -> None:
            """What Textual's parser does when nothing more comes: it is told so if it was
            waiting for the rest of a sequence (a lone ESC becomes the escape key)."""
            nonlocal awaiting
            if awaiting.timeout is not None:
                awaiting = textual.throw(ParseTimeout())

        held = ""  # the beginning of what may be a start marker, not given to Textual's parser yet
        while True:
            try:
                # Held, an ESC waits for the rest of a marker as long as Textual would wait for
                # the rest of a sequence.
                character = yield (self.read1(constants.ESCAPE_DELAY) if held else awaiting)
                candidate = held + character
                if candidate == BRACKETED_PASTE_START:
                    held = ""
                    time_out()  # a sequence begun before the paste is complete as it stands
                    yield from self._read_paste(token_callback)
                elif BRACKETED_PASTE_START.startswith(candidate):
                    held = candidate
                else:
                    give(held)
                    held = ESC if character == ESC else ""
                    if not held:
                        give(character)
            except ParseTimeout:
                give(held)
                held = ""
                time_out()
            except ParseEOF:
                give(held)
                try:
                    textual.throw(ParseEOF())
                except StopIteration:
                    return

    def _read_paste(self, token_callback: TokenCallback) -> Generator[Read1, str, None]:
        """Everything up to the end marker, handed over as a `Paste`."""
        text = io.StringIO()
        length = 0
        handed_over = False
        held = ""  # the beginning of what may be the end marker

        def hand_over() -> None:
            nonlocal text, length, handed_over
            token_callback(events.Paste(clean(text.getvalue())))
            text, length, handed_over = io.StringIO(), 0, True

        def add(characters: str) -> None:
            nonlocal length
            for character in characters:
                text.write(character)
                length += 1
                if length >= self._limit:
                    hand_over()

        while True:
            try:
                character = yield self.read1(self._quiet)
            except ParseTimeout:
                add(held)
                hand_over()
                return
            except ParseEOF:
                add(held)
                hand_over()
                raise
            # Nearly every character of a paste, a million in a 1 MB one: the shortest way.
            if not held and character != ESC:
                text.write(character)
                length += 1
                if length >= self._limit:
                    hand_over()
                continue
            candidate = held + character
            if candidate == BRACKETED_PASTE_END:
                if length or not handed_over:
                    hand_over()
                return
            if BRACKETED_PASTE_END.startswith(candidate):
                held = candidate
                continue
            add(held)
            held = ESC if character == ESC else ""
            if not held:
                add(character)


def paste_safe(driver_class: type[Driver]) -> type[Driver]:
    """The driver to run the app with: the one Textual chose, reading pastes with `PasteParser`
    where that is Textual's terminal driver for Linux and macOS. Any other is left as it is."""
    if (driver_class.__module__, driver_class.__qualname__) != (
        "textual.drivers.linux_driver",
        "LinuxDriver",
    ):
        return driver_class
    return _linux_driver_reading_pastes_whole()


@functools.cache
def _linux_driver_reading_pastes_whole() -> type[Driver]:
    # Imported here: Textual's Linux driver imports termios, which Windows does not have.
    from textual.drivers import linux_driver

    # Private Textual API: LinuxDriver.run_input_thread makes its parser with
    # `XTermParser(self._debug)`, looking the name up in its module. The same function, looking
    # names up in a copy of that module's namespace where XTermParser is PasteParser, is Textual's
    # input loop with nothing else changed. tests/tui/test_paste.py fails if Textual stops making
    # its parser there.
    textuals = linux_driver.LinuxDriver.run_input_thread
    names = {**vars(linux_driver), "XTermParser": PasteParser}

    class LinuxDriverReadingPastesWhole(linux_driver.LinuxDriver):
        """Textual's Linux and macOS driver, reading the terminal with `PasteParser`."""

        run_input_thread = FunctionType(
            textuals.__code__, names, textuals.__name__, textuals.__defaults__, textuals.__closure__
        )

    return LinuxDriverReadingPastesWhole
