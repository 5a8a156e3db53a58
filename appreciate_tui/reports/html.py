"""Documents as one self-contained web page: readable on screen, printable on A4.

The page is the document's Markdown (`markdown.py`, where all text is already escaped) rendered by
markdown-it-py with raw HTML switched off and only the rules a document uses switched on, so not
even a mistake in the escaping could let a note become a tag or a link. The page has its styles
inline and nothing else: no script, no image, no font or stylesheet fetched from anywhere, and a
content security policy that forbids them all, so it opens the same offline, in an email client or
on a locked-down network.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from appreciate_tui.reports import markdown
from appreciate_tui.reports.document import Document
from appreciate_tui.text import one_line

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1b1b1b;
  font: 16px/1.5 "Segoe UI", Arial, "Helvetica Neue", Helvetica, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header { border-bottom: 3px solid #1d4f73; margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; line-height: 1.2; color: #1d4f73; margin: 0 0 .75rem; }
h2 { font-size: 1.4rem; color: #1d4f73; margin: 2rem 0 .5rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .4rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p, li, td, th, blockquote { unicode-bidi: plaintext; overflow-wrap: anywhere; }
li { margin: .25rem 0; }
blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid #7aa6c2;
  background: #f3f7fa; }
blockquote p { margin: .4rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }
th, td { border: 1px solid #9aa5ad; padding: .4rem .5rem; text-align: left; vertical-align: top; }
/* A column is never narrower than its longest word ("Status", "Children's"): only the first
   column, the action itself, may break a word too long for the page. */
th, td { overflow-wrap: break-word; hyphens: manual; }
td:first-child { overflow-wrap: anywhere; }
th { background: #e4edf3; }
em { color: #333; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 15pt; }
  h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  blockquote, tr, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  blockquote, th { background: none; }
}
"""

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body{body_class}>
<main>
{body}</main>
</body>
</html>
"""


# CommonMark rules a document never uses. With them off, not even a slip in the escaping could turn
# text into code, a link, an image, an entity or HTML; and the page renders a little faster.
UNUSED_RULES = [
    "code",
    "fence",
    "reference",
    "html_block",
    "lheading",
    "hr",
    "backticks",
    "link",
    "image",
    "autolink",
    "html_inline",
    "entity",
]


@lru_cache(maxsize=1)
def renderer() -> MarkdownIt:
    """CommonMark with raw HTML off, plus tables (the actions table), minus the unused rules."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(UNUSED_RULES)


def _anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def page(document: Document) -> str:
    md = renderer()
    sections = "".join(
        f'<section id="{_anchor(part.heading)}">\n{md.render(markdown.section(part))}</section>\n'
        for part in document.sections
    )
    return shell(html.escape(one_line(document.title)), STYLE,
                 f"<header>\n{md.render(markdown.front(document))}</header>\n{sections}")


def shell(title: str, style: str, body: str, *, body_class: str = "") -> str:
    """A page with no scripts and nothing fetched (its Content-Security-Policy): `title` and
    `body` already escaped HTML, `style` the page's CSS."""
    return PAGE.format(title=title, style=style, body=body,
                       body_class=f' class="{body_class}"' if body_class else "")
