"""Promises docs/privacy.md makes that reach past one database file.

A database touches only its own backups: with several databases side by side in one folder, each
one's backup, rotation, purge and encryption leave the others' backups byte for byte as they were,
backups made under the old shared names stay with the database that made them, and a database made
afresh under an old name does not take over what its predecessor left.

Erasing really erases: after `purge` or `erase-person`, and the advice they print, followed as
printed, a byte search of every file under the folders appreciate writes to (the database, its
journal, backups, exports, anything) finds none of the erased text, inside Word files too.

A name is found with invisible characters inside it (a soft hyphen, a zero-width space), whether
they are in the stored text or in the name typed, and only the name's own characters are replaced.
"""

from __future__ import annotations

import shlex
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui import paths
from appreciate_tui.cli import main
from appreciate_tui.store import DatabaseDamaged, Store, cipher, erasure, safety
from tests.trust.helpers import PASSPHRASE, meeting, passphrase_fd

NAMES = ("a", "b", "c")
MARKER = "Qzv7Promisemarker"


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), *args])


def files_holding(folder: Path, *words: str) -> list[str]:
    """Every file under `folder` holding any of `words` in any case: its raw bytes, and each member
    of a zip file (a Word document is one, compressed, so its raw bytes would hide the words)."""
    needles = [word.lower().encode("utf-8") for word in words]
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        contents = [path.read_bytes()]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as bundle:
                contents += [bundle.read(member) for member in bundle.namelist()]
        if any(needle in content.lower() for needle in needles for content in contents):
            found.append(str(path.relative_to(folder)))
    return found


def snapshot(paths_: list[Path]) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in paths_}


def advice(output: str) -> list[list[str]]:
    """The commands an output tells the facilitator to run, as argument lists without the leading
    `appreciate` (a terminal would ask for the yes that --yes gives here)."""
    commands = []
    for line in output.splitlines():
        for quoted in line.split("`")[1::2]:
            words = shlex.split(quoted)
            if words and words[0] == "appreciate":
                commands.append([*words[1:], "--yes"])
    return commands


# ---------------------------------------------------------------- each database, its own backups


def side_by_side(folder: Path, clock) -> dict[str, list[Path]]:
    """a.db, b.db and c.db in one folder, each with an old conversation (due for purging) and a
    recent one, and three backups made at different moments. Returns each one's backups."""
    made: dict[str, list[Path]] = {}
    for name in NAMES:
        with Store.open(folder / f"{name}.db") as store:
            meeting(store, f"{name} 2023", date="2023-01-10", fillers=2,
                    notes=[f"{MARKER} said {name}'s plan held"])
            meeting(store, f"{name} 2026", date="2026-03-01", fillers=2)
            made[name] = []
            for _ in range(3):
                clock.advance(minutes=1)
                made[name].append(store.rotate_backups())
    return made


@pytest.mark.slow  # ~13 s on one core
def test_each_database_backs_up_rotates_purges_and_encrypts_only_its_own_backups(
    tmp_path: Path, frozen_clock
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    made = side_by_side(folder, frozen_clock)
    assert len({p for backups in made.values() for p in backups}) == 9
    for name in NAMES:
        assert safety.list_backups(folder / f"{name}.db") == made[name]

    for name in NAMES:
        database = folder / f"{name}.db"
        others = [p for other in NAMES if other != name for p in made[other]]
        before = snapshot(others)

        frozen_clock.advance(minutes=1)
        with Store.open(database) as store:
            made[name].append(store.rotate_backups(keep=2))  # keeps two of its own
        assert safety.list_backups(database) == made[name][-2:]
        frozen_clock.advance(minutes=1)
        copied = run(database, "backup", str(folder / "backups"))
        assert copied.exit_code == 0, copied.output
        frozen_clock.advance(minutes=1)
        purged = run(database, "purge", "--older-than", "365", "--yes", "--drop-old-backups")
        assert purged.exit_code == 0, purged.output
        assert "Removed 3 older backups" in purged.output
        own = safety.list_backups(database)
        assert len(own) == 1 and not any(p.exists() for p in made[name])
        if cipher.available():
            encrypted = run(database, "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "encrypt")
            assert encrypted.exit_code == 0, encrypted.output
            assert f"{database} and 1 backup." in encrypted.output
            assert cipher.looks_encrypted(own[0])
            # Neither the other databases nor their backups are called leftovers of this one.
            for other in [*(folder / f"{n}.db" for n in NAMES if n != name), *others]:
                assert str(other) not in encrypted.output

        assert snapshot(others) == before, f"{name}.db changed another database's backups"
        made[name] = safety.list_backups(database)


@pytest.mark.slow  # ~8 s on one core
@pytest.mark.skipif(not cipher.available(), reason="needs the encryption extra")
def test_encrypt_names_this_databases_plain_leftovers_and_no_others(
    tmp_path: Path, frozen_clock
) -> None:
    from appreciate_tui.store import recovery

    folder = tmp_path / "shared"
    folder.mkdir()
    made = side_by_side(folder, frozen_clock)
    kept_aside = recovery.restore(folder / "a.db", made["a"][0]).kept_aside
    done = run(folder / "a.db", "--passphrase-fd", str(passphrase_fd(PASSPHRASE)), "encrypt")
    assert done.exit_code == 0, done.output
    assert f"not encrypted, delete it when you no longer need it: {kept_aside}" in done.output
    for other in [folder / "b.db", folder / "c.db", *made["b"], *made["c"]]:
        assert str(other) not in done.output


def test_a_damaged_database_is_offered_its_own_newest_backup(tmp_path: Path, frozen_clock) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    made = side_by_side(folder, frozen_clock)  # c.db's backups are the newest in the folder
    damaged = folder / "a.db"
    damaged.write_bytes(b"this is not a database any more " * 64)
    with pytest.raises(DatabaseDamaged) as caught:
        Store.open(damaged)
    assert str(made["a"][-1]) in str(caught.value)


def test_backups_under_the_old_shared_names_stay_with_the_database_that_made_them(
    tmp_path: Path, frozen_clock
) -> None:
    """Before, every database in a folder named its backups `appreciate-<time>.db`. Those next
    to appreciate.db are its own; for any other database, the ones it made are found by what is
    inside them, and get its own name at its next backup."""
    folder = tmp_path / "shared"
    folder.mkdir()
    old: dict[str, list[Path]] = {}
    for name in ("appreciate", "a"):
        with Store.open(folder / f"{name}.db") as store:
            meeting(store, f"{name} meeting", fillers=1)
            old[name] = []
            for _ in range(2):
                frozen_clock.advance(minutes=1)
                stamp = frozen_clock().strftime("%Y%m%dT%H%M%S%fZ")
                old[name].append(store.backup(folder / "backups" / f"appreciate-{stamp}.db"))
    default, a = folder / "appreciate.db", folder / "a.db"
    assert safety.list_backups(default) == old["appreciate"]
    assert safety.list_backups(a) == old["a"]

    contents = snapshot(old["a"])
    theirs = snapshot(old["appreciate"])
    frozen_clock.advance(minutes=1)
    with Store.open(a) as store:
        newest = store.rotate_backups()
    renamed = [p.with_name(p.name.replace("appreciate-", "a-", 1)) for p in old["a"]]
    assert safety.list_backups(a) == [*renamed, newest]
    assert [p.read_bytes() for p in renamed] == list(contents.values())
    assert snapshot(old["appreciate"]) == theirs
    assert safety.list_backups(default) == old["appreciate"]


def test_a_database_made_afresh_under_an_old_name_leaves_its_predecessors_backups_alone(
    tmp_path: Path, frozen_clock
) -> None:
    database = tmp_path / "a.db"
    with Store.open(database) as store:
        meeting(store, fillers=1)
        left = [store.rotate_backups()]
        frozen_clock.advance(minutes=1)
        left.append(store.rotate_backups())
    before = snapshot(left)
    for path in tmp_path.glob("a.db*"):
        path.unlink()
    frozen_clock.advance(minutes=1)
    with Store.open(database) as store:
        meeting(store, "Another meeting entirely", fillers=1)
        assert safety.list_backups(database) == []
        fresh = store.rotate_backups(keep=1)
    assert safety.list_backups(database) == [fresh]
    assert snapshot(left) == before


# ---------------------------------------------------------------- erasing really erases


def exported(db: Path, conversation_id: str) -> list[Path]:
    """A web page and a Word file written into appreciate's own exports folder."""
    written = []
    for fmt in ("html", "docx"):
        done = run(db, "export", conversation_id, "--format", fmt)
        assert done.exit_code == 0, done.output
        written.append(Path(done.output.split("Wrote ", 1)[1].strip()))
    assert all(p.parent == paths.exports_dir() for p in written)
    return written


def test_after_purge_and_its_advice_no_file_holds_the_purged_text(
    tmp_path: Path, frozen_clock
) -> None:
    db = paths.ensure_private_dir(paths.data_dir()) / "appreciate.db"
    with Store.open(db) as store:
        old, _ = meeting(store, f"{MARKER} strategy review", date="2023-01-10",
                         notes=[f"{MARKER} disclosed at the meeting"])
        meeting(store, "Kept", date="2026-03-01", fillers=1)
        store.rotate_backups()
    exports = exported(db, old)
    assert len(files_holding(tmp_path, MARKER)) >= 4  # the database, a backup and both exports

    frozen_clock.advance(minutes=1)
    purged = run(db, "purge", "--older-than", "365", "--yes")
    assert purged.exit_code == 0, purged.output
    for path in exports:
        assert str(path) in purged.output and not path.exists()
    for command in advice(purged.output):
        frozen_clock.advance(minutes=1)
        followed = run(db, *command)
        assert followed.exit_code == 0, followed.output
        assert "Nothing is due" not in followed.output or "Removed" in followed.output
    assert files_holding(tmp_path, MARKER) == []
    with Store.open(db) as store:
        assert [c.title for c in store.list_conversations()] == ["Kept"]
        assert safety.list_backups(db)  # a fresh backup took the old one's place


def test_after_erase_person_and_its_advice_no_file_holds_the_name(
    tmp_path: Path, frozen_clock
) -> None:
    name = "Zorvath Quillane"
    db = paths.ensure_private_dir(paths.data_dir()) / "appreciate.db"
    with Store.open(db) as store:
        cid, qid = meeting(store, fillers=2)
        person = store.add_participant(cid, "Police", name=name)
        store.add_note(cid, qid, f"{name} brought the chronology", participant_id=person.id)
        store.add_note(cid, qid, f"Everyone thanked {name}")
        store.rotate_backups()
    exports = exported(db, cid)
    assert len(files_holding(tmp_path, "Zorvath", "Quillane")) >= 4

    frozen_clock.advance(minutes=1)
    erased = run(db, "erase-person", name, "--yes")
    assert erased.exit_code == 0, erased.output
    for path in exports:
        assert str(path) in erased.output and not path.exists()
    commands = advice(erased.output)
    assert commands, erased.output  # the older backup holds it: the output says what to run
    for command in commands:
        frozen_clock.advance(minutes=1)
        followed = run(db, *command)
        assert followed.exit_code == 0, followed.output
    assert files_holding(tmp_path, "Zorvath", "Quillane") == []


def test_erasing_a_note_removes_the_copies_appreciate_wrote_of_it(
    db_path: Path, tmp_path: Path, frozen_clock
) -> None:
    """Exports appreciate wrote hold the note escaped for their format (`&lt;` in a web page and
    a Word file): they are found all the same. A file someone else put in the folder is named,
    not removed; an export of another conversation is not looked into."""
    body = f'{MARKER} <disclosed> & said "it\'s fine" #1'
    with Store.open(db_path) as store:
        cid, qid = meeting(store, fillers=2)
        note = store.add_note(cid, qid, body)
        other, _ = meeting(store, "Another meeting", fillers=2)
    exports = exported(db_path, cid)
    kept = exported(db_path, other)
    folder = paths.exports_dir()
    copy = folder / "copied-2026-03-12-093000.txt"  # tui/clipboard.py names a copy so
    copy.write_text(body, encoding="utf-8")
    theirs = folder / "notes I kept.txt"
    theirs.write_text(f"From the meeting: {body}\n", encoding="utf-8")

    with Store.open(db_path) as store:
        result = store.erase_note(note.id)
    assert sorted(result.exports_removed) == sorted([*exports, copy])
    assert result.exports_left == (theirs,)
    assert all(p.exists() for p in kept) and theirs.exists()
    assert files_holding(tmp_path, MARKER) == [str(theirs.relative_to(tmp_path))]


def test_purge_drops_backups_holding_what_was_erased_before(db_path: Path, frozen_clock) -> None:
    """`purge --drop-old-backups` when nothing is due any more still replaces the backups that
    hold conversations erased earlier: what the advice printed by the purge says it does."""
    with Store.open(db_path) as store:
        cid, _ = meeting(store, notes=[f"{MARKER} disclosed"])
        backup = store.rotate_backups()
        store.erase_conversation(cid, reason="retention")
    frozen_clock.advance(minutes=1)
    done = run(db_path, "purge", "--drop-old-backups", "--yes")
    assert done.exit_code == 0, done.output
    assert "Nothing is due" in done.output and "Removed 1 older backup" in done.output
    assert not backup.exists() and files_holding(db_path.parent, MARKER) == []


# ---------------------------------------------------------------- invisible characters in a name


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Sam\u00adple Person", "Sample Person"),  # a soft hyphen in the stored text
        ("Sample\u200bPerson", "Sample Person"),  # a zero-width space where the space was
        ("Sample\u200bPerson", "SamplePerson"),
        ("Sample Per\u200dson", "sample person"),  # a zero-width joiner, and another case
        ("Sample Person", "Sam\u00adple Person"),  # the invisible character in the name typed
        ("Sample Person", "Sample\u200bPerson"),
        ("SAMPLE PERSON", "Sam\ufeffple Person\u2060"),
    ],
)
def test_a_name_is_found_with_invisible_characters_inside_it(store: Store, stored: str,
                                                              typed: str) -> None:
    cid, qid = meeting(store, fillers=1)
    person = store.add_participant(cid, "Police", name=stored)
    note = store.add_note(cid, qid, f"Thanks to \u200b{stored}, the plan held.")
    other, _ = meeting(store, "Another meeting", fillers=0)
    elsewhere = store.add_note(other, store.list_questions(other)[0].id,
                               f"{stored}\u00ad's idea; not Sample Persons or Samples Person")
    found = erasure.find_person(store, typed)
    assert found.participant_ids == [person.id] and found.texts == 3

    result = store.erase_person(typed)
    assert result.complete
    pseudonym = store.get_participant(person.id).pseudonym
    assert store.get_participant(person.id).name == ""
    # Exactly the name's own span goes; the characters around it stay as they were.
    assert store.get_note(note.id).body == f"Thanks to \u200b{pseudonym}, the plan held."
    assert store.get_note(elsewhere.id).body == (
        "[name removed]\u00ad's idea; not Sample Persons or Samples Person"
    )
    assert erasure.find_person(store, typed).texts == 0


def test_a_name_made_only_of_invisible_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2 characters"):
        erasure.name_terms("\u200b\u00ad\u200b")
