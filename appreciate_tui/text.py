"""Text in and text out (DESIGN.md section 6).

`clean` is applied to everything typed, pasted or imported before it is stored: it removes what a
terminal would act on and keeps every character a person wrote (emoji, right-to-left scripts,
combining marks) exactly. `printable` is applied to anything shown on a terminal: a control
character in stored text (written there by another program, say) becomes a visible symbol and can
never change the terminal's title, colours or layout.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bidi embeddings, overrides and isolates can reorder what follows them on screen; shown, not obeyed.
_BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_PRINT_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: str) -> str:
    """Make typed or pasted text safe to store.

    Line endings become `\\n`; C0 controls other than tab and newline, DEL, C1 controls and lone
    surrogates are removed. Everything else is kept as it was.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("", text)


def clean_line(text: str) -> str:
    """`clean` for a one-line field: newlines and tabs become single spaces."""
    return " ".join(clean(text).replace("\t", " ").split("\n")).strip()


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ ␇ ␀ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Make stored text safe to write to a terminal: controls become visible symbols."""
    if keep_newlines:
        return "\n".join(_PRINT_ESCAPE.sub(_visible, line) for line in text.split("\n"))
    return _PRINT_ESCAPE.sub(_visible, text.replace("\n", "\u2424"))


def has_bidi_control(text: str) -> bool:
    return bool(_BIDI_CONTROL.search(text))


def one_line(text: str, width: int | None = None) -> str:
    """A single printable line, shortened with an ellipsis to `width` characters if given."""
    line = printable(text, keep_newlines=False).replace("\t", " ")
    if width is not None and len(line) > width:
        return line[: max(0, width - 1)] + "…"
    return line
