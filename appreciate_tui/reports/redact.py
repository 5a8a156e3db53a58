"""Redaction before sharing: what identifies a person or a family is taken out of every export.

Participants' names become their pseudonyms; the conversation's own redaction terms (a child's name,
an address, a case number) and what looks like a UK phone number, an NHS number, a postcode or a
date of birth become `[redacted]`. It works on a conversation's rows (`Store.conversation_rows`),
so the reports, the CSV files and the JSON bundle are all redacted by the same code.

Patterns catch the usual ways these are written, not every way: the facilitator still reads an
export before it is shared (docs/reports.md says what is and is not caught).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from appreciate_tui.store.redaction import MIN_TERM_LENGTH
from appreciate_tui.store.rows import body_digest

REDACTED = "[redacted]"

# The free-text columns of each table in a conversation's rows; ids, timestamps, dates, statuses
# and numbers are left as they are.
_FREE_TEXT: Mapping[str, tuple[str, ...]] = {
    "conversations": ("title", "topic", "setting", "facilitator", "opening", "key_learning"),
    "participants": ("pseudonym", "agency", "role", "absence_reason"),
    "questions": ("text",),
    "notes": ("body", "agency", "escalation_passed_to"),
    "note_revisions": ("body", "agency"),
    "actions": ("description", "owner"),
    "feedback": ("agency", "comments"),
    "shares": ("recipient", "purpose"),
}

# `07700 900123`, `020 7946 0018`, `(01632) 960123`, `+44 (0)7700 900123`, `0044 117 496 0123`:
# a trunk 0 (or +44 / 0044) and then nine or ten digits, with spaces, hyphens or a bracket between.
_PHONE = (
    r"(?<![\w+])(?:(?:\+|\b00)44\s?(?:\(0\)\s?)?|\(?0)\d(?:(?:\)\s?|[ \-])?\d){8,9}(?!\d)",
    0,
)
# Ten digits: written 3-3-4 with spaces or hyphens it is taken as an NHS number whatever the digits;
# run together, only when its last digit is the right modulus-11 check digit.
_NHS_SPACED = (r"(?<![\w-])\d{3}([ -])\d{3}\1\d{4}(?![\w-])", 0)
_NHS_RUN = (r"(?<![\w-])\d{10}(?![\w-])", 0)
# The Royal Mail postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA).
_POSTCODE = (
    r"(?<!\w)(?:[A-PR-UWYZ][A-HK-Y]?\d[A-HJKPSTUW\d]?\s?\d[ABD-HJLNP-UW-Z]{2}|GIR\s?0AA)(?!\w)",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
_ANY_DATE = (
    rf"(?:{_NUMERIC_DATE}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# After "DOB", "date of birth" or "born", a date in any common form; the cue word stays, so the
# reader knows what was taken out.
_DOB = (
    rf"(?P<cue>\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:\-]?\s*){_ANY_DATE}(?!\d)",
    re.IGNORECASE,
)
# A full day/month/year date written with slashes or dots is, in safeguarding notes, most often a
# date of birth; meeting and due dates live in their own fields, not in the text.
_SLASHED_DATE = (r"(?<![\w/.])\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![\w/])", 0)

PATTERNS = ("phone numbers", "NHS numbers", "postcodes", "dates of birth")


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10 down to 2 on the first nine digits."""
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_run(match: re.Match[str]) -> str:
    return REDACTED if nhs_check_digit_ok(match.group()) else match.group()


def _dob(match: re.Match[str]) -> str:
    return match.group("cue") + REDACTED


def redact_patterns(text: str) -> str:
    """Phone numbers, NHS numbers, postcodes and dates of birth become `[redacted]`."""
    dob, slashed_date, phone, nhs_spaced, nhs_run, postcode = _patterns()
    text = dob.sub(_dob, text)
    text = slashed_date.sub(REDACTED, text)
    text = phone.sub(REDACTED, text)
    text = nhs_spaced.sub(REDACTED, text)
    text = nhs_run.sub(_nhs_run, text)
    return postcode.sub(REDACTED, text)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled on the first redaction, not whenever a report is made."""
    return tuple(
        re.compile(pattern, flags)
        for pattern, flags in (_DOB, _SLASHED_DATE, _PHONE, _NHS_SPACED, _NHS_RUN, _POSTCODE)
    )


@dataclass(frozen=True)
class Redaction:
    """What was taken out of an export, for the sentence that says so (never the terms)."""

    names: int  # participants whose recorded name was replaced by their pseudonym
    terms: int  # the conversation's redaction terms


class Redactor:
    """Replaces names and terms in one pass, longest first, so a term inside a name (or a
    pseudonym put in place of a name) is never replaced again; then the patterns."""

    def __init__(self, names: Mapping[str, str], terms: Iterable[str]) -> None:
        self._terms = {term.casefold() for term in terms}
        self._names = {name.casefold(): pseudonym for name, pseudonym in names.items()}
        # A first name or surname on its own, as written with its capital letter.
        self._parts = {
            part: pseudonym
            for name, pseudonym in names.items()
            for part in re.findall(r"\w[\w'’-]*\w", name)
            if part.casefold() not in self._names and part.casefold() not in self._terms
        }
        alternatives = [(t, f"(?i:{re.escape(t)})") for t in {*terms, *names}]
        alternatives += [(part, re.escape(part)) for part in self._parts]
        alternatives.sort(key=lambda pair: len(pair[0]), reverse=True)
        self._pattern = (
            re.compile("|".join(_bounded(text, pattern) for text, pattern in alternatives))
            if alternatives
            else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(self._replace, text)
        return redact_patterns(text)

    def _replace(self, match: re.Match[str]) -> str:
        found = match.group()
        if found.casefold() in self._terms:
            return REDACTED
        return self._names.get(found.casefold()) or self._parts[found]


def _bounded(text: str, pattern: str) -> str:
    """Match whole words only: a term never matches inside a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", text) else ""
    after = r"(?!\w)" if re.search(r"\w$", text) else ""
    return before + pattern + after


def redact_tables(
    tables: Mapping[str, list[dict[str, Any]]],
) -> tuple[dict[str, list[dict[str, Any]]], Redaction]:
    """A redacted copy of a conversation's rows, and what was redacted.

    Names are dropped from the participants (their pseudonyms stay), the redaction terms
    themselves are left out, and each note's checksum is recomputed for its redacted text so
    the copy passes `appreciate check` wherever it is imported.
    """
    # A one-letter "name" would blank out that letter wherever it stands alone.
    names = {
        row["name"]: row["pseudonym"]
        for row in tables.get("participants", [])
        if len(row["name"].strip()) >= MIN_TERM_LENGTH
    }
    terms = [row["term"] for row in tables.get("redaction_terms", [])]
    redactor = Redactor(names, terms)
    redacted: dict[str, list[dict[str, Any]]] = {}
    for table, rows in tables.items():
        if table == "redaction_terms":
            redacted[table] = []
            continue
        columns = _FREE_TEXT.get(table, ())
        redacted[table] = [_redact_row(table, row, columns, redactor) for row in rows]
    return redacted, Redaction(names=len(names), terms=len({t.casefold() for t in terms}))


def _redact_row(
    table: str, row: dict[str, Any], columns: tuple[str, ...], redactor: Callable[[str], str]
) -> dict[str, Any]:
    out = dict(row)
    for column in columns:
        if isinstance(out.get(column), str):
            out[column] = redactor(out[column])
    if table == "participants":
        out["name"] = ""
    elif table == "questions":
        out["prompts"] = json.dumps([redactor(p) for p in json.loads(out["prompts"] or "[]")])
    elif table == "notes":
        out["sha256"] = body_digest(out["body"])
    return out
