"""Merging the records of three laptops: one consistent database, importing again changes nothing,
a row changed on two laptops is a reported conflict the newer change wins, and nothing is
written when any bundle of a run is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import appreciate_tui.domain as domain
from appreciate_tui.cli import main
from appreciate_tui.exchange import bundle as bundles
from appreciate_tui.exchange.bundle import BundleError
from tests.partnership.partnership_world import Clock, Laptop, totals


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(domain, "now", clock)
    return clock


@pytest.fixture
def laptops(tmp_path: Path, clock: Clock) -> Iterator[tuple[Laptop, Laptop, Laptop]]:
    made = tuple(Laptop(tmp_path, name) for name in ("anna", "ben", "cara"))
    yield made  # type: ignore[misc]
    for laptop in made:
        laptop.close()


class World:
    """Anna holds a conversation and sends it to Ben and Cara; each works on it."""

    def __init__(self, anna: Laptop, ben: Laptop, cara: Laptop, clock: Clock) -> None:
        self.anna, self.ben, self.cara, self.clock = anna, ben, cara, clock
        store = anna.store
        conversation = store.create_conversation("Strategy meetings", "What works?")
        self.cid = conversation.id
        police = store.add_participant(self.cid, "Police", attended=True)
        question = store.add_question(self.cid, "When did it go well?", "discover")
        self.notes = [
            store.add_note(self.cid, question.id, f"Note {n}", "strength", agency="Police",
                           participant_id=police.id)
            for n in range(5)
        ]
        self.qid = question.id
        self.action = store.add_action(self.cid, "Set up a duty rota", owner="Police 1")
        sent = anna.export(self.cid)
        clock.tick()
        ben.merge(sent)
        cara.merge(sent)

    def work_apart(self) -> None:
        n = [note.id for note in self.notes]
        clock = self.clock
        clock.tick(5)
        self.anna.store.update_note(n[3], body="Note 3, as Anna heard it")  # only Anna
        clock.tick(5)
        self.ben.store.update_note(n[0], body="Note 0, as Ben heard it")  # Ben, then Cara
        self.ben_note = self.ben.store.add_note(self.cid, self.qid, "Ben adds this", "idea")
        self.ben.store.update_action(self.action.id, status="in_progress")
        own = self.ben.store.create_conversation("Ben's own conversation", "Joint visits")
        self.ben_cid = own.id
        question = self.ben.store.add_question(own.id, "What helped?", "discover")
        self.ben.store.add_note(own.id, question.id, "Joint visits", "strength")
        clock.tick(5)
        self.cara.store.update_note(n[0], body="Note 0, as Cara heard it")  # newest of the two
        self.cara.store.update_note(n[1], body="Note 1, as Cara heard it")  # only Cara
        self.cara.store.update_note(n[4], body="Note 4, as Cara heard it")  # older than Anna's
        self.cara_note = self.cara.store.add_note(self.cid, self.qid, "Cara adds this", "dream")
        clock.tick(5)
        self.anna.store.update_note(n[4], body="Note 4, as Anna heard it")  # newest of the two
        clock.tick(5)


@pytest.fixture
def world(laptops, clock: Clock) -> World:
    return World(*laptops, clock)


def test_three_laptops_merge_into_one_consistent_database(world: World, tmp_path: Path) -> None:
    world.work_apart()
    from_ben = [world.ben.export(world.cid), world.ben.export(world.ben_cid)]
    from_cara = world.cara.export(world.cid)
    merged = world.anna.merge(*from_ben, from_cara)

    store = world.anna.store
    assert {c.title for c in store.list_conversations()} == {
        "Strategy meetings", "Ben's own conversation"}
    bodies = {note.id: note.body for note in store.list_notes(world.cid)}
    n = [note.id for note in world.notes]
    assert bodies == {
        n[0]: "Note 0, as Cara heard it",  # Ben and Cara both changed it: Cara's is newer
        n[1]: "Note 1, as Cara heard it",
        n[2]: "Note 2",
        n[3]: "Note 3, as Anna heard it",  # an unchanged copy from the others does not undo it
        n[4]: "Note 4, as Anna heard it",  # Cara's change is older than Anna's
        world.ben_note.id: "Ben adds this",
        world.cara_note.id: "Cara adds this",
    }
    assert store.get_action(world.action.id).status.value == "in_progress"
    assert len(store.list_notes(world.ben_cid)) == 1
    assert store.check().ok

    first, _, third = merged
    assert totals(first, "added") == 2  # Ben's note and the revision of his edit
    assert first["notes"].updated == 1 and first["actions"].updated == 1
    conflicts = [c for counts in merged for t in counts.values() for c in t.conflicts]
    assert {(c.table, c.row_id, c.kept) for c in conflicts} == {
        ("notes", n[0], "imported"),
        ("notes", n[4], "here"),
    }
    # The words that lost a conflict are kept as an earlier version, never lost.
    assert "Note 0, as Ben heard it" in [r.body for r in store.note_revisions(n[0])]
    assert third["notes"].added == 1

    # Everyone converges: Ben and Cara take Anna's merged record, and a fresh partnership database
    # that imports all the bundles in any order holds the same rows.
    merged_bundle = world.anna.export(world.cid)
    world.ben.merge(merged_bundle)
    world.cara.merge(merged_bundle)
    anna_rows = world.anna.digest()
    for other in (world.ben, world.cara):
        rows = other.digest()
        for table in ("notes", "actions", "questions", "participants"):
            mine = {k: v for k, v in anna_rows[table].items() if k in rows[table]}
            assert rows[table] == mine, (other.name, table)
    partnership = Laptop(tmp_path, "partnership")
    try:
        partnership.merge(from_cara, merged_bundle, *from_ben)
        assert partnership.digest()["notes"] == anna_rows["notes"]
        assert partnership.digest()["conversations"].keys() == anna_rows["conversations"].keys()
    finally:
        partnership.close()


def test_importing_again_changes_nothing(world: World) -> None:
    world.work_apart()
    sent = [world.ben.export(world.cid), world.cara.export(world.cid)]
    world.anna.merge(*sent)
    before = world.anna.digest()
    revisions = world.anna.store.db.execute("SELECT count(*) FROM note_revisions").fetchone()
    again = world.anna.merge(*sent)
    assert world.anna.digest() == before
    assert world.anna.store.db.execute("SELECT count(*) FROM note_revisions").fetchone() == revisions
    for counts in again:
        assert totals(counts, "added") == totals(counts, "updated") == 0
        assert not [c for t in counts.values() for c in t.conflicts]


def test_an_unchanged_copy_coming_back_is_not_a_conflict(world: World) -> None:
    world.clock.tick()
    world.anna.store.update_note(world.notes[0].id, body="Changed after it was sent")
    counts = world.anna.merge(world.ben.export(world.cid))[0]
    assert totals(counts, "updated") == 0 and not counts["notes"].conflicts
    assert world.anna.store.get_note(world.notes[0].id).body == "Changed after it was sent"


def test_a_deleted_note_travels(world: World) -> None:
    world.clock.tick()
    world.ben.store.delete_note(world.notes[2].id)
    world.anna.merge(world.ben.export(world.cid))
    assert world.anna.store.get_note(world.notes[2].id).deleted_at is not None


def test_an_erased_note_is_not_brought_back(world: World) -> None:
    world.anna.store.erase_note(world.notes[2].id)
    counts = world.anna.merge(world.ben.export(world.cid))[0]
    assert counts["notes"].refused == 1
    assert world.notes[2].id not in {n.id for n in world.anna.store.list_notes(world.cid)}


def test_a_redacted_copy_never_overwrites(world: World) -> None:
    world.clock.tick()
    world.ben.store.update_note(world.notes[0].id, body="Ring 07700 900123 about it")
    redacted = bundles.build(world.ben.store, world.cid, redact=True)
    counts = world.anna.merge(redacted)[0]
    assert totals(counts, "updated") == 0
    assert world.anna.store.get_note(world.notes[0].id).body == "Note 0"


def test_a_bad_bundle_refuses_the_whole_run(world: World, tmp_path: Path) -> None:
    world.work_apart()
    good = tmp_path / "ben.json"
    good.write_text(bundles.dumps(world.ben.export(world.cid)), encoding="utf-8")
    future = world.cara.export(world.cid)
    future["version"] = bundles.VERSION + 1
    newer = tmp_path / "cara.json"
    newer.write_text(bundles.dumps(future), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text(bundles.dumps(world.cara.export(world.cid))[:-40], encoding="utf-8")
    before = world.anna.digest()
    world.anna.close()
    runner = CliRunner()
    for bad, said in ((newer, "newer appreciate"), (broken, "not valid JSON")):
        result = runner.invoke(main, ["--db", str(tmp_path / "anna.db"), "import", str(good),
                                      str(bad)])
        assert result.exit_code == 1
        assert said in result.stderr and "nothing was imported" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    world.anna = Laptop(tmp_path, "anna")
    assert world.anna.digest() == before
    with pytest.raises(BundleError, match="history"):
        data = world.ben.export(world.cid)
        data["history"] = {"notes": {"not-in-the-bundle": ["0" * 32]}}
        bundles.validate(data, world.anna.store.bundle_schema())


def test_the_command_reports_added_updated_and_conflicts(world: World, tmp_path: Path) -> None:
    world.work_apart()
    paths = []
    for name, data in (("ben", world.ben.export(world.cid)), ("cara", world.cara.export(world.cid))):
        path = tmp_path / f"{name}.json"
        path.write_text(bundles.dumps(data), encoding="utf-8")
        paths.append(str(path))
    world.anna.close()
    runner = CliRunner()
    db = ["--db", str(tmp_path / "anna.db")]
    result = runner.invoke(main, [*db, "import", *paths])
    assert result.exit_code == 0, result.output + result.stderr
    assert "ben.json: Strategy meetings: added 2 rows (1 note, 1 note revision); updated 2 rows" \
        in result.output
    assert "conflict: note" in result.output and "kept the imported, the newer" in result.output
    assert "kept this database's, the newer" in result.output
    assert "Merged 2 bundles in one go" in result.output
    again = runner.invoke(main, [*db, "import", "--json", *paths])
    reports = json.loads(again.output)
    assert [(r["added"], r["updated"], r["conflicts"]) for r in reports] == [(0, 0, []), (0, 0, [])]
    world.anna = Laptop(tmp_path, "anna")


@pytest.mark.parametrize("found_by", ["rowid", "id"])
def test_indexes_and_tallies_stay_true_when_a_run_adds_a_note_then_updates_it(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, found_by: str
) -> None:
    """A large merge indexes the notes it adds all at once: a note that one bundle of the run adds
    and a later bundle edits is searched, counted and themed by its final words, exactly as if
    every note had been written one at a time (the notes' triggers in place). The added notes are
    found as the rows after the last one indexed or, should their number not match, by id."""
    from appreciate_tui.store import merge

    if found_by == "id":
        monkeypatch.setattr(merge, "_ADDED_AFTER", "rowid > :after AND rowid < 0")

    older = world.cara.export(world.cid)
    world.work_apart()
    run = [older, world.cara.export(world.cid), world.ben.export(world.cid)]
    at_once, one_by_one = Laptop(tmp_path, "at-once"), Laptop(tmp_path, "one-by-one")
    try:
        counts = at_once.merge(*run)
        assert counts[1]["notes"].updated >= 2  # edits to notes the first bundle just added
        store = one_by_one.store
        with store.atomic():
            for data in run:
                checked = bundles.validate(data, store.bundle_schema())
                merge.merge_rows(store.db, checked.tables, checked.history, checked.lost)

        def indexes(laptop: Laptop) -> dict[str, object]:
            db = laptop.store.db
            db.execute("INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')")
            return {
                "search": sorted(
                    hit.note_id for word in ("heard", "adds") for hit in laptop.store.search(word)
                ),
                "tallies": laptop.store.note_counts(),
                "themes": list(db.query("SELECT * FROM note_themes_terms ORDER BY term, col")),
                "triggers": list(db.query("SELECT name, sql FROM sqlite_master "
                                          "WHERE type = 'trigger' ORDER BY name")),
            }

        merged = indexes(at_once)
        assert merged == indexes(one_by_one)
        live = [n for n in at_once.store.list_notes(world.cid) if n.deleted_at is None]
        assert merged["tallies"] == {world.cid: len(live)}
        assert merged["search"] == sorted(
            n.id for n in live if "heard" in n.body or "adds" in n.body
        )
    finally:
        at_once.close()
        one_by_one.close()
