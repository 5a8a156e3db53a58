"""What docs/partnership.md promises about `appreciate import`, held on two laptops through the
real command: a conflict keeps both wordings and ends the same on both laptops whichever way the
bundles travel, identical rows are not conflicts, a bundle cannot move a row somewhere else, and a
bundle file no JSON reader can take is one clear line with nothing imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import appreciate_tui.domain as domain
from appreciate_tui.cli import main
from appreciate_tui.demo import DEMO_CONVERSATION_ID
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.exchange.bundle import BundleError
from appreciate_tui.store import Store
from appreciate_tui.store.merge import row_digest
from appreciate_tui.store.rows import body_digest
from tests.partnership.partnership_world import Clock

TABLES = ("conversations", "participants", "questions", "notes", "note_revisions", "actions",
          "feedback", "scores", "outcome_links")


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(domain, "now", clock)
    return clock


class Laptop:
    """One facilitator's database, used the way a facilitator does: edits in the store, bundles
    out with `appreciate export --format json` and in with `appreciate import`."""

    def __init__(self, folder: Path, name: str) -> None:
        self.name, self.folder = name, folder
        self.db = folder / f"{name}.db"
        self.sent = 0

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, ["--db", str(self.db), *args])

    def edit(self, change: Callable[[Store], Any]) -> Any:
        with Store.open(self.db) as store:
            return change(store)

    def export(self, conversation_id: str) -> Path:
        self.sent += 1
        path = self.folder / f"from-{self.name}-{self.sent}.json"
        result = self.run("export", conversation_id, "--format", "json", "-o", str(path))
        assert result.exit_code == 0, result.output + result.stderr
        return path

    def import_(self, *paths: Path) -> list[dict[str, Any]]:
        result = self.run("import", "--json", *map(str, paths))
        assert result.exit_code == 0, result.output + result.stderr
        return json.loads(result.output)

    def rows(self) -> dict[str, dict[str, dict[str, Any]]]:
        with Store.open(self.db) as store:
            return {
                table: {row["id"]: row for row in store.db.query(f"SELECT * FROM {table}")}
                for table in TABLES
            }


def conflicts(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [conflict for report in reports for conflict in report["conflicts"]]


def kept_updated_at(conflict: dict[str, Any]) -> str:
    return conflict[f"{conflict['kept']}_updated_at"]


class TwoLaptops:
    """Anna plans a conversation and sends it to Ben; from then on both work on it."""

    def __init__(self, folder: Path, clock: Clock) -> None:
        self.clock = clock
        self.anna, self.ben = Laptop(folder, "anna"), Laptop(folder, "ben")

        def plan(store: Store) -> None:
            conversation = store.create_conversation("Strategy meetings", "What works?")
            self.cid = conversation.id
            question = store.add_question(self.cid, "When did it go well?", "discover")
            self.qid = question.id
            self.note = store.add_note(self.cid, question.id, "The duty rota", "strength").id
            self.action = store.add_action(self.cid, "Set up a duty rota", owner="Police").id

        self.anna.edit(plan)
        clock.tick()
        self.ben.import_(self.anna.export(self.cid))
        clock.tick()

    def exchange(self, flow: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Each laptop imports the other's bundle: both written first, or Ben's sent, merged by
        Anna, and Anna's merged record sent back."""
        if flow == "both bundles first":
            from_anna, from_ben = self.anna.export(self.cid), self.ben.export(self.cid)
            return self.anna.import_(from_ben), self.ben.import_(from_anna)
        at_anna = self.anna.import_(self.ben.export(self.cid))
        return at_anna, self.ben.import_(self.anna.export(self.cid))


@pytest.fixture
def two(tmp_path: Path, clock: Clock) -> TwoLaptops:
    return TwoLaptops(tmp_path, clock)


# ---------------------------------------------------------------- 1. a conflict keeps both wordings


@pytest.mark.parametrize("flow", ["both bundles first", "one after the other"])
@pytest.mark.parametrize("newer", ["anna", "ben", "neither"])
def test_a_note_changed_on_two_laptops_keeps_both_wordings_on_both(
    two: TwoLaptops, flow: str, newer: str
) -> None:
    wording = {"anna": "The duty rota, as Anna heard it", "ben": "The duty rota, as Ben heard it"}
    order = ["ben", "anna"] if newer == "anna" else ["anna", "ben"]
    for name in order:
        words = wording[name]
        getattr(two, name).edit(lambda store, words=words: store.update_note(two.note, body=words))
        if newer != "neither":
            two.clock.tick()
    at_anna, at_ben = two.exchange(flow)

    anna, ben = two.anna.rows(), two.ben.rows()
    assert anna["notes"][two.note] == ben["notes"][two.note]
    winner = anna["notes"][two.note]["body"]
    if newer != "neither":
        assert winner == wording[newer]
    [loser] = set(wording.values()) - {winner}
    for rows in (anna, ben):
        earlier = [r for r in rows["note_revisions"].values() if r["note_id"] == two.note]
        assert loser in [r["body"] for r in earlier]
    # Both laptops keep the losing words as the same earlier version.
    assert {i: r for i, r in anna["note_revisions"].items() if r["body"] == loser} == {
        i: r for i, r in ben["note_revisions"].items() if r["body"] == loser
    }
    # Each laptop that meets both versions, and each whose version lost, reports the conflict,
    # naming the same version as the one kept; Ben, whose version won on Anna's laptop, just
    # receives her words as an earlier version.
    ben_won_at_anna = flow == "one after the other" and winner == wording["ben"]
    for reports in (at_anna, at_ben) if not ben_won_at_anna else (at_anna,):
        [conflict] = conflicts(reports)
        assert (conflict["table"], conflict["id"]) == ("notes", two.note)
        assert kept_updated_at(conflict) == anna["notes"][two.note]["updated_at"]
        assert conflict["earlier_version"] is True
    if ben_won_at_anna:
        assert conflicts(at_ben) == []

    # Exchanging again changes nothing on either laptop.
    before = (anna, ben)
    again = two.exchange("both bundles first")
    assert (two.anna.rows(), two.ben.rows()) == before
    assert not conflicts(again[0]) and not conflicts(again[1])
    for report in again[0] + again[1]:  # only the record of the exports themselves is new
        assert report["updated"] == 0 and report["added"] == report["tables"]["shares"]["added"]


def test_the_command_says_where_the_losing_words_are(two: TwoLaptops) -> None:
    two.ben.edit(lambda store: store.update_note(two.note, body="Ben's words"))
    two.clock.tick()
    two.anna.edit(lambda store: store.update_note(two.note, body="Anna's words"))
    result = two.anna.run("import", str(two.ben.export(two.cid)))
    assert result.exit_code == 0, result.stderr
    assert (
        f"conflict: note {two.note[:8]} was changed here (2026-03-01T09:03:00) and there "
        "(2026-03-01T09:02:00); kept this database's, the newer; the imported words are kept as "
        "an earlier version" in result.output
    )


@pytest.mark.parametrize("flow", ["both bundles first", "one after the other"])
@pytest.mark.parametrize("same_moment", [False, True], ids=["one newer", "same moment"])
def test_every_row_changed_on_two_laptops_ends_the_same_on_both(
    two: TwoLaptops, flow: str, same_moment: bool
) -> None:
    """Actions, questions, participants and the conversation follow the same rule as notes: the
    newer change wins (the same one everywhere when both are equally new), and the conflict is
    reported on both laptops, naming what differed."""
    def work(store: Store, who: str) -> None:
        store.update_action(two.action, description=f"Duty rota, {who}'s version", owner=who)
        store.update_question(two.qid, text=f"When did it go well for {who}?")
        store.update_conversation(two.cid, key_learning=f"{who} learned this")

    two.anna.edit(lambda store: work(store, "Anna"))
    if not same_moment:
        two.clock.tick()
    two.ben.edit(lambda store: work(store, "Ben"))
    ben_before = two.ben.rows()
    at_anna, at_ben = two.exchange(flow)

    anna, ben = two.anna.rows(), two.ben.rows()
    for table, row_id in (("actions", two.action), ("questions", two.qid),
                          ("conversations", two.cid)):
        assert anna[table][row_id] == ben[table][row_id], table
        ben_won_at_anna = (
            flow == "one after the other" and ben[table][row_id] == ben_before[table][row_id]
        )
        for reports in (at_anna,) if ben_won_at_anna else (at_anna, at_ben):
            [conflict] = [c for c in conflicts(reports) if c["id"] == row_id]
            assert kept_updated_at(conflict) == anna[table][row_id]["updated_at"]
    if not same_moment:
        assert anna["actions"][two.action]["description"] == "Duty rota, Ben's version"
    [action] = [c for c in conflicts(at_anna) if c["table"] == "actions"]
    assert action["fields"] == ["description", "owner"]
    assert action["earlier_version"] is False


# ---------------------------------------------------------------- 2. identical rows are no conflict


def test_two_laptops_that_each_loaded_the_demo_merge_without_conflicts(
    tmp_path: Path, clock: Clock
) -> None:
    anna, ben = Laptop(tmp_path, "anna"), Laptop(tmp_path, "ben")
    assert anna.run("demo").exit_code == 0
    clock.tick(60)
    assert ben.run("demo").exit_code == 0
    from_anna, from_ben = anna.export(DEMO_CONVERSATION_ID), ben.export(DEMO_CONVERSATION_ID)
    for reports in (anna.import_(from_ben), ben.import_(from_anna)):
        assert conflicts(reports) == []
        assert reports[0]["updated"] == 0 and reports[0]["skipped"] > 20
    result = anna.run("import", str(from_ben))
    assert "conflict" not in result.output and "nothing new" in result.output

    # Same content, so the same row on both: the later edit on one laptop is a plain update.
    def digests(laptop: Laptop) -> dict[str, dict[str, str]]:
        return {t: {i: row_digest(r) for i, r in rows.items()} for t, rows in laptop.rows().items()
                if t not in ("note_revisions",)}

    assert digests(anna) == digests(ben)
    clock.tick()
    note = ben.edit(lambda store: store.list_notes(DEMO_CONVERSATION_ID)[0].id)
    ben.edit(lambda store: store.update_note(note, body="Said differently on Ben's laptop"))
    reports = anna.import_(ben.export(DEMO_CONVERSATION_ID))
    assert conflicts(reports) == [] and reports[0]["tables"]["notes"]["updated"] == 1


# ------------------------------------------------------------------ 3. a bundle cannot move a row


def _taking_over(laptop: Laptop, sent: Path, table: str, row_id: str, target: str) -> Path:
    """Ben's bundle with one of its rows given the id of a row Anna keeps elsewhere."""
    data = json.loads(sent.read_text(encoding="utf-8").replace(row_id, target))
    for row in data["tables"][table]:
        if row["id"] == target and "updated_at" in row:
            row["updated_at"] = "2030-01-01T00:00:00.000000+00:00"
            if table == "notes":
                row["body"] = "Words from somewhere else"
                row["sha256"] = body_digest(row["body"])
    path = laptop.folder / f"taking-over-{table}.json"
    path.write_text(bundles.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def elsewhere(two: TwoLaptops) -> dict[str, Any]:
    """Anna's rows of every kind, and a conversation of Ben's with rows of every kind."""
    def anna_adds(store: Store) -> dict[str, str]:
        participant = store.add_participant(two.cid, "Police", attended=True)
        follow_up = store.add_follow_up(two.cid, two.qid, "What made it work?")
        second = store.add_question(two.cid, "What would you keep?", "dream")
        store.update_note(two.note, body="The duty rota, kept")
        feedback = store.add_feedback(two.cid, participant_id=participant.id, rating=4)
        _, score = store.record_score(two.cid, two.qid, 7)
        store.link_outcome("safety", "note", two.note)
        return {"participants": participant.id, "follow_up": follow_up.id, "second": second.id,
                "feedback": feedback.id, "scores": score.id,
                "note_revisions": store.note_revisions(two.note)[0].id,
                "outcome_links": store.db.execute("SELECT id FROM outcome_links").fetchone()[0]}

    def ben_adds(store: Store) -> dict[str, str]:
        conversation = store.create_conversation("Joint visits", "What helped?")
        question = store.add_question(conversation.id, "What helped?", "discover")
        follow_up = store.add_follow_up(conversation.id, question.id, "Say more?")
        participant = store.add_participant(conversation.id, "Health", attended=True)
        note = store.add_note(conversation.id, question.id, "Joint visits", "strength")
        store.update_note(note.id, body="Joint visits, twice a week")
        action = store.add_action(conversation.id, "Book joint visits")
        feedback = store.add_feedback(conversation.id, participant_id=participant.id, rating=5)
        _, score = store.record_score(conversation.id, question.id, 9)
        store.link_outcome("safety", "note", note.id)
        return {"cid": conversation.id, "questions": question.id, "follow_up": follow_up.id,
                "participants": participant.id, "notes": note.id, "actions": action.id,
                "feedback": feedback.id, "scores": score.id,
                "note_revisions": store.note_revisions(note.id)[0].id,
                "outcome_links": store.db.execute(
                    "SELECT id FROM outcome_links WHERE conversation_id = ?", [conversation.id]
                ).fetchone()[0]}

    anna = two.anna.edit(anna_adds)
    ben = two.ben.edit(ben_adds)
    return {"anna": anna, "ben": ben, "sent": two.ben.export(ben["cid"])}


TAKEN = {  # table: (Ben's row, Anna's row it is given the id of)
    "notes": ("notes", "note"),
    "questions": ("questions", "qid"),
    "follow-up": ("follow_up", "follow_up"),
    "participants": ("participants", "participants"),
    "actions": ("actions", "action"),
    "feedback": ("feedback", "feedback"),
    "scores": ("scores", "scores"),
    "note_revisions": ("note_revisions", "note_revisions"),
    "outcome_links": ("outcome_links", "outcome_links"),
}


@pytest.mark.parametrize("kind", list(TAKEN))
def test_a_bundle_cannot_take_over_a_row_of_another_conversation(
    two: TwoLaptops, elsewhere: dict[str, Any], kind: str
) -> None:
    ben_key, anna_key = TAKEN[kind]
    table = "questions" if kind == "follow-up" else kind
    target = elsewhere["anna"].get(anna_key) or getattr(two, anna_key)
    hostile = _taking_over(two.anna, elsewhere["sent"], table, elsewhere["ben"][ben_key], target)
    before = two.anna.rows()
    # Ben's bundle as it was comes first in the run: it is not merged either.
    result = two.anna.run("import", str(elsewhere["sent"]), str(hostile))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    [line] = result.stderr.strip().splitlines()
    assert hostile.name in line and target in line and "nothing was imported" in line
    assert two.anna.rows() == before


@pytest.mark.parametrize("parent", ["question", "follow-up's question"])
def test_a_bundle_cannot_move_a_row_within_its_conversation(
    two: TwoLaptops, elsewhere: dict[str, Any], parent: str
) -> None:
    """A note stays under the question it was said under; a follow-up under the one it follows."""
    data = json.loads(two.anna.export(two.cid).read_text(encoding="utf-8"))
    table, row_id, column = (
        ("notes", two.note, "question_id") if parent == "question"
        else ("questions", elsewhere["anna"]["follow_up"], "parent_id")
    )
    for row in data["tables"][table]:
        if row["id"] == row_id:
            row[column] = elsewhere["anna"]["second"]
            row["updated_at"] = "2030-01-01T00:00:00.000000+00:00"
    moved = two.ben.folder / "moved.json"
    moved.write_text(bundles.dumps(data), encoding="utf-8")
    before = two.ben.rows()
    good = two.anna.export(two.cid)
    result = two.ben.run("import", str(good), str(moved))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    [line] = result.stderr.strip().splitlines()
    assert "moved.json" in line and row_id in line and "nothing was imported" in line
    assert two.ben.rows() == before  # the good bundle of the same run is not merged either


# ------------------------------------------------------------------ 4. files no JSON reader takes

DEEP = 100_000
LONG = "9" * 20_000


def _hostile_files(folder: Path, sent: Path) -> dict[str, Path]:
    good = json.loads(sent.read_text(encoding="utf-8"))

    def with_question(field: str, value: Any) -> str:
        data = json.loads(json.dumps(good))
        data["tables"]["questions"][0][field] = value
        return bundles.dumps(data)

    texts = {
        "nested": "[" * DEEP + "]" * DEEP,
        "nested in a bundle": json.dumps(good)[:-1] + ', "more": ' + "[" * DEEP + "]" * DEEP + "}",
        "long number": '{"format": "appreciate-conversation", "version": ' + LONG + "}",
        "long number in a row": with_question("position", 0).replace(
            '"position": 0', '"position": ' + LONG, 1
        ),
        "nested in a field": with_question("prompts", "[" * DEEP + "]" * DEEP),
        "long number in a field": with_question("prompts", "[" + LONG + "]"),
        "number past SQLite": with_question("position", 2**70),
    }
    files = {}
    for name, text in texts.items():
        files[name] = folder / f"{name.replace(' ', '-')}.json"
        files[name].write_text(text, encoding="utf-8")
    return files


HOSTILE = ["nested", "nested in a bundle", "long number", "long number in a row",
           "nested in a field", "long number in a field", "number past SQLite"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_bundle_no_json_reader_takes_is_one_line_and_nothing_imported(
    two: TwoLaptops, name: str
) -> None:
    two.ben.edit(lambda store: store.update_note(two.note, body="Ben's words"))
    good = two.ben.export(two.cid)
    hostile = _hostile_files(two.ben.folder, good)[name]
    before = two.anna.rows()
    result = two.anna.run("import", str(good), str(hostile))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # no traceback
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"appreciate: {hostile}: ") and "nothing was imported" in line
    assert two.anna.rows() == before
    with Store.open(two.anna.db) as store, pytest.raises(BundleError, match=hostile.name):
        bundles.read(hostile, store.bundle_schema())
