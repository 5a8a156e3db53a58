"""The packaged help, Markdown, drawn as one Rich renderable in the theme's colours.

Textual's Markdown widget builds a widget for every block; for the whole help that is about two
seconds of layout on a modest laptop, long enough for the screen to look frozen in a meeting. The
help files use a small part of Markdown (headings, paragraphs, bullet lists, tables, rules, code,
**bold** and *italics*), so they are drawn directly, as text in a single widget, in a few
milliseconds. Quotes and numbered lists read as plain paragraphs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

_PARSER = MarkdownIt("commonmark").enable("table")


def before_heading(markdown: str, heading: str) -> str | None:
    """The Markdown above the first heading (of any level) that reads `heading`, ignoring case and
    code marks ("People" finds "## People", "Sending the questions" finds "## Sending the
    questions in advance (`F6`)"), or None when no heading does: drawn, its height is how far
    down the help that heading starts."""
    wanted = heading.casefold().strip()
    tokens = _PARSER.parse(markdown)
    for token, inline in zip(tokens, tokens[1:]):
        if token.type == "heading_open" and token.map is not None:
            said = inline.content.replace("`", "").replace("*", "").casefold()
            if wanted and said.startswith(wanted):
                return "".join(markdown.splitlines(keepends=True)[: token.map[0]])
    return None


def render_help(markdown: str, theme: Mapping[str, str]) -> RenderableType:
    """`theme` is `App.theme_variables`: the current theme's colours, by variable name."""
    styles = _Styles(theme)
    tokens = iter(_PARSER.parse(markdown))
    blocks: list[RenderableType] = []
    for token in tokens:
        if token.type == "heading_open":
            blocks.append(_heading(next(tokens), int(token.tag[1]), styles))
        elif token.type == "paragraph_open":
            blocks.append(Padding(_inline(next(tokens), styles), (0, 0, 1, 0)))
        elif token.type == "bullet_list_open":
            blocks.append(_bullets(tokens, styles))
        elif token.type == "table_open":
            blocks.append(_table(tokens, styles))
        elif token.type == "hr":
            blocks.append(Padding(Rule(style=styles.muted), (0, 0, 1, 0)))
        elif token.type in ("fence", "code_block"):
            blocks.append(Padding(Text(token.content.rstrip(), styles.code), (0, 0, 1, 2)))
    return Group(*blocks)


class _Styles:
    def __init__(self, theme: Mapping[str, str]) -> None:
        self.heading = Style(color=theme.get("primary"), bold=True)
        self.code = Style(color=theme.get("accent"))
        self.muted = Style(dim=True)


def _heading(inline: Token, level: int, styles: _Styles) -> RenderableType:
    # Every block ends with a blank line, so a heading needs none above it.
    text = _inline(inline, styles)
    text.stylize(styles.heading + Style(underline=level == 2))
    return Padding(text, (0, 0, 1 if level == 1 else 0, 0))


def _inline(token: Token, styles: _Styles) -> Text:
    text = Text()
    open_styles: list[Style] = []
    for child in token.children or []:
        if child.type == "strong_open":
            open_styles.append(Style(bold=True))
        elif child.type == "em_open":
            open_styles.append(Style(italic=True))
        elif child.type in ("strong_close", "em_close"):
            open_styles.pop()
        elif child.type in ("softbreak", "hardbreak"):
            text.append(" " if child.type == "softbreak" else "\n")
        else:
            code = [styles.code] if child.type == "code_inline" else []
            text.append(child.content, sum(open_styles + code, Style.null()))
    return text


def _until(tokens: Iterator[Token], closing: str) -> Iterator[Token]:
    for token in tokens:
        if token.type == closing:
            return
        yield token


def _bullets(tokens: Iterator[Token], styles: _Styles) -> RenderableType:
    # A grid keeps wrapped lines of an item under its text, not under the bullet.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=styles.muted)
    grid.add_column()
    for token in _until(tokens, "bullet_list_close"):
        if token.type == "inline":
            grid.add_row("•", _inline(token, styles))
    return Padding(grid, (0, 0, 1, 0))


def _table(tokens: Iterator[Token], styles: _Styles) -> RenderableType:
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0),
                  header_style=styles.muted + Style(bold=True))
    in_header = False
    row: list[Text] = []
    for token in _until(tokens, "table_close"):
        if token.type in ("thead_open", "thead_close"):
            in_header = token.type == "thead_open"
        elif token.type == "inline" and in_header:
            # The first column holds keys and marks: never broken across lines.
            table.add_column(_inline(token, styles), no_wrap=not table.columns)
        elif token.type == "inline":
            row.append(_inline(token, styles))
        elif token.type == "tr_close" and row:
            table.add_row(*row)
            row = []
    return Padding(table, (0, 0, 1, 0))
