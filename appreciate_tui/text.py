"""Text in and text out (DESIGN.md section 6).

`clean` is applied to everything typed, pasted or imported before it is stored: it removes what a
terminal would act on and keeps every character a person wrote (emoji, right-to-left scripts,
combining marks) exactly. `printable` is applied to anything shown on a terminal: a control
character in stored text (written there by another program, say) becomes a visible symbol and can
never change the terminal's title, colours or layout; `one_line` and `field_line` are its shapes for
a single line of a list and for a text field holding stored text.

A paste goes further than `clean` (`pasted`, `pasted_line`): bidi embeddings, overrides and isolates
are dropped, as no key types one and on screen they would reorder what follows them. Right-to-left
text keeps its letters and the direction they carry; stored text holding such a control shows it
as a symbol instead, so a facilitator can see that something odd was written there.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidi embeddings, overrides and isolates can reorder what follows them on screen; shown, not obeyed.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_PRINT_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Line and paragraph separators end a line as a newline does; a terminal given one raw may draw
# nothing, a box, or break the line where the layout does not expect it.
_SEPARATOR = re.compile("[\u2028\u2029]")
_LINE_BREAK_OR_TAB = re.compile("[\t\n\u2028\u2029]")
_FIELD_BREAK = re.compile("\r\n|[\r\n\t\u2028\u2029]")
# What `clean` removes or changes: controls (CR among them) and lone surrogates.
_NOT_CLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# JSON escapes C0 controls itself; C1 controls and bidi controls are escaped too (`safe_json`).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Make typed or pasted text safe to store.

    Line endings become `\\n`; C0 controls other than tab and newline, DEL, C1 controls and lone
    surrogates are removed. Everything else is kept as it was.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("", text)


def needs_cleaning(text: str) -> bool:
    """Whether `clean` would change `text`: quicker than cleaning and comparing, for checking
    many values that are nearly always clean already (an imported bundle's)."""
    return bool(_NOT_CLEAN.search(text))


def clean_line(text: str) -> str:
    """`clean` for a one-line field: line breaks (line and paragraph separators too) and tabs
    become single spaces."""
    return _LINE_BREAK_OR_TAB.sub(" ", clean(text)).strip()


def pasted(text: str) -> str:
    """Make pasted text what typing it could have made: `clean`, bidi controls dropped, line and
    paragraph separators made newlines."""
    return _SEPARATOR.sub("\n", _BIDI_CONTROL.sub("", clean(text)))


def pasted_line(text: str) -> str:
    """`pasted` for a one-line field: line breaks and tabs become single spaces."""
    return clean_line(_BIDI_CONTROL.sub("", text))


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ ␇ ␀ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Make stored text safe to write to a terminal: controls become visible symbols.

    Line and paragraph separators are shown as the line breaks they are; with `keep_newlines`
    false every line break is shown as ␤.
    """
    text = _SEPARATOR.sub("\n", text)
    if keep_newlines:
        return "\n".join(_PRINT_ESCAPE.sub(_visible, line) for line in text.split("\n"))
    return _PRINT_ESCAPE.sub(_visible, text.replace("\n", "\u2424"))


def has_bidi_control(text: str) -> bool:
    return bool(_BIDI_CONTROL.search(text))


def field_line(text: str) -> str:
    """Stored text as a one-line text field holds it: line breaks and tabs become spaces, as
    `clean_line` would store them, and every other control a visible symbol. Applying it again
    changes nothing, so a field can apply it to every value it is given."""
    return printable(_FIELD_BREAK.sub(" ", text))


def one_line(text: str, width: int | None = None) -> str:
    """A single printable line, shortened with an ellipsis to `width` characters if given."""
    line = printable(text, keep_newlines=False).replace("\t", " ")
    if width is not None and len(line) > width:
        return line[: max(0, width - 1)] + "…"
    return line


def safe_json(text: str) -> str:
    """JSON text with C1 controls and bidi controls escaped as `\\u....`: the data stays exact for
    whoever reads it, and printing it to a terminal stays harmless."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
