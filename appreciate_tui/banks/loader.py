"""Question banks: reusable sets of appreciative questions, one TOML file each.

Banks ship in `data/banks/` and a facilitator can add their own in the user banks folder. A bank
file is written by hand, so every mistake is reported as `FILE:LINE:COL: message` — the shape
editors and terminals turn into a link — and one bad file never stops the others from loading.
The format is documented, with a full example, in docs/banks.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appreciate_tui import paths
from appreciate_tui.domain import Phase
from appreciate_tui.text import clean, clean_line

if TYPE_CHECKING:
    from appreciate_tui.banks.lint import QuestionWarning

MAX_BANK_BYTES = 1024 * 1024
"""Banks are a few kilobytes; anything bigger is the wrong file, refused before it is parsed."""

BANK_KEYS = ("id", "title", "topic", "description", "source", "questions")
QUESTION_KEYS = ("phase", "text", "prompts", "scale")
BANK_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
"""A slug safe in a file name and on a command line (no leading hyphen to pass for an option)."""

_BOM = b"\xef\xbb\xbf"
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_QUESTIONS_HEADER = re.compile(r"\s*\[\[\s*questions\s*\]\]")
_TABLE_HEADER = re.compile(r"\s*\[")


@dataclass(frozen=True)
class BankQuestion:
    phase: Phase
    text: str
    prompts: tuple[str, ...] = ()
    """Suggested probes the facilitator can reach for if the room goes quiet."""
    scale: bool = False
    """A 0–10 scaling question: the answer is a number, then why it is that number and not lower."""


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    questions: tuple[BankQuestion, ...]
    path: Path
    topic: str = ""
    description: str = ""
    source: str = ""
    user: bool = False
    """True for a bank from the user's own folder, False for one shipped with the app."""

    def questions_in_phase_order(self) -> tuple[BankQuestion, ...]:
        """The questions as a conversation asks them: by phase, in file order within a phase."""
        return tuple(sorted(self.questions, key=lambda question: question.phase.order))


class BankError(Exception):
    """One problem with one bank file, located as precisely as the file allows."""

    def __init__(
        self, path: Path, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return ":".join(where) + ": " + self.message


class BankNotFound(LookupError):
    """No loaded bank has the id asked for; the message lists the ids that do exist."""

    def __init__(
        self, bank_id: str, known: Sequence[str], errors: Sequence[BankError] = ()
    ) -> None:
        self.bank_id = bank_id
        self.known = tuple(known)
        self.errors = tuple(errors)
        message = f"no question bank with id {bank_id!r}; "
        message += f"known banks: {', '.join(self.known)}" if self.known else "no banks were found"
        if self.errors:
            message += (
                f" ({len(self.errors)} bank file(s) could not be read: run `appreciate banks`)"
            )
        super().__init__(message)


def load_bank(path: Path, *, user: bool = False) -> Bank:
    """Read, parse and validate one bank file. Raises BankError naming the file, line and column."""
    text = _read_text(path)
    if not text.strip():
        raise BankError(path, "the file is empty; a bank needs an id, a title and [[questions]]")
    source = _Source(path, text.splitlines())
    return _build_bank(_parse_toml(path, text), source, user=user)


@dataclass(frozen=True)
class FramingNote:
    """A question or prompt of a bank that the question linter would word differently: a hint,
    never an error (the bank still loads)."""

    where: str
    """`FILE:LINE:COL: question N` (`, prompt M`), the shape editors turn into a link."""
    text: str
    warning: QuestionWarning


def framing_notes(bank: Bank) -> list[FramingNote]:
    """Every framing warning (question_lint) on the bank's questions and their prompts, in file
    order."""
    from appreciate_tui.banks.lint import lint

    try:
        source = _Source(bank.path, _read_text(bank.path).splitlines())
    except BankError:
        source = _Source(bank.path, [])
    notes: list[FramingNote] = []
    for index, question in enumerate(bank.questions):
        asked = [("text", f"question {index + 1}", question.text)]
        asked += [
            ("prompts", f"question {index + 1}, prompt {number}", prompt)
            for number, prompt in enumerate(question.prompts, start=1)
        ]
        for key, label, text in asked:
            for warning in lint(text):
                line, column = source.locate(question=index, key=key)
                place = (bank.path, line, column)
                where = ":".join(str(part) for part in place if part is not None)
                notes.append(FramingNote(f"{where}: {label}", text, warning))
    return notes


def load_banks(dirs: Sequence[Path] | None = None) -> tuple[list[Bank], list[BankError]]:
    """Every bank in `dirs` (default: the shipped banks, then the user's), sorted by title.

    A folder that does not exist is skipped: the user banks folder appears only once someone saves
    a bank there. Files load in folder order, then by name; a bank id already taken by an earlier
    file is an error on the later file, so which bank wins never depends on chance.
    """
    folders = (
        list(dirs) if dirs is not None else [paths.shipped_banks_dir(), paths.user_banks_dir()]
    )
    user_folder = paths.user_banks_dir()
    banks: list[Bank] = []
    errors: list[BankError] = []
    first_file: dict[str, Path] = {}
    for folder in folders:
        for path in _bank_files(folder):
            try:
                bank = load_bank(path, user=folder == user_folder)
            except BankError as error:
                errors.append(error)
                continue
            if bank.id in first_file:
                errors.append(_duplicate_id_error(bank, first_file[bank.id]))
                continue
            first_file[bank.id] = path
            banks.append(bank)
    banks.sort(key=lambda bank: (bank.title.casefold(), bank.id))
    return banks, errors


def find_bank(bank_id: str, dirs: Sequence[Path] | None = None) -> Bank:
    """The bank with this id. Raises BankNotFound, whose message lists the ids that exist."""
    banks, errors = load_banks(dirs)
    for bank in banks:
        if bank.id == bank_id:
            return bank
    raise BankNotFound(bank_id, sorted(bank.id for bank in banks), errors)


USER_BANK_ID = "my-questions"
USER_BANK_TITLE = "My questions"


def add_to_user_bank(
    question_text: str,
    phase: Phase | str,
    *,
    bank_id: str = USER_BANK_ID,
    title: str = USER_BANK_TITLE,
) -> Bank:
    """Keep a question (a follow-up worth keeping, say) in one of the user's own banks.

    The bank is `<bank_id>.toml` in the user banks folder, created on first use. A question is
    appended as a `[[questions]]` table, so whatever the facilitator wrote in the file by hand
    (comments, order, layout) stays as it was; the new text is loaded and checked before it
    replaces the file, atomically and privately (0600). A question already in the bank (in any
    case) leaves the file alone. A bank file with a mistake in it raises `BankError` and is not
    touched: it is the facilitator's to fix.
    """
    text = clean_line(question_text)
    if not text:
        raise ValueError("a question needs some text")
    if not BANK_ID.fullmatch(bank_id):
        raise ValueError(f"bank id {bank_id!r} must be lowercase letters, digits and hyphens")
    phase = Phase.parse(phase)
    path = paths.ensure_private_dir(paths.user_banks_dir()) / f"{bank_id}.toml"
    if path.exists():
        bank = load_bank(path, user=True)
        if any(question.text.casefold() == text.casefold() for question in bank.questions):
            return bank
        before = _read_text(path)
    else:
        before = _new_bank(bank_id, clean_line(title) or bank_id)
    after = (
        f"{before.rstrip()}\n\n[[questions]]\n"
        f"phase = {_toml_string(phase.value)}\ntext = {_toml_string(text)}\n"
    )
    bank = _build_bank(_parse_toml(path, after), _Source(path, after.splitlines()), user=True)
    paths.write_private(path, after, replace=True)
    return bank


def _new_bank(bank_id: str, title: str) -> str:
    return (
        f"# {title}: questions kept from your conversations by appreciate.\n"
        "# Edit freely: docs/banks.md describes the format; `appreciate bank check FILE`\n"
        "# checks it.\n"
        f"id = {_toml_string(bank_id)}\n"
        f"title = {_toml_string(title)}\n"
        f"description = {_toml_string('Questions that worked well in earlier conversations.')}\n"
    )


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in text:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _bank_files(folder: Path) -> list[Path]:
    """Bank files in a folder; hidden files (editor swap and lock files) are not banks."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))


def _duplicate_id_error(bank: Bank, first: Path) -> BankError:
    line, column = _Source(bank.path, _read_text(bank.path).splitlines()).locate(key="id")
    return BankError(bank.path, f"bank id {bank.id!r} is already used by {first}", line, column)


# Reading and parsing ---------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    """The file as text: at most MAX_BANK_BYTES, UTF-8, a leading byte-order mark dropped."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BANK_BYTES + 1)
    except OSError as error:
        raise BankError(path, f"cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_BANK_BYTES:
        raise BankError(path, "the file is larger than 1 MB; a question bank is a few kilobytes")
    raw = raw.removeprefix(_BOM)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(raw, error.start)
        raise BankError(
            path,
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of a byte offset whose prefix is valid UTF-8."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    """Parse TOML, turning tomllib's '(at line L, column C)' into the error's line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        if match is None:
            raise BankError(path, f"invalid TOML: {message}") from None
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line, column = _end_of(text)
        raise BankError(path, f"invalid TOML: {message[: match.start()]}", line, column) from None


def _end_of(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


# Validation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """The raw lines of a parsed file, kept to point an error found after parsing at its line.

    tomllib returns plain values without positions, so this is a best effort: the line of `key =`
    at the top of the file, or within the Nth `[[questions]]` block, or that block's header.
    """

    path: Path
    lines: list[str]

    def error(
        self, message: str, *, question: int | None = None, key: str | None = None
    ) -> BankError:
        prefix = f"question {question + 1}: " if question is not None else ""
        return BankError(self.path, prefix + message, *self.locate(question=question, key=key))

    def locate(
        self, *, question: int | None = None, key: str | None = None
    ) -> tuple[int | None, int | None]:
        """Line and column (1-based) of `key`, at the top level or in the given question's block."""
        if question is None:
            return self._find(key, self._top_level()) if key else (None, None)
        block = self._question_block(question)
        if not block:
            return None, None
        if key:
            line, column = self._find(key, block)
            if line is not None:
                return line, column
        header = self.lines[block[0]]
        return block[0] + 1, len(header) - len(header.lstrip()) + 1

    def _find(self, key: str, numbers: Sequence[int]) -> tuple[int | None, int | None]:
        """The first `key =`, `"key" =`, `key.` or `[key]` among the given lines."""
        pattern = re.compile(rf"(\s*(?:\[\[?\s*)?)[\"']?{re.escape(key)}[\"']?\s*[=.\]]")
        for number in numbers:
            match = pattern.match(self.lines[number])
            if match:
                return number + 1, match.end(1) + 1
        return None, None

    def _top_level(self) -> list[int]:
        """Lines before the first table, and table headers other than [[questions]]."""
        headers = [n for n, line in enumerate(self.lines) if _TABLE_HEADER.match(line)]
        before = range(headers[0] if headers else len(self.lines))
        return [*before, *(n for n in headers if not _QUESTIONS_HEADER.match(self.lines[n]))]

    def _question_block(self, question: int) -> range:
        """The lines of the Nth [[questions]] table, header first; empty if there is none."""
        headers = [n for n, line in enumerate(self.lines) if _TABLE_HEADER.match(line)]
        starts = [n for n in headers if _QUESTIONS_HEADER.match(self.lines[n])]
        if question >= len(starts):
            return range(0)
        start = starts[question]
        stop = next((n for n in headers if n > start), len(self.lines))
        return range(start, stop)


def _build_bank(data: dict[str, Any], source: _Source, *, user: bool) -> Bank:
    _reject_unknown_keys(data, BANK_KEYS, source)
    bank_id = _line_field(data, "id", source, required=True)
    if not BANK_ID.fullmatch(bank_id):
        raise source.error(
            f"id {bank_id!r} must be lowercase letters, digits and hyphens, like 'soar-review'",
            key="id",
        )
    return Bank(
        id=bank_id,
        title=_line_field(data, "title", source, required=True),
        questions=_build_questions(data, source),
        path=source.path,
        topic=_line_field(data, "topic", source),
        description=_text_field(data, "description", source),
        source=_text_field(data, "source", source),
        user=user,
    )


def _build_questions(data: dict[str, Any], source: _Source) -> tuple[BankQuestion, ...]:
    tables = data.get("questions")
    if tables is None or tables == []:
        raise source.error("the bank has no questions: add at least one [[questions]] table")
    if not isinstance(tables, list):
        raise source.error(
            f"'questions' must be [[questions]] tables, not {_toml_type(tables)}", key="questions"
        )
    questions: list[BankQuestion] = []
    first_seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        question = _build_question(table, index, source)
        same = question.text.casefold()
        if same in first_seen:
            raise source.error(
                f"the same text as question {first_seen[same] + 1}", question=index, key="text"
            )
        first_seen[same] = index
        questions.append(question)
    return tuple(questions)


def _build_question(table: Any, index: int, source: _Source) -> BankQuestion:
    if not isinstance(table, dict):
        raise source.error(f"must be a table of keys, not {_toml_type(table)}", question=index)
    _reject_unknown_keys(table, QUESTION_KEYS, source, question=index)
    return BankQuestion(
        phase=_phase(table, index, source),
        text=_line_field(table, "text", source, required=True, question=index),
        prompts=_prompts(table, index, source),
        scale=_scale(table, index, source),
    )


def _reject_unknown_keys(
    table: dict[str, Any], allowed: Sequence[str], source: _Source, *, question: int | None = None
) -> None:
    for key in table:
        if key not in allowed:
            raise source.error(
                f"unknown key {key!r}; allowed keys: {', '.join(allowed)}",
                question=question,
                key=key,
            )


def _line_field(
    table: dict[str, Any],
    key: str,
    source: _Source,
    *,
    required: bool = False,
    question: int | None = None,
) -> str:
    """A one-line text value, cleaned of control characters; '' when optional and absent."""
    if key not in table:
        if required:
            raise source.error(f"'{key}' is missing", question=question)
        return ""
    value = table[key]
    if not isinstance(value, str):
        raise source.error(
            f"'{key}' must be a string, not {_toml_type(value)}", question=question, key=key
        )
    text = clean_line(value)
    if required and not text:
        raise source.error(f"'{key}' is empty", question=question, key=key)
    return text


def _text_field(table: dict[str, Any], key: str, source: _Source) -> str:
    """A text value that may run over several lines (description, source), cleaned."""
    value = table.get(key, "")
    if not isinstance(value, str):
        raise source.error(f"'{key}' must be a string, not {_toml_type(value)}", key=key)
    return clean(value).strip()


def _phase(table: dict[str, Any], index: int, source: _Source) -> Phase:
    allowed = ", ".join(phase.value for phase in Phase) + " (or destiny, the older name of deliver)"
    if "phase" not in table:
        raise source.error(f"'phase' is missing; one of {allowed}", question=index)
    value = table["phase"]
    if not isinstance(value, str):
        raise source.error(
            f"'phase' must be a string, not {_toml_type(value)}", question=index, key="phase"
        )
    try:
        return Phase.parse(value)
    except ValueError:
        raise source.error(
            f"unknown phase {clean_line(value)!r}; allowed: {allowed}", question=index, key="phase"
        ) from None


def _prompts(table: dict[str, Any], index: int, source: _Source) -> tuple[str, ...]:
    value = table.get("prompts", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise source.error("'prompts' must be a list of strings", question=index, key="prompts")
    prompts = tuple(clean_line(item) for item in value)
    if not all(prompts):
        raise source.error("'prompts' has an empty prompt", question=index, key="prompts")
    return prompts


def _scale(table: dict[str, Any], index: int, source: _Source) -> bool:
    value = table.get("scale", False)
    if not isinstance(value, bool):
        raise source.error(
            f"'scale' must be true or false, not {_toml_type(value)}", question=index, key="scale"
        )
    return value


def _toml_type(value: object) -> str:
    """The TOML name of a parsed value's type, the word a bank author knows."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"
