"""Redaction before sharing, the rules: what identifies a person or a family, and what stands in
for it in an export.

Participants' names become their pseudonyms, the facilitator's name becomes "the facilitator" and
the name of an action's owner who is not in the room becomes "Action owner 1", "Action owner 2"…;
the conversation's own redaction terms (a child's name, an address, a case number) and what looks
like an email address, a street address, a UK phone number, an NHS number, a postcode or a date of
birth become `[redacted]`. The text of an escalated note (an immediate safeguarding concern) is
withheld altogether (`WITHHELD`).

These rules are text and patterns only. `store/redaction.py` applies them to a conversation's rows
(`Store.conversation_record(id, redact=True)` for the reports, `redact_tables` for the JSON
bundle), so the reports, the CSV files and the bundle are all redacted by the same code.

Patterns catch the usual ways these are written, not every way: the facilitator still reads an
export before it is shared (docs/reports.md says what is and is not caught).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

# Shorter names and terms would blank out ordinary words ("a", "I") wherever they occur.
MIN_TERM_LENGTH = 2

# What stands in for an escalated note's words, in every export: what the learning example says of
# such a note.
WITHHELD = "An immediate safeguarding concern, passed on for action outside this review."

REDACTED = "[redacted]"

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
# `first.last@council.gov.uk`: the local part, an @ and a domain with at least one dot.
_EMAIL = (r"(?<![\w.+-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", 0)
# `12 Acacia Road`, `Flat 3, 45 High Street`, `7a St Mary's Close`: a house number, one to four
# capitalised words and a street word. Without its number a street name is left alone ("the Station
# Road office"), and a court ("2 Family Court hearings") is not a street.
_STREET_WORDS = (
    r"Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Place|Pl|Court|Ct|"
    r"Gardens|Gdns|Terrace|Terr|Grove|Hill|Square|Sq|Mews|Rise|Walk|Row|Parade|Park|Green|View|"
    r"Vale|Gate|Boulevard|Wharf|Cottages|Meadows?|Fields|Heights|Mount|Hollow|Orchard|Chase"
)
_STREET = (
    r"(?<![\w/.:-])(?:(?:Flat|Apartment|Apt|Unit|Room)\.?\s+\d+[A-Za-z]?,?\s+)?"
    r"\d{1,4}[A-Za-z]?(?:\s?[-–/]\s?\d{1,4}[A-Za-z]?)?,?\s+"
    r"(?P<street>(?:[A-Z][\w'’.-]*\s+){1,4}?)"
    rf"(?P<kind>(?i:{_STREET_WORDS}))(?!\w)",
    0,
)
_NOT_STREETS = frozenset(
    {("family", "court"), ("crown", "court"), ("magistrates", "court"), ("magistrates'", "court"),
     ("youth", "court"), ("county", "court"), ("high", "court"), ("coroner's", "court"),
     ("coroners", "court"), ("appeal", "court"), ("safe", "place")}
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

PATTERNS = (
    "email addresses",
    "street addresses",
    "phone numbers",
    "NHS numbers",
    "postcodes",
    "dates of birth",
)


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


def _street(match: re.Match[str]) -> str:
    words = match.group("street").split()
    if (words[-1].casefold(), match.group("kind").casefold()) in _NOT_STREETS:
        return match.group()
    return REDACTED


def redact_patterns(text: str) -> str:
    """Email addresses, street addresses, phone numbers, NHS numbers, postcodes and dates of birth
    become `[redacted]`."""
    email, street, dob, slashed_date, phone, nhs_spaced, nhs_run, postcode = _patterns()
    if "@" in text:
        text = email.sub(REDACTED, text)
    text = street.sub(_street, text)
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
        for pattern, flags in (
            _EMAIL, _STREET, _DOB, _SLASHED_DATE, _PHONE, _NHS_SPACED, _NHS_RUN, _POSTCODE
        )
    )


FACILITATOR = "the facilitator"
OWNER = "Action owner {}"

# Words that make a typed owner or facilitator a role, a team or an agency rather than a person
# ("Team manager", "Designated safeguarding lead", "Health visiting"): those are kept as written.
_ROLE_WORDS = frozenset(
    """
    admin administrator adults adviser advisor agencies agency all ambulance board care cafcass
    chair children children's clinical co-ordinator college community consultant coordinator
    council county court designated department dept director dsl duty early education everyone
    family families fire gp group head health help hospital housing hub lead leads lawyer legal
    manager mash midwife midwifery nhs nurse nursing nspcc officer ofsted paediatrician panel
    partner partners partnership police practice practitioner principal probation rescue
    safeguarding school schools senior service services social solicitor support teacher team
    trust unit visitor visiting worker workers youth
    """.split()
)
# A title or a particle is part of a name but never replaced on its own ("Dr", "van").
_NOT_ON_THEIR_OWN = frozenset(
    "dr mr mrs ms miss mx prof professor sir dame rev de van von der den da di le la du bin al el"
    .split()
)


def person_name(text: str) -> str:
    """The personal name a typed owner or facilitator starts with ("Jo Ashworth, practice lead" ->
    "Jo Ashworth", "Dr Patel (GP)" -> "Dr Patel"), or "" when it reads as a role, a team or an
    agency ("Health", "MASH manager", "Practice Lead, Devon")."""
    head = re.split(r"[,(;:/–—]|\s-\s", text, maxsplit=1)[0].strip()
    words = head.split()
    if not 1 <= len(words) <= 4:
        return ""
    for word in words:
        folded = word.casefold().strip(".")
        if folded in _ROLE_WORDS or not re.fullmatch(r"[^\W\d_][\w'’.-]*", word):
            return ""
        if folded not in _NOT_ON_THEIR_OWN and not word[0].isupper():
            return ""
    if all(word.casefold().strip(".") in _NOT_ON_THEIR_OWN for word in words):
        return ""
    return head


def facilitator_role(facilitator: str, name: str) -> str:
    """What the facilitator field says besides the name, as a role: "the practice lead (QA)"."""
    role = facilitator[len(name):].strip(" ,;:-–—")
    if role.startswith("(") and role.endswith(")") and role.count("(") == 1:
        role = role[1:-1].strip()
    if not role:
        return ""
    if re.match(r"(?i)(?:the|a|an|our)\b", role):
        return role
    return f"the {role}"


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
            and part.casefold() not in _NOT_ON_THEIR_OWN
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
        said = self._names.get(found.casefold()) or self._parts[found]
        # "Jo opened the meeting" -> "The facilitator opened the meeting".
        if said[:1].islower() and re.search(r"(?:^|[.!?]\s+)$", match.string[: match.start()]):
            said = said[:1].upper() + said[1:]
        return said


def _bounded(text: str, pattern: str) -> str:
    """Match whole words only: a term never matches inside a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", text) else ""
    after = r"(?!\w)" if re.search(r"\w$", text) else ""
    return before + pattern + after

