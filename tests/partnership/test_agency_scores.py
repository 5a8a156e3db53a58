"""Scores per agency over time (`=7 #police`): counted by the store per question wording, agency
and date, each agency's line apart, the scores nobody's agency gave on a line of their own, in
`appreciate insights` and its JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui.cli import main
from appreciate_tui.insights import compute as insights
from appreciate_tui.insights.scores import UNATTRIBUTED
from appreciate_tui.store import Store

SCALE = "Where are we now, from 0 to 10?"


class Scored:
    """Three conversations that asked the same scale question (one in other case and spacing),
    one that asked another, one in the bin."""

    def __init__(self, store: Store) -> None:
        self.store = s = store
        self.days = {}
        for day, wording in (("2025-01-10", SCALE),
                             ("2025-03-12", "where are we now,  FROM 0 to 10?"),
                             ("2025-06-02", SCALE), ("2025-06-20", "A different scale, 0-10")):
            c = s.create_conversation(f"Meeting {day}", "Sharing", date=day, status="closed")
            q = s.add_question(c.id, wording, "discover", scale=True)
            self.days[day] = (c.id, q.id)
        one, q1 = self.days["2025-01-10"]
        two, q2 = self.days["2025-03-12"]
        three, q3 = self.days["2025-06-02"]
        other, q4 = self.days["2025-06-20"]
        s.record_score(one, q1, 4, agency="Police")
        s.record_score(one, q1, 6, agency="Police")
        s.record_score(one, q1, 6, agency="Health")
        # A participant with no agency gives a score: nobody's agency, not attributed.
        nobody = s.add_participant(one, "Other", attended=True)
        s.db.execute("UPDATE participants SET agency = '' WHERE id = ?", [nobody.id])
        s.record_score(one, q1, 9, participant_id=nobody.id)
        s.record_score(two, q2, 7, agency="Police")
        self.withdrawn, _ = s.record_score(two, q2, 0, agency="Health")
        s.delete_note(self.withdrawn.id)
        self.moved, _ = s.record_score(three, q3, 10, agency="Police")
        s.update_note(self.moved.id, agency="Education")  # put under another agency afterwards
        s.record_score(three, q3, 8, agency="Police")
        erased, _ = s.record_score(three, q3, 1, agency="Health")
        s.erase_note(erased.id)  # erased with its note, not only withdrawn
        s.record_score(other, q4, 3, agency="Police")
        binned = s.create_conversation("Binned", "Gone", date="2025-02-01", status="closed")
        bq = s.add_question(binned.id, SCALE, "discover", scale=True)
        s.record_score(binned.id, bq.id, 1, agency="Police")
        s.delete_conversation(binned.id)


@pytest.fixture
def scored(db_path: Path) -> Iterator[Scored]:
    with Store.open(db_path) as store:
        yield Scored(store)


def _by_agency(scored: Scored, since: str | None = None) -> dict[str, insights.ScaleQuestion]:
    found = insights.compute(scored.store, since=since)
    return {q.text: q for q in found.scores_by_agency}


def _agency_part(printed: str) -> str:
    """The lines of `appreciate insights` about scores by agency."""
    assert "Scores (0-10) by agency over time" in printed
    return printed.split("Scores (0-10) by agency over time")[1].split("per conversation")[0]


def test_the_store_counts_per_wording_agency_and_date(scored: Scored) -> None:
    rows = scored.store.insight_rows()
    series = sorted(rows["score_series"], key=lambda r: (r[0], r[1] or "", r[2]))
    assert series == sorted([
        (SCALE, "Police", "2025-01-10", 2, 10, 4, 6),
        (SCALE, "Health", "2025-01-10", 1, 6, 6, 6),
        (SCALE, None, "2025-01-10", 1, 9, 9, 9),
        ("where are we now,  FROM 0 to 10?", "Police", "2025-03-12", 1, 7, 7, 7),
        (SCALE, "Education", "2025-06-02", 1, 10, 10, 10),
        (SCALE, "Police", "2025-06-02", 1, 8, 8, 8),
        ("A different scale, 0-10", "Police", "2025-06-20", 1, 3, 3, 3),
    ], key=lambda r: (r[0], r[1] or "", r[2]))
    counts = {row[0]: row[1:] for row in rows["score_counts"]}
    one = scored.days["2025-01-10"][0]
    assert counts[one][:2] == (4, 25)  # four scores summing to 25
    assert counts[one][2:] == (0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 0)  # one 4, two 6s, one 9


def test_agencies_apart_unattributed_apart_wordings_alike_together(scored: Scored) -> None:
    questions = _by_agency(scored)
    assert list(questions) == [SCALE, "A different scale, 0-10"]  # the most scored first
    scale = questions[SCALE]
    assert scale.wordings == ("Where are we now, from 0 to 10?", "where are we now,  FROM 0 to 10?")
    assert (scale.scores, scale.dates, scale.first, scale.last) == (
        7, 3, "2025-01-10", "2025-06-02")
    assert [a.agency for a in scale.agencies] == ["Police", "Education", "Health"]  # most first
    police, education, health = scale.agencies
    assert [(p.date, p.scores, p.mean) for p in police.points] == [
        ("2025-01-10", 2, 5.0), ("2025-03-12", 1, 7.0), ("2025-06-02", 1, 8.0)]
    assert (police.scores, police.mean, police.change, police.latest.mean) == (4, 6.25, 1.0, 8.0)
    # The withdrawn 0 is not counted: Health has its one score of January.
    assert (health.agency, health.scores, health.change) == ("Health", 1, None)
    # The score whose note was put under Education afterwards is Education's, not Police's.
    assert (education.agency, [p.mean for p in education.points]) == ("Education", [10.0])
    # The score nobody's agency gave is on its own line and in no agency's.
    assert scale.unattributed is not None and scale.unattributed.agency is None
    assert scale.unattributed.name == UNATTRIBUTED
    assert [(p.date, p.mean) for p in scale.unattributed.points] == [("2025-01-10", 9.0)]
    assert all(9 not in (p.lowest, p.highest) for a in scale.agencies for p in a.points)
    assert questions["A different scale, 0-10"].agencies[0].points[0].mean == 3.0


def test_since_leaves_out_earlier_conversations(scored: Scored) -> None:
    questions = _by_agency(scored, since="2025-03-01")
    scale = questions[SCALE]
    assert (scale.first, scale.scores, scale.unattributed) == ("2025-03-12", 3, None)
    assert [p.date for p in scale.agencies[0].points] == ["2025-03-12", "2025-06-02"]
    found = insights.compute(scored.store, since="2025-06-10")
    assert [q.text for q in found.scores_by_agency] == ["A different scale, 0-10"]
    assert [s.values for s in found.scores] == [(3,)]


def test_each_conversation_still_has_its_spread_and_mean(scored: Scored) -> None:
    found = insights.compute(scored.store)
    assert [(s.date, s.values, s.mean) for s in found.scores] == [
        ("2025-01-10", (4, 6, 6, 9), 6.25), ("2025-03-12", (7,), 7.0),
        ("2025-06-02", (8, 10), 9.0), ("2025-06-20", (3,), 3.0)]
    assert found.scores[0].distribution[6] == 2


def test_the_command_prints_each_agency_and_emits_json(scored: Scored, db_path: Path) -> None:
    scored.store.close()
    runner = CliRunner()
    printed = runner.invoke(main, ["--db", str(db_path), "insights"])
    assert printed.exit_code == 0, printed.output
    text = _agency_part(printed.output)
    police = next(line for line in text.splitlines() if line.strip().startswith("Police "))
    assert "▅▆▇" in police and "8.0" in police and "+1.0" in police and "4 scores" in police
    health = next(line for line in text.splitlines() if line.strip().startswith("Health "))
    assert "first" in health and "1 score" in health
    assert any(line.strip().startswith(UNATTRIBUTED) for line in text.splitlines())
    assert "2 wordings alike" in text

    data = json.loads(runner.invoke(main, ["--db", str(db_path), "insights", "--json"]).output)
    scale = data["scores_by_agency"][0]
    assert set(scale) == {"text", "wordings", "scores", "dates", "first", "last", "agencies",
                          "unattributed"}
    police = scale["agencies"][0]
    assert set(police) == {"agency", "points", "scores", "mean", "latest", "change"}
    assert police["points"][0] == {"date": "2025-01-10", "scores": 2, "mean": 5.0, "lowest": 4,
                                   "highest": 6}
    assert scale["unattributed"]["agency"] is None and scale["unattributed"]["change"] is None
    assert [s["values"] for s in data["scores"]][0] == [4, 6, 6, 9]
    later = json.loads(runner.invoke(
        main, ["--db", str(db_path), "insights", "--json", "--since", "2025-06-10"]).output)
    assert [q["text"] for q in later["scores_by_agency"]] == ["A different scale, 0-10"]


def test_hostile_agency_names_and_two_hundred_agencies(db_path: Path) -> None:
    with Store.open(db_path) as s:
        c = s.create_conversation("Many", "Everyone", date="2025-05-05", status="closed")
        q = s.add_question(c.id, SCALE, "discover", scale=True)
        for n in range(200):
            s.record_score(c.id, q.id, n % 11, agency=f"Agency {n:03}")
        for name in ("Police", "Police"):
            s.record_score(c.id, q.id, 7, agency=name)
        escaped, _ = s.record_score(c.id, q.id, 10, agency="Escaped")
        long_name, _ = s.record_score(c.id, q.id, 0, agency="L" * 300)
        rtl, _ = s.record_score(c.id, q.id, 5, agency="שירותי רווחה")
        emoji, _ = s.record_score(c.id, q.id, 6, agency="👮 Polícia")
        # Text no keyboard types, as a bundle from elsewhere may carry it.
        for note, agency in ((escaped, "\x1b]0;owned\x07\x1b[31mRed"), (long_name, "L" * 300)):
            s.db.execute("UPDATE notes SET agency = ? WHERE id = ?", [agency, note.id])
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db_path), "insights"])
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\x07" not in result.output
    text = _agency_part(result.output)
    assert "␛]0;owned␇␛[31mRed" in text  # shown as symbols
    lines = [line for line in text.splitlines() if line.startswith("    ")]
    assert lines[0].strip().startswith("Police ") and "2 scores" in lines[0]
    assert any("… and 197 more agencies" in line for line in lines)  # 8 shown of 205
    assert len([line for line in lines if "score" in line and "…" not in line[:30]]) <= 9
    data = json.loads(runner.invoke(main, ["--db", str(db_path), "insights", "--json"]).output)
    names = {a["agency"] for a in data["scores_by_agency"][0]["agencies"]}
    assert len(names) == 205 and "\x1b]0;owned\x07\x1b[31mRed" in names  # exact in the data
    assert "L" * 300 in names and "שירותי רווחה" in names and "👮 Polícia" in names
