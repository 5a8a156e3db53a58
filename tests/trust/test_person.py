"""Erasing a person: `appreciate erase-person NAME` removes the name from every record (a
participant's name, notes, earlier versions, drafts, questions, actions, feedback, records of
shares), puts the pseudonym in its place, and reports the older backups and the recorded exports
that may still hold it. Hostile names (regex and SQL syntax, wildcards, other scripts, composed
and decomposed accents, control characters) remove exactly that name and not one other character.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from appreciate_tui import paths
from appreciate_tui.cli import main
from appreciate_tui.domain import Phase
from appreciate_tui.store import Store, erasure
from tests.trust.helpers import files_holding, meeting

NAME = "Jane Smith"


def everything_typed(store: Store) -> str:
    """Every free-text value in the database, joined: what a name could hide in."""
    conn = store.db.conn
    parts = []
    for table, columns in erasure.free_text_columns(conn).items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        for row in conn.execute(f'SELECT {quoted} FROM "{table}"'):
            parts += [v for v in row if isinstance(v, str)]
    return "\n".join(parts)


def populate(store: Store, name: str = NAME) -> dict[str, str]:
    """The name wherever a facilitator could have typed it, in a conversation the person took
    part in (A) and in one they did not (B)."""
    a, qa = meeting(store, "Strategy meetings in March", fillers=2)
    b, qb = meeting(store, "Strategy meetings in April", fillers=2)
    jane = store.add_participant(a, "Police", name=name, role="DS")
    store.add_participant(a, "Health", name="Ravi Patel")
    note = store.add_note(a, qa, f"{name} shared the chronology before the meeting",
                          participant_id=jane.id)
    store.update_note(note.id, body=f"{name} shared the chronology two days before")
    store.add_note(b, qb, f"Everyone said {name.upper()} made the difference")
    follow = store.add_follow_up(a, qa, f"What did {name} do differently?")
    store.add_note(a, follow.id, "She phoned everyone the day before")
    store.add_action(a, f"Ask {name} to write up the pre-meeting call", owner=name)
    store.add_feedback(a, participant_id=jane.id, rating=5, comments=f"Thank you {name}!")
    store.save_draft(a, "note", f"{name} also said")
    store.record_share(a, "md", recipient=f"{name}, DS", purpose="learning")
    store.update_conversation(b, key_learning=f"Preparation, as {name} showed")
    return {"a": a, "b": b, "jane": jane.id, "note": note.id}


def test_the_name_goes_everywhere_and_the_pseudonym_takes_its_place(store: Store,
                                                                   db_path: Path) -> None:
    ids = populate(store)
    pseudonym = store.get_participant(ids["jane"]).pseudonym
    assert NAME.lower() in everything_typed(store).lower()

    result = store.erase_person(NAME)
    assert result.complete and result.texts_changed >= 10

    assert NAME.lower() not in everything_typed(store).lower()
    jane = store.get_participant(ids["jane"])
    assert (jane.name, jane.pseudonym, jane.role) == ("", pseudonym, "DS")  # pseudonym stays
    assert store.get_note(ids["note"]).body == f"{pseudonym} shared the chronology two days before"
    assert store.note_revisions(ids["note"])[0].body.startswith(pseudonym)
    # Where they were not a participant, the name becomes "[name removed]".
    b_notes = [n.body for n in store.list_notes(ids["b"])]
    assert f"Everyone said {erasure.NAME_REMOVED} made the difference" in b_notes
    assert store.get_conversation(ids["b"]).key_learning == f"Preparation, as {erasure.NAME_REMOVED} showed"
    assert store.get_participant(store.list_participants(ids["a"])[0].id)  # others stay
    assert "Ravi Patel" in everything_typed(store)
    assert store.check().ok  # every changed note has a checksum that fits
    assert store.search("Smith") == [] and store.search("chronology")
    if not store.encrypted:
        assert files_holding(db_path.parent, "Jane Smith") == []
        assert files_holding(db_path.parent, "smith") == []  # nor in the full-text index
    log = store.erasures()[-1]
    assert log["kind"] == "person" and log["target_id"] is None
    assert "Jane" not in repr(log)


def test_whole_words_only(store: Store) -> None:
    cid, qid = meeting(store, fillers=0)
    store.add_participant(cid, "Health", name="Ann")
    text = "Ann, Anne and the Annual review; ANN's plan; Joanna; ann."
    note = store.add_note(cid, qid, text)
    store.erase_person("Ann")
    pseudonym = store.list_participants(cid)[0].pseudonym
    assert store.get_note(note.id).body == (
        f"{pseudonym}, Anne and the Annual review; {pseudonym}'s plan; Joanna; {pseudonym}."
    )


def test_other_forms_of_the_name_go_with_also(store: Store) -> None:
    ids = populate(store)
    store.add_note(ids["a"], store.list_questions(ids["a"])[0].id, "Jane and J. Smith agreed")
    store.erase_person(NAME, also=["Jane", "J. Smith"])
    text = everything_typed(store)
    assert "Jane" not in text and "J. Smith" not in text


HOSTILE = {
    "regex": "J.*e (Smith)+",
    "sql": "O'Brien'); DROP TABLE notes; --",
    "like-wildcards": "100%_Kim",
    "fts-syntax": 'NEAR("Kim" OR Lee)*',
    "arabic": "مريم الحسن",
    "hebrew": "שרה לוי",
    "emoji-zwj": "Kim 👩‍👩‍👧",
    "combining": "Zoë Ĺaw",  # typed as combining marks below
    "cjk": "王秀英",
    "control-chars": "Tam\x1b[2J\x07sin",
    "backslashes": r"C:\Users\dee",
    "long": "Bartholomew " * 30 + "Featherstonehaugh",
}
BYSTANDER = ("The room was booked. 😀 مرحبا — Zoë said the plan (v2.0) cost 100% of 50_000 "
             "\\ and \"quotes\"; NEAR(x) OR y* -- done.")


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_name_removes_exactly_that_name(store: Store, kind: str) -> None:
    name = HOSTILE[kind]
    if kind == "combining":
        typed = unicodedata.normalize("NFD", name)  # stored decomposed, asked for composed
    else:
        typed = name
    cid, qid = meeting(store, fillers=0)
    person = store.add_participant(cid, "Police", name=typed)
    stored_name = store.get_participant(person.id).name  # what cleaning kept of it
    with_name = store.add_note(cid, qid, f"{stored_name} arrived. {BYSTANDER}")
    without = store.add_note(cid, qid, BYSTANDER)
    chars_before = len(BYSTANDER) * 2

    store.erase_person(name)

    pseudonym = store.get_participant(person.id).pseudonym
    assert store.get_participant(person.id).name == ""
    assert store.get_note(with_name.id).body == f"{pseudonym} arrived. {BYSTANDER}"
    assert store.get_note(without.id).body == BYSTANDER
    kept = len(store.get_note(with_name.id).body) - len(f"{pseudonym} arrived. ") + len(
        store.get_note(without.id).body)
    assert kept == chars_before  # not one other character lost
    assert store.check().ok
    assert len(store.list_notes(cid)) == 2  # (and the notes table is still there)


def test_a_name_too_short_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.erase_person("J")
    with pytest.raises(ValueError):
        store.erase_person("\x1b\x07 ")


# ---------------------------------------------------------------- the command


def run(db_path: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["--db", str(db_path), *args], input=input)


def test_the_command_reports_older_backups_and_recorded_exports_then_drops_the_backups(
    db_path: Path, frozen_clock
) -> None:
    with Store.open(db_path) as store:
        ids = populate(store)
        old_backup = store.rotate_backups()
    exports = paths.exports_dir()
    exports.mkdir(parents=True)
    (exports / "strategy-meetings.md").write_text(f"# Learning\n\n{NAME} shared the chronology\n")
    (exports / "unrelated.md").write_text("# Nothing about anyone\n")

    dry = run(db_path, "erase-person", NAME, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "a participant in 1 record" in dry.output and "Nothing was changed" in dry.output
    assert str(old_backup) in dry.output
    assert "strategy-meetings.md" in dry.output and "unrelated.md" not in dry.output
    with Store.open(db_path) as store:
        assert NAME in everything_typed(store)  # a dry run changes nothing

    frozen_clock.advance(minutes=5)
    done = run(db_path, "erase-person", NAME, "--yes")
    assert done.exit_code == 0, done.output
    assert "pseudonyms stay" in done.output
    assert "1 older backup still holds it" in done.output or "backups still hold it" in done.output
    assert str(old_backup) in done.output
    assert "md" in done.output and "(conversation " + ids["a"][:8] in done.output
    assert "strategy-meetings.md" in done.output

    frozen_clock.advance(minutes=5)
    dropped = run(db_path, "erase-person", NAME, "--yes", "--drop-old-backups")
    assert dropped.exit_code == 0, dropped.output
    assert not old_backup.exists()
    # Nothing appreciate keeps holds the name; the export someone wrote still does (it was
    # reported: appreciate does not delete what was shared).
    assert files_holding(db_path.parent, "Jane Smith") == [
        "home/.local/share/appreciate/exports/strategy-meetings.md"
    ]


def test_the_command_asks_first_and_no_means_nothing_changes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appreciate_tui.cli.trust as cli_trust

    with Store.open(db_path) as store:
        populate(store)
    refused = run(db_path, "erase-person", NAME)  # no terminal to ask on, and no --yes
    assert refused.exit_code == 1 and "--yes" in refused.output
    monkeypatch.setattr(cli_trust, "_interactive", lambda: True)
    declined = run(db_path, "erase-person", NAME, input="n\n")
    assert declined.exit_code == 1 and "nothing was changed" in declined.output
    with Store.open(db_path) as store:
        assert NAME in everything_typed(store)
    accepted = run(db_path, "erase-person", NAME, input="y\n")
    assert accepted.exit_code == 0, accepted.output
    with Store.open(db_path) as store:
        assert NAME not in everything_typed(store)


def test_a_name_nowhere_changes_nothing(db_path: Path) -> None:
    with Store.open(db_path) as store:
        meeting(store, fillers=1)
        before = everything_typed(store)
    result = run(db_path, "erase-person", "Nobody Here", "--yes")
    assert result.exit_code == 0 and "Nothing was changed" in result.output
    with Store.open(db_path) as store:
        assert everything_typed(store) == before
        assert store.erasures() == []


def test_questions_keep_their_prompts_as_json(store: Store) -> None:
    cid = store.create_conversation("Planning").id
    question = store.add_question(cid, "What worked?", Phase.DISCOVER,
                                  prompts=["Ask Zoë Kim", "Ask the chair"])
    store.erase_person("Zoë Kim")
    assert list(store.get_question(question.id).prompts) == [f"Ask {erasure.NAME_REMOVED}",
                                                             "Ask the chair"]
