"""Question banks: the shipped banks load, and every mistake in a hand-written bank is reported with
the file, line and column a facilitator needs to fix it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from appreciate_tui import paths
from appreciate_tui.banks.loader import (
    MAX_BANK_BYTES,
    Bank,
    BankError,
    BankNotFound,
    BankQuestion,
    find_bank,
    load_bank,
    load_banks,
)
from appreciate_tui.domain import Phase

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
SHIPPED_IDS = {
    "appreciative-interview",
    "learning-from-excellence",
    "mash-strategy-meetings",
    "soar",
    "worries-working-well-next",
}
MASH_VERBATIM = [
    "Can you tell me about a strategy meeting which you felt was successful?",
    "How have you managed to overcome any challenges you have faced in strategy meetings?",
    "If MASH was operating at its best what would an effective strategy meeting look like?",
    "What would you need for this vision to be a reality?",
    "How will you make this happen?",
]
MINIMAL = (
    'id = "minimal"\ntitle = "Minimal"\n\n[[questions]]\nphase = "discover"\ntext = "What works?"\n'
)


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder, so the user banks folder is never a real person's."""
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("APPRECIATE_DB", str(tmp_path / "appreciate.db"))
    return home


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def error_for(path: Path) -> BankError:
    with pytest.raises(BankError) as caught:
        load_bank(path)
    return caught.value


# The shipped banks ------------------------------------------------------------------------------


def test_every_shipped_bank_loads_without_errors() -> None:
    banks, errors = load_banks([paths.shipped_banks_dir()])
    assert errors == []
    assert {bank.id for bank in banks} >= SHIPPED_IDS
    for bank in banks:
        assert bank.title and bank.source and bank.description
        assert not bank.user
        assert all(question.text for question in bank.questions)


def test_default_folders_are_the_shipped_and_the_users(data_home: Path) -> None:
    user_folder = paths.user_banks_dir()
    assert user_folder.is_relative_to(data_home)
    user_folder.mkdir(parents=True)
    write(user_folder, "mine.toml", MINIMAL)

    banks, errors = load_banks()

    assert errors == []
    by_id = {bank.id: bank for bank in banks}
    assert by_id["minimal"].user
    assert not by_id["mash-strategy-meetings"].user
    assert [bank.title for bank in banks] == sorted(
        (bank.title for bank in banks), key=str.casefold
    )


def test_the_user_folder_may_not_exist_yet(data_home: Path) -> None:
    assert not paths.user_banks_dir().exists()
    banks, errors = load_banks()
    assert errors == []
    assert {bank.id for bank in banks} >= SHIPPED_IDS


def test_mash_bank_asks_its_eight_questions_in_phase_order() -> None:
    bank = find_bank("mash-strategy-meetings", [paths.shipped_banks_dir()])
    texts = [question.text for question in bank.questions]

    assert len(bank.questions) == 8
    assert bank.topic == "Is multi-agency working effective within MASH strategy meetings?"
    assert [text for text in texts if text in MASH_VERBATIM] == MASH_VERBATIM
    assert bank.questions == bank.questions_in_phase_order()
    assert {question.phase for question in bank.questions} == set(Phase)
    assert all(1 <= len(question.prompts) <= 3 for question in bank.questions)


def test_worries_bank_has_one_scaling_question() -> None:
    bank = find_bank("worries-working-well-next", [paths.shipped_banks_dir()])
    assert [question.scale for question in bank.questions].count(True) == 1


def test_soar_description_says_how_soar_maps_onto_the_phases() -> None:
    description = find_bank("soar", [paths.shipped_banks_dir()]).description
    for area, phase in [
        ("Strengths", "discover"),
        ("Opportunities", "dream"),
        ("Aspirations", "design"),
        ("Results", "deliver"),
    ]:
        assert re.search(rf"\b{area}( are asked)? as {phase}\b", description), area


def test_importing_banks_does_not_import_textual() -> None:
    code = "import sys, appreciate_tui.banks.loader; sys.exit('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# Reading a bank ---------------------------------------------------------------------------------


def test_a_full_bank_round_trips_every_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "full.toml",
        '''
id = "full"
title = "Full"
topic = "A topic"
description = """
Two lines
of description."""
source = "A book"

[[questions]]
phase = "deliver"
text = "Last?"

[[questions]]
phase = "Destiny"
text = "Also last?"

[[questions]]
phase = "define"
text = "First?"
prompts = ["Probe one", "Probe two"]
scale = true
''',
    )
    bank = load_bank(path, user=True)

    assert bank == Bank(
        id="full",
        title="Full",
        topic="A topic",
        description="Two lines\nof description.",
        source="A book",
        path=path,
        user=True,
        questions=(
            BankQuestion(Phase.DELIVER, "Last?"),
            BankQuestion(Phase.DELIVER, "Also last?"),
            BankQuestion(Phase.DEFINE, "First?", ("Probe one", "Probe two"), scale=True),
        ),
    )
    assert [q.text for q in bank.questions_in_phase_order()] == ["First?", "Last?", "Also last?"]


def test_control_characters_are_cleaned_from_text(tmp_path: Path) -> None:
    path = write(
        tmp_path, "controls.toml", MINIMAL.replace("What works?", "What\\u001b[31m works?\\u0007")
    )
    assert load_bank(path).questions[0].text == "What[31m works?"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.toml", b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_bank(path).id == "minimal"


# What a bad bank reports ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "column", "words"),
    [
        ("invalid-toml.toml", 6, 32, "invalid TOML"),
        ("text-not-string.toml", 10, 1, "question 2: 'text' must be a string, not an integer"),
        ("prompts-not-strings.toml", 7, 1, "'prompts' must be a list of strings"),
        ("scale-not-boolean.toml", 7, 1, "'scale' must be true or false"),
        (
            "unknown-phase.toml",
            10,
            1,
            "unknown phase 'imagine'; allowed: define, discover, dream, design, deliver",
        ),
        ("unknown-key.toml", 7, 3, "question 1: unknown key 'hint'"),
        ("unknown-top-level-key.toml", 3, 1, "unknown key 'descripton'"),
        ("bad-id.toml", 1, 1, "lowercase letters, digits and hyphens"),
        ("empty-text.toml", 6, 1, "'text' is empty"),
        ("duplicate-question.toml", 10, 1, "question 2: the same text as question 1"),
        ("empty.toml", None, None, "the file is empty"),
        ("no-questions.toml", None, None, "no questions"),
        ("missing-title.toml", None, None, "'title' is missing"),
    ],
)
def test_a_bad_bank_names_file_line_and_column(
    name: str, line: int | None, column: int | None, words: str
) -> None:
    path = FIXTURES / "bad" / name
    error = error_for(path)

    assert (error.path, error.line, error.column) == (path, line, column)
    assert words in error.message
    where = f"{path}:{line}:{column}: " if line is not None else f"{path}: "
    assert str(error) == where + error.message


def test_toml_error_at_end_of_document_points_at_the_end(tmp_path: Path) -> None:
    error = error_for(write(tmp_path, "cut.toml", 'id = "cut"\ntitle = "Cut'))
    assert (error.line, error.column) == (2, 13)
    assert "(at end of document)" not in error.message


def test_non_utf8_bytes_are_located_by_line_and_column(tmp_path: Path) -> None:
    latin1 = MINIMAL.replace("What works?", "Qu'est-ce qui marche à l'école ?").encode("latin-1")
    error = error_for(write(tmp_path, "latin1.toml", latin1))

    assert (error.line, error.column) == (6, 30)
    assert "not UTF-8" in error.message and "0xe0" in error.message


def test_the_column_of_a_bad_byte_counts_characters_not_bytes(tmp_path: Path) -> None:
    pasted = "Café — ".encode() + "à l'école".encode("latin-1")
    error = error_for(
        write(tmp_path, "mixed.toml", MINIMAL.encode().replace(b"What works?", pasted))
    )
    assert (error.line, error.column) == (6, 16)


def test_a_file_over_one_megabyte_is_refused_before_parsing(tmp_path: Path) -> None:
    padding = "# " + "x" * 98 + "\n"
    path = write(tmp_path, "huge.toml", MINIMAL + padding * (MAX_BANK_BYTES // len(padding) + 1))
    error = error_for(path)
    assert error.line is None
    assert "larger than 1 MB" in error.message


def test_a_file_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    error = error_for(tmp_path / "missing.toml")
    assert "cannot read" in error.message


# Loading many -----------------------------------------------------------------------------------


def test_bad_files_become_errors_and_the_others_still_load(tmp_path: Path) -> None:
    for bad in sorted((FIXTURES / "bad").glob("*.toml")):
        shutil.copy(bad, tmp_path)
    shutil.copy(FIXTURES / "good" / "minimal.toml", tmp_path)

    banks, errors = load_banks([tmp_path])

    assert [bank.id for bank in banks] == ["minimal"]
    assert sorted(error.path.name for error in errors) == sorted(
        path.name for path in (FIXTURES / "bad").glob("*.toml")
    )


def test_a_duplicate_bank_id_is_an_error_on_the_second_file() -> None:
    folder = FIXTURES / "duplicate-ids"
    banks, errors = load_banks([folder])

    assert [bank.path.name for bank in banks] == ["a-first.toml"]
    [error] = errors
    assert error.path == folder / "b-second.toml"
    assert (error.line, error.column) == (2, 1)
    assert "'shared-id' is already used by" in error.message and "a-first.toml" in error.message


def test_a_missing_folder_is_skipped_and_hidden_files_ignored(tmp_path: Path) -> None:
    write(tmp_path, ".#minimal.toml", "not a bank")
    write(tmp_path, "minimal.toml", MINIMAL)
    banks, errors = load_banks([tmp_path / "nowhere", tmp_path])
    assert ([bank.id for bank in banks], errors) == (["minimal"], [])


def test_find_bank_lists_the_known_ids_when_the_id_is_unknown(tmp_path: Path) -> None:
    write(tmp_path, "minimal.toml", MINIMAL)
    write(tmp_path, "broken.toml", "id = ")
    with pytest.raises(BankNotFound) as caught:
        find_bank("mash", [tmp_path])
    message = str(caught.value)
    assert "'mash'" in message and "known banks: minimal" in message
    assert "1 bank file(s) could not be read" in message
    assert isinstance(caught.value, LookupError)


def test_the_example_in_the_docs_is_a_valid_bank(tmp_path: Path) -> None:
    docs = (Path(__file__).parent.parent / "docs" / "banks.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", docs, re.DOTALL)
    assert example is not None
    bank = load_bank(write(tmp_path, "example.toml", example.group(1)))
    assert bank.questions == bank.questions_in_phase_order()
    assert {question.phase for question in bank.questions} == set(Phase)
    assert any(question.scale for question in bank.questions)
