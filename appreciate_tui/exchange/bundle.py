"""The conversation bundle: one conversation, complete, as a versioned JSON file.

A bundle carries every stored row of a conversation (its questions and follow-ups, participants,
notes and their earlier versions, actions, feedback, the record of what was shared, and its
redaction terms) with their ids and timestamps, so `appreciate import` can add it to any database
and importing it again adds nothing. It is how learning moves between laptops in a partnership.

Reading a bundle checks all of it before anything is written: the format and version, every
table's rows against the database's own columns and types, the values a column allows, that every
reference points at a row in the bundle, and that each note's text still matches the checksum taken
when it was written. A bundle that fails any check is refused with a message naming the file and
the row, and the database is left as it was. The file may come from anyone: whatever in it stops
the JSON reader (nesting deeper than it goes, a number of thousands of digits) is refused the same
way, as is a number too large for the database to hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appreciate_tui import __version__, domain
from appreciate_tui.domain import (
    ActionStatus,
    ConversationStatus,
    Phase,
    QuestionKind,
    QuestionStatus,
    Stance,
)
from appreciate_tui.store import Store
from appreciate_tui.store.redaction import redact_tables
from appreciate_tui.store.rows import body_digest
from appreciate_tui.store.transfer import BUNDLE_TABLES, Column, Schema
from appreciate_tui.text import needs_cleaning, safe_json

if TYPE_CHECKING:
    from appreciate_tui.store.merge import TableMerge

FORMAT = "appreciate-conversation"
VERSION = 2
"""2 added the `scores` and `outcome_links` tables and each row's earlier versions (`history`,
for merging: store/merge.py), and later which of those lost a conflict (`lost`, left out when
there are none; an appreciate that does not know it merges as before), later still the `pauses`
table, notes' parking and what each note revision changed, and feedback's scores per question
(a bundle without them reads as having none). Version 1 bundles are read as they are."""

_ALLOWED: dict[tuple[str, str], set[Any]] = {
    ("conversations", "status"): {s.value for s in ConversationStatus},
    ("questions", "phase"): {p.value for p in Phase},
    ("questions", "kind"): {k.value for k in QuestionKind},
    ("questions", "status"): {s.value for s in QuestionStatus},
    ("notes", "stance"): {s.value for s in Stance},
    ("note_revisions", "stance"): {s.value for s in Stance},
    ("actions", "status"): {s.value for s in ActionStatus},
    ("feedback", "rating"): {1, 2, 3, 4, 5, None},
    ("scores", "value"): set(range(11)),
}
_JSON_COLUMNS = {
    ("conversations", "phase_budget"): dict,
    ("questions", "prompts"): list,
    ("feedback", "useful_question_ids"): list,
    ("feedback", "question_scores"): dict,
}
_DATE_COLUMNS = {"date", "due"}
# What SQLite can hold in an INTEGER column.
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


class BundleError(Exception):
    """A bundle that cannot be imported; the message names the file and what is wrong."""


class _NotJSON(Exception):
    """Text the JSON reader does not take; the message says why in a few words."""


def _parse(text: str) -> Any:
    """JSON text as data, or `_NotJSON`. Whatever stops the reader is caught here, not only bad
    syntax: nesting deeper than it goes (`RecursionError`), a number of more digits than Python
    converts (`ValueError`), or anything else: no file, however it was made, ends in a traceback."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _NotJSON(f"not valid JSON at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _NotJSON("its JSON is nested deeper than appreciate reads") from None
    except ValueError:
        raise _NotJSON("its JSON holds a number too long to read") from None
    except Exception as exc:  # anything else the reader may raise: still one line
        raise _NotJSON(f"its JSON cannot be read ({type(exc).__name__})") from None


@dataclass(frozen=True)
class Bundle:
    source: str
    conversation_id: str
    title: str
    exported_at: str
    redacted: bool
    tables: dict[str, list[dict[str, Any]]]
    history: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Earlier versions of rows the exporting laptop had (table → id → digests), for merging."""
    lost: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    """Those of them that lost a conflict on the exporting laptop (table → id → digests)."""


# ------------------------------------------------------------------------------ writing


def build(store: Store, conversation_id: str, *, redact: bool = False) -> dict[str, Any]:
    """The bundle of one conversation, as JSON-ready data; redacted like every other format."""
    tables = store.conversation_rows(conversation_id)
    if redact:
        tables, _ = redact_tables(tables)
    versions = {} if redact else store.row_history(conversation_id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "exported_at": domain.utc_now(),
        "redacted": redact,
        "conversation_id": conversation_id,
        "tables": tables,
    } | {key: found for key, found in versions.items() if found}


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as text: stable (the same conversation gives the same text) and exact."""
    text = json.dumps(bundle, ensure_ascii=False, indent=2)
    return safe_json(text) + "\n"


# ------------------------------------------------------------------------------ reading


def read(path: Path, schema: Schema) -> Bundle:
    """Read and check a bundle file; raises `BundleError` saying what is wrong and where."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BundleError(f"{path}: this is not a bundle (it is not UTF-8 text)") from None
    return loads(text, schema, str(path))


def loads(text: str, schema: Schema, source: str = "bundle") -> Bundle:
    try:
        data = _parse(text)
    except _NotJSON as exc:
        raise BundleError(f"{source}: this is not a bundle ({exc})") from None
    return validate(data, schema, source)


def validate(data: Any, schema: Schema, source: str = "bundle") -> Bundle:
    def fail(problem: str) -> BundleError:
        return BundleError(f"{source}: {problem}")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise fail("this is not an appreciate conversation bundle")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise fail("the bundle has no valid version number")
    if version > VERSION:
        raise fail(
            f"this bundle was written by a newer appreciate (bundle version {version}; this one "
            f"reads version {VERSION}); update appreciate to import it"
        )
    for key, kind in (
        ("conversation_id", str),
        ("exported_at", str),
        ("redacted", bool),
        ("tables", dict),
    ):
        if not isinstance(data.get(key), kind):
            raise fail(f"the bundle's {key!r} is missing or not {_kind(kind)}")
    tables = data["tables"]
    unknown = set(tables) - set(BUNDLE_TABLES)
    if unknown:
        raise fail(f"the bundle has tables appreciate does not know: {', '.join(sorted(unknown))}")
    checked = {table: _rows(table, tables.get(table, []), schema, fail) for table in BUNDLE_TABLES}
    conversation_id = data["conversation_id"]
    _belongs(checked, conversation_id, fail)
    _references(checked, schema, fail)
    for index, note in enumerate(checked["notes"]):
        if body_digest(note["body"]) != note["sha256"]:
            raise fail(
                f"{_where('notes', index, note)}: its text no longer matches the checksum taken "
                "when it was written; the bundle was changed after it was exported"
            )
    return Bundle(
        source=source,
        conversation_id=conversation_id,
        title=checked["conversations"][0]["title"],
        exported_at=data["exported_at"],
        redacted=data["redacted"],
        tables=checked,
        history=_history("history", data.get("history", {}), checked, fail),
        lost=_history("lost", data.get("lost", {}), checked, fail),
    )


_DIGEST = re.compile(r"[0-9a-f]{32}")


def _history(
    key: str,
    history: Any,
    tables: dict[str, list[dict[str, Any]]],
    fail: Callable[[str], BundleError],
) -> dict[str, dict[str, list[str]]]:
    """The bundle's earlier versions of its rows (`history`), or those that lost (`lost`): only
    of rows it holds, only digests."""
    if not isinstance(history, dict):
        raise fail(f"the bundle's {key!r} is not an object")
    for table, versions in history.items():
        ids = {row["id"] for row in tables.get(table, [])}
        if table not in tables or not isinstance(versions, dict):
            raise fail(f"the bundle's {key} of {table!r} is not about a table it holds")
        for row_id, digests in versions.items():
            if row_id not in ids:
                raise fail(f"the bundle's {key} of {table} names a row it does not hold")
            if not isinstance(digests, list) or not all(
                isinstance(d, str) and _DIGEST.fullmatch(d) for d in digests
            ):
                raise fail(f"the bundle's {key} of {table} row {row_id} is not a list of versions")
    return history


def _kind(kind: type) -> str:
    return {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        dict: "an object",
        list: "a list",
    }[kind]


def _where(table: str, index: int, row: dict[str, Any]) -> str:
    row_id = row.get("id")
    return f"{table} row {index + 1}" + (f" (id {row_id})" if isinstance(row_id, str) else "")


def _rows(
    table: str, rows: Any, schema: Schema, fail: Callable[[str], BundleError]
) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise fail(f"the bundle's {table!r} is not a list of rows")
    columns = schema.columns[table]
    if _all_fine(table, rows, columns):
        return rows
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise fail(f"{table} row {index + 1} is not an object")
        where = _where(table, index, row)
        unknown = set(row) - set(columns)
        if unknown:
            raise fail(f"{where}: unknown field {sorted(unknown)[0]!r}")
        for column in columns.values():
            if column.name not in row:
                if column.required:
                    raise fail(f"{where}: the field {column.name!r} is missing")
                continue
            value = row[column.name]
            if value is None:
                if not column.nullable:
                    raise fail(f"{where}: the field {column.name!r} cannot be empty (null)")
                continue
            if type(value) is not column.kind:
                raise fail(f"{where}: the field {column.name!r} should be {_kind(column.kind)}")
            problem = _value_problem(table, column.name, value)
            if problem:
                raise fail(f"{where}: the field {column.name!r} {problem}")
        if row["id"] in seen:
            raise fail(f"{where}: the id appears twice in the bundle")
        seen.add(row["id"])
    return rows


class _Absent:
    """What a row without a column has there, for `_all_fine`."""


_ABSENT = _Absent()


def _all_fine(table: str, rows: list[Any], columns: Mapping[str, Column]) -> bool:
    """Whether every row passes every check of `_rows`, found a column at a time, as for nearly
    every bundle: a few set operations instead of a function call per value. False sends the rows
    through `_rows`' checks one by one, which name the first problem."""
    if not all(type(row) is dict for row in rows):
        return False
    if not set().union(*rows) <= columns.keys():
        return False
    texts: list[str] = []
    for column in columns.values():
        name = column.name
        values = [row.get(name, _ABSENT) for row in rows]
        kinds = set(map(type, values))
        allowed_kinds = {column.kind}
        if column.nullable:
            allowed_kinds.add(type(None))
        if not column.required:
            allowed_kinds.add(_Absent)
        if not kinds <= allowed_kinds:
            return False
        if len(kinds) > 1 or column.kind not in kinds:
            values = [v for v in values if v is not None and v is not _ABSENT]
        allowed = _ALLOWED.get((table, name))
        if allowed is not None and not set(values) <= allowed:
            return False
        if column.kind is int:
            if values and not _SMALLEST <= min(values) <= max(values) <= _LARGEST:
                return False
            continue
        texts += values
        try:
            if (table, name) in _JSON_COLUMNS:
                if any(_value_problem(table, name, value) for value in values):
                    return False
            elif name in _DATE_COLUMNS:
                list(map(date.fromisoformat, values))
            elif name.endswith("_at"):
                list(map(datetime.fromisoformat, values))
        except ValueError:
            return False
    if needs_cleaning("\n".join(texts)):  # joined by line breaks, which it allows
        return False
    ids = [row["id"] for row in rows]
    return len(set(ids)) == len(ids)


def _value_problem(table: str, column: str, value: Any) -> str | None:
    """What is wrong with one value of the right type, or None."""
    allowed = _ALLOWED.get((table, column))
    if allowed is not None and value not in allowed:
        return f"cannot be {value!r}"
    if isinstance(value, int):
        return None if _SMALLEST <= value <= _LARGEST else "is a number too large to store"
    if needs_cleaning(value):
        return "holds control characters, which appreciate never stores"
    shape = _JSON_COLUMNS.get((table, column))
    if shape is not None:
        try:
            parsed = _parse(value)
        except _NotJSON:
            parsed = None
        if not isinstance(parsed, shape):
            return f"should hold {_kind(shape)} written as JSON"
        if (table, column) == ("feedback", "question_scores"):
            try:
                domain.check_scores(parsed)
            except ValueError:
                return "should hold scores that are whole numbers from 1 to 5"
    try:
        if column in _DATE_COLUMNS:
            date.fromisoformat(value)
        elif column.endswith("_at"):
            datetime.fromisoformat(value)
    except ValueError:
        return f"is not a date{'' if column in _DATE_COLUMNS else ' and time'} ({value!r})"
    return None


def _belongs(
    tables: dict[str, list[dict[str, Any]]],
    conversation_id: str,
    fail: Callable[[str], BundleError],
) -> None:
    conversations = tables["conversations"]
    if len(conversations) != 1 or conversations[0]["id"] != conversation_id:
        raise fail("the bundle must hold exactly one conversation, the one it names")
    for table, rows in tables.items():
        if {row.get("conversation_id", conversation_id) for row in rows} <= {conversation_id}:
            continue
        for index, row in enumerate(rows):
            if "conversation_id" in row and row["conversation_id"] != conversation_id:
                raise fail(f"{_where(table, index, row)}: belongs to another conversation")


def _references(
    tables: dict[str, list[dict[str, Any]]], schema: Schema, fail: Callable[[str], BundleError]
) -> None:
    ids = {table: {row["id"] for row in rows} for table, rows in tables.items()}
    for table, rows in tables.items():
        for reference in schema.references[table]:
            referred = {row.get(reference.column) for row in rows}
            referred.discard(None)
            if referred <= ids.get(reference.table, set()):
                continue  # all there; otherwise the first row missing one is named
            for index, row in enumerate(rows):
                value = row.get(reference.column)
                if value is not None and value not in ids.get(reference.table, set()):
                    raise fail(
                        f"{_where(table, index, row)}: {reference.column!r} refers to a "
                        f"{reference.table} row that is not in the bundle"
                    )


# ------------------------------------------------------------------------------ importing


def import_bundle(store: Store, bundle: Bundle) -> dict[str, TableMerge]:
    """Merge the bundle into the database in one transaction (see `merge_bundles`)."""
    return merge_bundles(store, [bundle])[0]


def merge_bundles(store: Store, bundles: list[Bundle]) -> list[dict[str, TableMerge]]:
    """Merge checked bundles into the database, all in one transaction (store/merge.py): new rows
    are added, a newer version of a row replaces an older one, a row changed on both sides is a
    conflict the newer side wins, and nothing erased here comes back. A bundle with a row that
    belongs here somewhere else is refused (`BundleError` naming it), and nothing is merged."""
    from appreciate_tui.store.merge import RowElsewhere

    merging: list[Bundle] = []  # the one being merged, to name it if it is refused

    def each() -> Iterator[tuple[Any, ...]]:
        for checked in bundles:
            merging[:] = [checked]
            yield checked.tables, checked.history, checked.lost, checked.redacted

    try:
        return store.merge_bundles(each())
    except RowElsewhere as exc:
        raise BundleError(f"{merging[0].source}: {exc}") from None
