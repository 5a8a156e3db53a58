"""How framing warnings read on screen: what is wrong, then an appreciative way to ask it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from appreciate_tui.banks.lint import QuestionWarning

MARK = "⚠"


def lint_content(warnings: Sequence[QuestionWarning]) -> Content:
    """Each warning on its own lines; empty when the question reads well."""
    parts: list[Content] = []
    for warning in warnings:
        parts.append(
            Content.assemble(
                (f"{MARK} ", "bold $warning"),
                (warning.message, "$text"),
                "\n  ",
                ("Try: ", "bold $text-muted"),
                (warning.hint, "italic $text-muted"),
            )
        )
    return Content("\n").join(parts)
