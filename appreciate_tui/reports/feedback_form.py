"""The feedback form to print: one A4 page participants fill in by hand at the end of a
conversation, made from its plan, for the facilitator to copy into the wrap-up afterwards (the
feedback form there takes the same answers in the same order).

It has the conversation's title, date and place; each prepared question with a scale from 1 (not
useful) to 5 (very useful) to circle; the activity's rating from 1 (not at all worthwhile) to 5
(very worthwhile); whether having the questions in advance helped, or would have; a box for
comments; and a line for the agency (a name only if they wish). As Markdown (to paste into an
email or a partnership's own template), a web page (prints on one A4 page) or a Word file (A4).

A blank form names no one and holds nothing anyone said: only the plan's title, date, place and
questions, which the question sheet has already sent to participants. So making one is not
recorded in the sharing record (printing a pile of blank forms is not sharing the conversation).
Like every export it is written privately (mode 0600) and never over another file unless asked.
Text from the plan is data, never markup, in every format: escaped for Markdown and HTML, written
as XML text in Word.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from appreciate_tui import domain
from appreciate_tui.domain import RATING_LABELS, SCORE_LABELS, SCORES
from appreciate_tui.reports.document import (
    Document,
    Paragraph,
    Section,
    Table,
    em,
    paragraph,
    plain,
    sentence,
    strong,
)
from appreciate_tui.reports.model import Report
from appreciate_tui.text import one_line, printable
from appreciate_tui.wording import long_date

if TYPE_CHECKING:
    from appreciate_tui.store import Store

FORMATS = ("md", "html", "docx")
CONTENTS = "feedback-form"
"""What the file holds, in its default name: `2026-02-26-feedback-form-mash-…-c26f4195.docx`."""

TITLE = "Feedback on the conversation"
THANKS = (
    "Thank you for taking part. Your answers help us make these conversations better. Write your "
    "agency; your name only if you wish."
)
SCALE = f"Circle one number for each question: 1 = {SCORE_LABELS[1]}, 5 = {SCORE_LABELS[5]}."
ASKED = (
    "1. How useful was each question?",
    "2. Overall, how worthwhile was the conversation?",
    "3. Did having the questions in advance help you, or would it have?",
    "4. Comments",
)
COMMENTS = "What worked well, and what would you change?"
HAND_BACK = "Please hand this form back to the facilitator before you leave."
ADVANCE = ("Yes", "No")
BOX = "☐"
LINE = "." * 40


@dataclass(frozen=True)
class FeedbackForm:
    """What a printed form says, read from a conversation's plan."""

    title: str
    held: str  # "An appreciative conversation on 26 February 2026 at 10:00, MASH, Exeter."
    questions: tuple[tuple[str, str], ...]  # (number, text) of each prepared question


def feedback_form(report: Report) -> FeedbackForm:
    """The form for a conversation: its prepared questions, numbered as in the plan (follow-ups
    are not known until they are asked)."""
    conversation = report.conversation
    held = f"An appreciative conversation on {long_date(conversation.date)}"
    if conversation.start_time:
        held += f" at {conversation.start_time}"
    if conversation.setting:
        held += f", {conversation.setting}"
    return FeedbackForm(
        title=conversation.title,
        held=held + ".",
        questions=tuple(
            (report.numbers[q.id], q.text) for q in report.questions if not q.is_follow_up
        ),
    )


def _rating_choices() -> list[str]:
    return [f"{n} {RATING_LABELS[n]}" for n in SCORES]


# ------------------------------------------------------------------------------ Markdown


def markdown_form(form: FeedbackForm) -> str:
    from appreciate_tui.reports.markdown import render

    circles = " · ".join(str(n) for n in SCORES)
    rows = tuple((number, text, circles) for number, text in form.questions)
    scored: tuple[Paragraph | Table, ...] = (
        (sentence(SCALE), Table(("No.", "Question", "Score"), rows)) if rows
        else (sentence("The plan has no questions yet."),)
    )
    document = Document(
        title=TITLE,
        subject=form.title,
        front=(
            paragraph(strong(form.title)),
            paragraph(em(form.held)),
            sentence(THANKS),
            sentence(f"Agency: {LINE}   Name (optional): {LINE}"),
        ),
        sections=(
            Section(ASKED[0], scored),
            Section(ASKED[1], (sentence("   ".join(f"{BOX} {c}" for c in _rating_choices())),)),
            Section(ASKED[2], (sentence("   ".join(f"{BOX} {a}" for a in ADVANCE)),)),
            Section(ASKED[3], (sentence(COMMENTS), *(sentence(LINE * 2) for _ in range(5)),
                               paragraph(em(HAND_BACK)))),
        ),
        prepared_at=domain.now(),
    )
    return render(document)


# ------------------------------------------------------------------------------ web page

# One A4 page for a plan of about eight to ten questions of a line or two (a long plan runs on to a
# second page, the table's header repeated there; from eleven questions the type is smaller).
_STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1b1b1b;
  font: 15px/1.4 "Segoe UI", Arial, "Helvetica Neue", Helvetica, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem; }
h1 { font-size: 1.6rem; color: #1d4f73; margin: 0 0 .2rem; }
h2 { font-size: 1.05rem; color: #1d4f73; margin: 1.1rem 0 .35rem; }
p { margin: .3rem 0; }
p, td, th { unicode-bidi: plaintext; overflow-wrap: anywhere; }
.title { font-weight: 600; font-size: 1.1rem; }
.held { font-style: italic; color: #333; }
.who { margin-top: .6rem; }
.line { display: inline-block; min-width: 15rem; border-bottom: 1px solid #555; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #9aa5ad; padding: .2rem .4rem; text-align: left; vertical-align: middle; }
th { background: #e4edf3; }
th.n, td.n { width: 2.2rem; text-align: center; }
th.s, td.s { width: 2.1rem; text-align: center; font-size: 1.05rem; }
.choices span { display: inline-block; margin-right: 1.4rem; white-space: nowrap; }
.box { box-sizing: border-box; border: 1px solid #555; height: 9rem; }
.hand-back { font-style: italic; color: #333; margin-top: .6rem; }
@page { size: A4; margin: 14mm 15mm; }
@media print {
  body { font-size: 10.5pt; line-height: 1.3; }
  /* A border drawn on the page's very edge is clipped: keep clear of it by a hair. */
  main { max-width: none; padding: 0 1mm; }
  h1 { font-size: 17pt; }
  h2 { font-size: 11.5pt; break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: none; }
  .box { height: 40mm; }
  body.long { font-size: 9.5pt; }
  body.long .box { height: 28mm; }
}
"""

def _h(text: str) -> str:
    """Text from the plan as HTML text: printable, escaped, never markup."""
    return html.escape(printable(text, keep_newlines=False), quote=True)


def html_form(form: FeedbackForm) -> str:
    parts = [
        f"<h1>{_h(TITLE)}</h1>",
        f'<p class="title">{_h(form.title)}</p>',
        f'<p class="held">{_h(form.held)}</p>',
        f"<p>{_h(THANKS)}</p>",
        '<p class="who">Agency: <span class="line"></span>&emsp;Name (optional): '
        '<span class="line"></span></p>',
        f"<h2>{_h(ASKED[0])}</h2>",
    ]
    if form.questions:
        head = "".join(f'<th class="s">{n}</th>' for n in SCORES)
        rows = "".join(
            f'<tr><td class="n">{_h(number)}</td><td>{_h(text)}</td>'
            + "".join(f'<td class="s">{n}</td>' for n in SCORES)
            + "</tr>\n"
            for number, text in form.questions
        )
        parts += [
            f"<p>{_h(SCALE)}</p>",
            f'<table>\n<thead><tr><th class="n">No.</th><th>Question</th>{head}</tr></thead>\n'
            f"<tbody>\n{rows}</tbody>\n</table>",
        ]
    else:
        parts.append("<p>The plan has no questions yet.</p>")
    rating = "".join(f"<span>{BOX} {_h(c)}</span>" for c in _rating_choices())
    advance = "".join(f"<span>{BOX} {a}</span>" for a in ADVANCE)
    parts += [
        f"<h2>{_h(ASKED[1])}</h2>",
        f'<p class="choices">{rating}</p>',
        f"<h2>{_h(ASKED[2])}</h2>",
        f'<p class="choices">{advance}</p>',
        f"<h2>{_h(ASKED[3])}</h2>",
        f"<p>{_h(COMMENTS)}</p>",
        '<div class="box"></div>',
        f'<p class="hand-back">{_h(HAND_BACK)}</p>',
    ]
    from appreciate_tui.reports.html import shell

    return shell(_h(f"{TITLE}: {one_line(form.title)}"), _STYLE, "\n".join(parts) + "\n",
                 body_class="long" if len(form.questions) > 10 else "")


# ------------------------------------------------------------------------------ Word

_NO_WIDTH, _SCORE_WIDTH = 680, 567  # twentieths of a point: 12 mm and 10 mm


def _word_paragraph(text: str, *, style: str = "Normal", bold: bool = False,
                    italic: bool = False, centred: bool = False, after: int | None = None) -> str:
    from appreciate_tui.reports import docx

    run = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    properties = f'<w:pStyle w:val="{style}"/>'
    if after is not None:
        properties += f'<w:spacing w:before="0" w:after="{after}"/>'
    if centred:
        properties += '<w:jc w:val="center"/>'
    run_properties = f"<w:rPr>{run}</w:rPr>" if run else ""
    return (f"<w:p><w:pPr>{properties}</w:pPr>"
            f"<w:r>{run_properties}{docx._text(text.replace(chr(10), ' '))}</w:r></w:p>")


def _word_cell(width: int, content: str, *, shade: bool = False) -> str:
    fill = '<w:shd w:val="clear" w:color="auto" w:fill="E4EDF3"/>' if shade else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}'
            f'<w:vAlign w:val="center"/></w:tcPr>{content}</w:tc>')


def _word_table(widths: list[int], rows: list[str], *, header: bool = True) -> str:
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="{int(header)}" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def _word_body(form: FeedbackForm, text_width: int) -> str:
    tight = 60
    out = [
        _word_paragraph(TITLE, style="Title"),
        _word_paragraph(form.title, bold=True, after=tight),
        _word_paragraph(form.held, italic=True),
        _word_paragraph(THANKS),
        _word_paragraph(f"Agency: {LINE}   Name (optional): {LINE}"),
        _word_paragraph(ASKED[0], style="Heading2"),
    ]
    if form.questions:
        question_width = text_width - _NO_WIDTH - 5 * _SCORE_WIDTH
        widths = [_NO_WIDTH, question_width, *([_SCORE_WIDTH] * 5)]
        head = (
            '<w:tr><w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>'
            + _word_cell(_NO_WIDTH, _word_paragraph("No.", bold=True, centred=True, after=0),
                         shade=True)
            + _word_cell(question_width, _word_paragraph("Question", bold=True, after=0),
                         shade=True)
            + "".join(_word_cell(_SCORE_WIDTH, _word_paragraph(str(n), bold=True, centred=True,
                                                               after=0), shade=True)
                      for n in SCORES)
            + "</w:tr>"
        )
        rows = [head] + [
            '<w:tr><w:trPr><w:cantSplit/></w:trPr>'
            + _word_cell(_NO_WIDTH, _word_paragraph(number, centred=True, after=0))
            + _word_cell(question_width, _word_paragraph(text, after=0))
            + "".join(_word_cell(_SCORE_WIDTH, _word_paragraph(str(n), centred=True, after=0))
                      for n in SCORES)
            + "</w:tr>"
            for number, text in form.questions
        ]
        out += [_word_paragraph(SCALE, after=tight), _word_table(widths, rows)]
    else:
        out.append(_word_paragraph("The plan has no questions yet."))
    box_height = 2200 if len(form.questions) <= 10 else 1500
    box = _word_table([text_width], [
        f'<w:tr><w:trPr><w:trHeight w:val="{box_height}" w:hRule="atLeast"/></w:trPr>'
        + _word_cell(text_width, _word_paragraph("", after=0)) + "</w:tr>"
    ], header=False)
    out += [
        _word_paragraph(ASKED[1], style="Heading2"),
        _word_paragraph("     ".join(f"{BOX} {c}" for c in _rating_choices())),
        _word_paragraph(ASKED[2], style="Heading2"),
        _word_paragraph("     ".join(f"{BOX} {a}" for a in ADVANCE)),
        _word_paragraph(ASKED[3], style="Heading2"),
        _word_paragraph(COMMENTS, after=tight),
        box,
        _word_paragraph(HAND_BACK, italic=True),
    ]
    return "".join(out)


def word_form(form: FeedbackForm) -> bytes:
    """The form as a .docx file on A4, made as the learning example's Word file is (docx.py)."""
    from appreciate_tui.reports import docx

    return docx.package(_word_body(form, docx._TEXT_WIDTH), f"{TITLE}: {one_line(form.title)}",
                        one_line(form.title), domain.now())


# ------------------------------------------------------------------------------ making one


def render(form: FeedbackForm, format: str) -> bytes:
    """The form in one of FORMATS, as the file's bytes."""
    if format == "md":
        return markdown_form(form).encode("utf-8")
    if format == "html":
        return html_form(form).encode("utf-8")
    if format == "docx":
        return word_form(form)
    raise ValueError(f"the feedback form is {', '.join(FORMATS)}, not {format!r}")


def default_name(store: Store, conversation_id: str, format: str, *, redact: bool = False) -> str:
    """The file's name in the exports folder, as `appreciate export` names its files."""
    from appreciate_tui.reports.files import default_name as name

    conversation = store.get_conversation(conversation_id)
    return name(conversation.title, conversation.date, conversation.id, format,
                redacted=redact, contents=CONTENTS)


def write_form(
    store: Store,
    conversation_id: str,
    format: str,
    path: Path | None = None,
    *,
    force: bool = False,
    redact: bool = False,
) -> Path:
    """Write the form (default: in the private exports folder, named after the conversation),
    mode 0600, never over another file unless `force` (`paths.FileExists`). Only reads the
    database, so it works while the app has it open; nothing is recorded (module docstring)."""
    from appreciate_tui import paths
    from appreciate_tui.reports.model import gather

    if format not in FORMATS:
        raise ValueError(f"the feedback form is {', '.join(FORMATS)}, not {format!r}")
    data = render(feedback_form(gather(store, conversation_id, redact=redact)), format)
    if path is None:
        folder = paths.ensure_private_dir(paths.exports_dir())
        path = folder / default_name(store, conversation_id, format, redact=redact)
    return paths.write_private(path, data, replace=force)
