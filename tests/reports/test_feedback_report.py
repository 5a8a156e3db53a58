"""Feedback in the learning example (who gave it, participants and agencies counted apart; each
question's mean score and how many scored it) and the feedback form to print (Markdown, a web page,
a Word file), from the command line and from the export form."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.domain import Feedback, Phase
from appreciate_tui.reports import feedback_form
from appreciate_tui.reports.feedback import question_means, who_gave
from appreciate_tui.reports.learning import learning_example
from appreciate_tui.reports.markdown import render as markdown
from appreciate_tui.reports.model import gather
from appreciate_tui.store import Store

HOSTILE = "<script>alert(1)</script> # not a heading | not | a table *x* [l](javascript:x)"
RTL = "ما الذي ينجح؟ 🙂 what works for you, שלום"


def conversation(store: Store, *questions: str) -> tuple[str, list[str]]:
    cid = store.create_conversation("Strategy meetings", "Is MASH working well?",
                                    setting="MASH, Exeter", date="2026-03-12").id
    ids = [store.add_question(cid, text, Phase.DISCOVER).id
           for text in questions or ("What works?", "What would help?", "What next?")]
    return cid, ids


def three_participants_and_one_agency(store: Store) -> tuple[str, list[str]]:
    cid, (q1, q2, q3) = conversation(store)
    for agency, rating, scores in (("Police", 5, {q1: 5, q2: 4}), ("Health", 4, {q1: 4}),
                                   ("Education", 3, {q1: 3, q2: 2})):
        person = store.add_participant(cid, agency, attended=True)
        store.set_feedback(cid, participant_id=person.id, rating=rating,
                           question_scores=scores, comments=f"{agency} said {RTL}")
    store.set_feedback(cid, agency="Children's social care", rating=4, question_scores={q1: 4},
                       useful_question_ids=[q1], comments="From the agency")
    return cid, [q1, q2, q3]


def feedback(participant: str | None, agency: str | None) -> Feedback:
    return Feedback("f", "c", "2026-03-12T10:00:00+00:00", participant_id=participant,
                    agency=agency)


@pytest.mark.parametrize(("given", "words", "figures"), [
    ([("p", "Police"), ("p", "Health"), ("p", "Police"), (None, "Health")],
     "three participants and one agency", "3 participants and 1 agency"),
    ([("p", "Police")], "one participant", "1 participant"),
    ([(None, "Police"), (None, "Health")], "two agencies", "2 agencies"),
    ([(None, None), ("p", "Police")], "one participant and one other",
     "1 participant and 1 other"),
    ([], "", ""),
])
def test_who_gave_feedback_counts_participants_and_agencies_apart(
    given: list[tuple[str | None, str | None]], words: str, figures: str
) -> None:
    items = [feedback(p, a) for p, a in given]
    assert who_gave(items) == words
    assert who_gave(items, figures=True) == figures


def test_the_report_says_three_participants_and_one_agency_and_gives_the_means(
    store: Store, db_path: Path
) -> None:
    cid, (q1, q2, q3) = three_participants_and_one_agency(store)
    report = gather(store, cid)
    text = markdown(learning_example(report))
    assert ("Three participants and one agency gave feedback on the conversation, rating it 4 "
            "out of 5 on average.") in text
    assert "Four participants" not in text
    # Each question scored: its mean, and how many scored it; one nobody scored is left out.
    assert "| Question | Mean score | Scored by |" in text
    assert "| 1\\. What works? | 4 | 4 |" in text
    assert "| 2\\. What would help? | 3 | 2 |" in text
    assert "What next?" not in text.split("Mean score")[1].split("\n\n")[1]
    assert [(m.question.id, m.mean, m.scored_by) for m in question_means(
        report.questions, report.feedback)] == [(q1, "4", 4), (q2, "3", 2)]
    assert "What participants and agencies said about the conversation:" in text
    assert RTL in text  # right-to-left words and emoji kept exactly
    assert "chosen by one agency" in text  # the tick given for an agency, counted as one


def test_a_mean_is_written_to_one_decimal(store: Store) -> None:
    cid, (q1, _, _) = conversation(store)
    for agency, score in (("Police", 5), ("Health", 4), ("Education", 4)):
        store.set_feedback(cid, agency=agency, question_scores={q1: score})
    text = markdown(learning_example(gather(store, cid)))
    assert "| 1\\. What works? | 4\\.3 | 3 |" in text  # (Markdown escapes "4." at a cell's start)
    assert "Three agencies gave feedback" in text


def test_feedback_without_scores_reads_as_before(store: Store) -> None:
    cid, (q1, _, _) = conversation(store)
    person = store.add_participant(cid, "Police", attended=True)
    store.set_feedback(cid, participant_id=person.id, rating=4, useful_question_ids=[q1])
    text = markdown(learning_example(gather(store, cid)))
    assert "One participant gave feedback on the conversation, rating it 4 out of 5" in text
    assert "Mean score" not in text
    assert "The questions participants found most useful:" in text
    assert "(chosen by one participant)" in text


# ------------------------------------------------------------------ the form to print


def test_the_form_has_every_prepared_question_with_a_scale_and_the_other_questions(
    store: Store,
) -> None:
    cid, (q1, _, _) = conversation(store)
    store.add_follow_up(cid, q1, "A follow-up nobody planned")
    form = feedback_form.feedback_form(gather(store, cid))
    assert form.questions == (("1", "What works?"), ("2", "What would help?"),
                              ("3", "What next?"))
    text = feedback_form.markdown_form(form)
    assert "| 1 | What works? | 1 · 2 · 3 · 4 · 5 |" in text
    assert "follow-up" not in text
    for asked in feedback_form.ASKED:
        assert asked.split(" ", 1)[1] in text
    assert "☐ 1 not at all" in text and "☐ 5 very worthwhile" in text
    assert "☐ Yes" in text and "☐ No" in text
    assert "MASH, Exeter" in text and "12 March 2026" in text


def test_plan_text_is_data_in_every_format(store: Store) -> None:
    cid, _ = conversation(store, HOSTILE, RTL, "Line one\nline two \x1b[31mred")
    form = feedback_form.feedback_form(gather(store, cid))
    md = feedback_form.markdown_form(form)
    assert "<script>" not in md and "\\<script\\>" in md
    page = feedback_form.html_form(form)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert RTL in page and RTL in md
    assert "\x1b" not in page and "\x1b" not in md
    assert "default-src 'none'" in page  # nothing is ever fetched
    from docx import Document  # python-docx reads the file back as Word would

    word = Document(io.BytesIO(feedback_form.word_form(form)))
    texts = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    assert HOSTILE in texts and RTL in texts
    width = word.sections[0].page_width
    assert width is not None and width.mm == pytest.approx(210, abs=1)  # A4


def test_a_plan_without_questions_still_makes_a_form(store: Store) -> None:
    cid = store.create_conversation("Empty", date="2026-03-12").id
    form = feedback_form.feedback_form(gather(store, cid))
    for format in feedback_form.FORMATS:
        assert feedback_form.render(form, format)
    assert "no questions yet" in feedback_form.markdown_form(form)


def test_the_form_is_written_privately_never_over_a_file_and_never_recorded(
    store: Store, tmp_path: Path
) -> None:
    from appreciate_tui.paths import FileExists

    cid, _ = conversation(store)
    written = feedback_form.write_form(store, cid, "docx")
    assert written.name.startswith("2026-03-12-feedback-form-strategy-meetings-")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert zipfile.is_zipfile(written)
    with pytest.raises(FileExists):
        feedback_form.write_form(store, cid, "docx", written)
    assert feedback_form.write_form(store, cid, "docx", written, force=True) == written
    assert store.list_shares(cid) == []  # a blank form names no one: not a share
    with pytest.raises(ValueError, match="md, html, docx"):
        feedback_form.write_form(store, cid, "pdf")


# ------------------------------------------------------------------ the command


def invoke(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def test_the_command_prints_markdown_or_writes_a_file(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as store:
        cid, _ = conversation(store)
    printed = invoke(db_path, "feedback-form", cid[:8])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.startswith("# Feedback on the conversation")
    out = tmp_path / "out"
    out.mkdir()
    for format in ("html", "docx"):
        made = invoke(db_path, "feedback-form", cid[:8], "--format", format, "-o", str(out))
        assert made.exit_code == 0, made.output
    names = sorted(p.suffix for p in out.iterdir())
    assert names == [".docx", ".html"]
    again = invoke(db_path, "feedback-form", cid[:8], "--format", "html", "-o", str(out))
    assert again.exit_code != 0 and "--force" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    wrong = invoke(db_path, "feedback-form", cid[:8], "--format", "pdf")
    assert wrong.exit_code != 0
    with Store.open(db_path) as store:
        assert store.list_shares() == []


def test_the_command_works_while_the_app_has_the_database_open(db_path: Path) -> None:
    with Store.open(db_path) as store:
        cid, _ = conversation(store)
        made = invoke(db_path, "feedback-form", cid[:8])
        assert made.exit_code == 0, made.output


def test_the_commands_formats_are_the_forms() -> None:
    from appreciate_tui.cli.feedback import FORMATS

    assert FORMATS == feedback_form.FORMATS


def test_the_record_gives_each_persons_scores_by_question(store: Store) -> None:
    from appreciate_tui.reports.markdown import blocks
    from appreciate_tui.reports.record import feedback as record_feedback

    cid, (q1, _, q3) = conversation(store)
    person = store.add_participant(cid, "Police", attended=True)
    store.set_feedback(cid, participant_id=person.id, rating=4, question_scores={q3: 2, q1: 5})
    text = blocks(tuple(record_feedback(gather(store, cid))))
    assert "rated it 4 out of 5; scores (of 5) by question 1: 5, 3: 2" in text
