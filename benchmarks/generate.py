"""Generate a realistic large appreciate database for the benchmarks.

    python benchmarks/generate.py [PATH] [--conversations N] [--notes N] [--seed S] [--force]

Default: 1,000 conversations and 200,000 notes in benchmarks/out/large.db, over three years of
MASH practice: questions from the shipped banks across the five phases, unplanned follow-ups,
participants by agency, notes of every stance written from phrase pools (so full-text queries have
a realistic spread from very common to very rare words), actions and feedback.

It writes through the real schema (`Store.open` runs the migrations, so the tables, indexes and FTS
triggers are exactly the app's), but inserts in bulk inside one transaction. For the notes table the
FTS triggers are set aside for the bulk insert and the index is rebuilt once at the end (an order of
magnitude faster than 200,000 trigger firings); the triggers are then put back with their original
SQL, so the file is indistinguishable from one the app wrote. Every note's sha256 is
`rows.body_digest(body)`, so `appreciate check` passes on it.

Deterministic: the same parameters and seed give the same rows (ids included). The result is cached:
a manifest beside the database records the parameters, this file's hash and the schema's migrations,
and a matching database is reused instead of rebuilt.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import inspect
import json
import math
import os
import random
import sys
import time
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from appreciate_tui.store import Store  # noqa: E402
from appreciate_tui.store import browsing, insights  # noqa: E402
from appreciate_tui.store.rows import body_digest  # noqa: E402
from appreciate_tui.store.schema import migrations  # noqa: E402

# What the notes' triggers keep up to date, rebuilt once after the bulk insert (which sets those
# triggers aside), in this order: the insights' word index first, as the tallies count its terms.
# A new aggregate that a notes trigger maintains must be added here, or a generated database has
# it empty.
AGGREGATES = [
    insights.rebuild_theme_index,  # note_themes, the insights' word index
    browsing.rebuild_note_tallies,  # the live-note counts of the conversations browser
    insights.rebuild_insight_tallies,  # the insights' per-conversation/question/term tallies
]

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_DB = OUT / "large.db"
DEFAULT_CONVERSATIONS = 1_000
DEFAULT_NOTES = 200_000
DEFAULT_SEED = 20260226
BIG_CONVERSATION_NOTES = 500  # one conversation has exactly this many (the TUI "open" benchmark)
END_DATE = date(2026, 1, 30)  # fixed, so the data does not depend on the day it is generated
YEARS = 3

# ------------------------------------------------------------------------------- phrase pools
# Pools are ordered from common to rare; `_pick` draws with Zipf-like weights, so the first items
# of a pool turn up in many notes and the last ones in few.

AGENCIES = [
    # agency, pseudonym stem, weight (how often it is represented), roles
    (
        "Children's social care",
        "Social care",
        1.0,
        [
            "Senior social worker, MASH",
            "MASH team manager",
            "Social worker",
            "Assistant team manager",
            "Consultant social worker",
            "Family support worker",
        ],
    ),
    (
        "Health",
        "Health",
        0.95,
        [
            "Specialist safeguarding nurse, MASH",
            "Named GP for safeguarding",
            "Health visitor",
            "School nurse",
            "Designated nurse",
            "Midwife (safeguarding)",
            "CAMHS practitioner",
        ],
    ),
    (
        "Police",
        "Police",
        0.95,
        [
            "Detective sergeant, MASH",
            "MASH researcher",
            "Detective constable",
            "PPU inspector",
            "Police staff investigator",
        ],
    ),
    (
        "Education",
        "Education",
        0.7,
        [
            "Education safeguarding lead",
            "Designated safeguarding lead",
            "Virtual school officer",
            "Education welfare officer",
        ],
    ),
    ("Early help", "Early help", 0.35, ["Early help coordinator", "Family intervention worker"]),
    ("Probation", "Probation", 0.25, ["Probation officer", "Senior probation officer"]),
    ("Housing", "Housing", 0.2, ["Housing options officer", "Tenancy sustainment officer"]),
    ("Youth justice", "Youth justice", 0.15, ["Youth justice worker", "YJS team leader"]),
    ("Domestic abuse service", "DA service", 0.2, ["IDVA", "Domestic abuse practitioner"]),
    ("Other", "Other", 0.1, ["Voluntary sector lead", "Interpreter service manager"]),
]
AGENCY_SHORT = {
    "Children's social care": ["social care", "children's services", "the social worker"],
    "Health": ["health", "the nurse", "the GP", "the health visitor", "school nursing"],
    "Police": ["police", "the DS", "the PPU", "the police researcher"],
    "Education": ["the school", "education", "the DSL", "the virtual school"],
    "Early help": ["early help", "the family worker"],
    "Probation": ["probation", "the offender manager"],
    "Housing": ["housing", "the housing officer"],
    "Youth justice": ["youth justice", "the YOT worker"],
    "Domestic abuse service": ["the IDVA", "the DA service"],
    "Other": ["the voluntary sector", "the interpreter service"],
}

PLACES = [
    "Exeter",
    "Plymouth",
    "Torquay",
    "Barnstaple",
    "Newton Abbot",
    "Exmouth",
    "Tiverton",
    "Bideford",
    "Totnes",
    "Okehampton",
    "Honiton",
    "Crediton",
    "Ilfracombe",
    "Dartmouth",
    "Tavistock",
    "Sidmouth",
    "Kingsbridge",
    "Holsworthy",
    "Axminster",
    "Lynton",
]
SETTINGS = [
    "MASH meeting room",
    "MASH, Devon",
    "Teams call",
    "County Hall, Exeter",
    "Police station conference room",
    "Hybrid: MASH and Teams",
    "Children's centre",
]
FACILITATORS = [
    "Jo Ashworth, practice lead (quality assurance)",
    "Sam Okafor, practice lead",
    "Priya Nair, QA manager",
    "Dan Whitcombe, principal social worker",
    "Helen Tregaskis, designated nurse",
    "Mark Pengelly, DI, MASH",
]

TITLE_STEMS = [
    "MASH strategy meetings",
    "Information sharing at the front door",
    "Joint visits",
    "Strategy discussions out of hours",
    "Domestic abuse notifications",
    "Health attendance at strategy meetings",
    "Section 47 thresholds",
    "Child exploitation screening",
    "Hearing the child's voice",
    "Neglect referrals",
    "Education's contribution to MASH",
    "Timeliness of MASH decisions",
    "Operation Encompass",
    "Missing children return interviews",
    "Early help step-down",
    "Unborn baby pathway",
    "Private fostering",
    "Sexual abuse pathway",
    "Contextual safeguarding",
    "MARAC and MASH together",
]
TITLE_KINDS = [
    "appreciative conversation",
    "learning review",
    "what works session",
    "practice reflection",
    "partnership huddle",
    "SOAR session",
]
TOPICS = [
    "Is multi-agency working effective within MASH strategy meetings?",
    "How well do we share information before a strategy meeting?",
    "What helps every agency contribute to decisions about a child?",
    "How do we keep the child at the centre when the pressure is on?",
    "What makes a timely, well-informed MASH decision?",
    "How do partners work together when a child goes missing?",
    "What does good look like when we step a family down to early help?",
    "How do we make sure the quietest agency is heard?",
]

SUBJECTS_GOOD = [
    "the chair",
    "everyone in the room",
    "the social worker",
    "the nurse",
    "the DS",
    "the health visitor",
    "the school",
    "the team manager",
    "the researcher",
    "the GP",
    "the DSL",
    "the IDVA",
    "the consultant social worker",
    "the MASH manager",
    "the duty inspector",
    "the family worker",
    "the probation officer",
    "the virtual school head",
    "the interpreter",
    "the midwife",
]
VERBS_GOOD = [
    "shared the chronology",
    "summarised the concerns",
    "asked each agency in turn",
    "checked the records",
    "brought the latest school attendance",
    "challenged the threshold decision",
    "kept the child at the centre",
    "explained the history clearly",
    "followed up the same afternoon",
    "made sure health had the invitation",
    "set out the risks",
    "agreed the plan",
    "joined at short notice",
    "read the referral beforehand",
    "used plain language",
    "named the gaps in what we knew",
    "gave a clear recommendation",
    "spoke to the child first",
    "sent the minutes within a day",
    "checked the police national computer",
    "linked the sibling records",
    "looked at the GP records",
    "shared the MARAC minutes",
    "rang the school",
    "recorded the rationale",
    "escalated to the team manager",
    "booked an interpreter",
]
OUTCOMES = [
    "so the decision was made on full information",
    "which made the meeting focused",
    "and the plan was agreed in twenty minutes",
    "so nobody had to chase afterwards",
    "and the family knew what would happen next",
    "which meant the joint visit went ahead",
    "so the child was seen the same day",
    "and every agency knew its task",
    "which built trust between partners",
    "and the threshold was applied consistently",
    "so the mother's voice was heard",
    "which helped the police decide on the Section 47",
    "and health could bring the full picture",
    "so the outcome was clear for the school",
    "which avoided a second meeting",
    "and the risk assessment was updated",
    "so the siblings were considered too",
]
OBSTACLES = [
    "Short notice",
    "Missing health information",
    "A late invitation",
    "Not knowing who to invite",
    "Unclear minutes",
    "Too many people on the call",
    "No chair available",
    "The wrong email address",
    "Records on different systems",
    "Nobody from education",
    "A patchy Teams connection",
    "Conflicting thresholds",
    "Waiting for the PNC check",
    "No interpreter booked",
    "Staff sickness",
    "A backlog of referrals",
    "Consent not recorded",
    "Duplicate referrals",
    "The school holidays",
    "An out-of-hours referral",
]
CIRCUMSTANCES = [
    "the referral came in late on a Friday",
    "health were not invited",
    "the GP surgery could not be reached",
    "the family had moved from out of area",
    "there were siblings in different schools",
    "the police log was not shared",
    "the chair changed halfway through",
    "the child had not been seen",
    "the mother asked for a female worker",
    "the case was open to early help",
    "there had been a previous strategy meeting",
    "the school was closed",
    "the father was on licence",
    "the threshold was contested",
    "the information was on SystmOne only",
    "the records were on Mosaic",
    "the incident was reported through Niche",
    "the baby was not yet born",
    "the young person was missing",
    "there were county lines concerns",
]
CONSEQUENCES = [
    "decisions were made on partial information",
    "health could not contribute",
    "the meeting had to be reconvened",
    "the child waited longer",
    "the family received mixed messages",
    "agencies duplicated work",
    "the risk was underestimated",
    "nobody owned the follow-up",
    "the minutes were late",
    "the school found out afterwards",
    "we relied on the police view alone",
    "the plan was unclear",
]
VISIONS = [
    "every agency arrives with its information already shared",
    "the child's voice is heard in every meeting",
    "health can join at short notice through a duty rota",
    "the invitation says what each agency is asked to bring",
    "the chair has the confidence to challenge every partner",
    "decisions are recorded with a clear rationale",
    "families are told the outcome the same day",
    "we all use one shared chronology",
    "education is a core partner, not an afterthought",
    "the minutes go out within twenty-four hours",
    "there is time to reflect on what went well",
    "every partner feels equally heard",
    "out-of-hours meetings are as good as daytime ones",
]
PROPOSALS = [
    "send the questions in advance",
    "use a standard invitation template",
    "set up a health duty rota",
    "agree a shared chronology format",
    "hold a monthly reflective session",
    "train chairs together",
    "add education to the core invite list",
    "record the child's words verbatim",
    "ring the GP before the meeting",
    "share the agenda an hour before",
    "check interpreter needs at referral",
    "audit ten strategy meetings a quarter",
    "pilot a joint screening huddle",
    "give every agency two minutes uninterrupted",
    "publish a one-page guide for new staff",
    "review thresholds with the LSCP",
    "use the Graded Care Profile for neglect",
    "link MARAC and MASH minutes",
    "invite the LADO when a professional is involved",
    "bring the DASH risk assessment",
]
OWNERS = [
    "Practice lead",
    "MASH manager",
    "Designated nurse",
    "DI, MASH",
    "Education lead",
    "Early help coordinator",
    "QA manager",
    "Principal social worker",
    "LSCP business manager",
]
TASKS = [
    "draft the invitation template",
    "set up the health duty rota",
    "circulate the questions",
    "book the reflective session",
    "update the strategy meeting guidance",
    "share the learning with team managers",
    "check the distribution list",
    "agree the chronology format with partners",
    "arrange chair training",
    "report back to the LSCP",
    "audit a sample of meetings",
    "write the one-page guide",
]
WHENS = [
    "by the end of the month",
    "before the next meeting",
    "within two weeks",
    "by the next LSCP",
    "by Friday",
    "this quarter",
    "before the summer holidays",
]
QUOTES = [
    "It felt like we were all on the same side.",
    "I knew exactly what was expected of me.",
    "For once health had everything they needed.",
    "The chair made space for everyone.",
    "We never get time to talk about what goes well.",
    "It was the child who stayed in focus.",
    "I came away knowing what I had to do.",
    "It was the best strategy meeting I have been in.",
    "I felt listened to as the school.",
    "We challenged each other without falling out.",
    "We got there because we trusted each other.",
    "Honestly, it was chaotic at first.",
]
NEUTRAL = [
    "Discussion about",
    "Question raised about",
    "Some disagreement about",
    "Group reflected on",
    "Clarified",
    "Returned to",
    "Agreed to come back to",
    "Long pause, then discussion of",
]
TOPIC_NOUNS = [
    "the invitation process",
    "information sharing",
    "thresholds",
    "the chair's role",
    "the child's voice",
    "minutes and recording",
    "timeliness",
    "consent",
    "joint visits",
    "out-of-hours cover",
    "the referral form",
    "supervision",
    "the MASH rota",
    "the LSCP guidance",
    "feedback to referrers",
    "escalation routes",
    "Operation Encompass notifications",
    "the neglect toolkit",
    "Signs of Safety",
    "the LADO process",
    "contextual safeguarding",
    "FGM concerns",
    "CSE screening",
    "private fostering checks",
    "the unborn baby protocol",
    "MAPPA information",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SYSTEMS = [
    "Mosaic",
    "SystmOne",
    "EMIS",
    "Niche",
    "the MASH log",
    "Liquidlogic",
    "the case file",
    "Rio",
    "Capita One",
    "ContrOCC",
]
# Very rare words: each turns up in a handful of notes (the "needle" queries).
RARE = [
    "Zoë's school",
    "Lundy",
    "the café",
    "Dartmoor",
    "Salcombe",
    "Hartland",
    "Chagford",
    "Woolacombe",
    "naïve",
    "Appledore",
    "Buckfastleigh",
    "Widecombe",
    "Postbridge",
    "Princetown",
    "Braunton",
    "Clovelly",
    "Beer",
    "Branscombe",
]
RARE_FRAMES = [
    "The example from {r} came up again.",
    "Mentioned the case near {r}.",
    "Someone compared it with {r}.",
]

FOLLOW_UPS = [
    "What qualities would the person have who had the right skills and experience?",
    "What made the difference that day?",
    "Who else noticed it was working?",
    "What would the child say about that meeting?",
    "How did you know health had been heard?",
    "What stopped it happening the next time?",
    "Can you say more about the chair?",
    "What would have to be true for that to happen every time?",
    "What did the family notice?",
    "What was your part in it?",
    "How did you get the information in time?",
    "What does 'short notice' mean in practice?",
    "Who could we learn from outside Devon?",
    "What would you tell a new starter?",
    "Is that the same out of hours?",
    "What would the school need from us?",
    "What would a 10 look like for the police?",
    "How would we know it had changed?",
]
ABSENCE_REASONS = [
    "Surgery commitments at short notice",
    "On leave",
    "Court attendance",
    "Covering duty",
    "Off sick",
    "Training day",
    "Caseload pressure",
]
FEEDBACK_COMMENTS = [
    "Would have liked the questions in advance.",
    "Teased out the main issues.",
    "It let us be solution focused.",
    "Reflecting on what goes well is rare and valuable.",
    "Hearing other agencies raised points I had not considered.",
    "A bit long.",
    "Good to have health in the room.",
    "Useful, would do again.",
    "More time on the dream part next time.",
    "Felt safe to raise worries.",
    "",
]

STANCE_BY_PHASE = {
    # stance: weight
    "define": {"note": 5, "strength": 2, "quote": 1, "concern": 1},
    "discover": {"strength": 6, "quote": 2, "note": 2, "concern": 2, "idea": 0.5},
    "dream": {"dream": 6, "quote": 1.5, "idea": 1.5, "note": 1, "concern": 0.5},
    "design": {"idea": 5, "concern": 2, "note": 1.5, "dream": 1, "action": 1},
    "deliver": {"action": 5, "idea": 2, "note": 1.5, "concern": 0.5},
}


def _zipf(n: int, s: float = 0.9) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


class Phrases:
    """Draws sentences from the pools with skewed weights."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._weights: dict[int, list[float]] = {}

    def pick(self, pool: list[str]) -> str:
        weights = self._weights.get(id(pool))
        if weights is None:
            weights = self._weights[id(pool)] = list(_cumulative(_zipf(len(pool))))
        # The draw `rng.choices(pool, cum_weights=weights)[0]` makes, without its overhead.
        return pool[bisect.bisect(weights, self.rng.random() * (weights[-1] + 0.0), 0, len(pool) - 1)]

    def who(self, agency: str | None) -> str:
        if agency and self.rng.random() < 0.5:
            return self.pick(AGENCY_SHORT[agency])
        return self.pick(SUBJECTS_GOOD)

    def sentence(self, stance: str, agency: str | None) -> str:
        r = self.rng
        if stance == "strength":
            text = f"{_cap(self.who(agency))} {self.pick(VERBS_GOOD)} {self.pick(OUTCOMES)}."
            if r.random() < 0.2:
                text += f" That was in {self.pick(PLACES)}."
        elif stance == "concern":
            text = f"{self.pick(OBSTACLES)} when {self.pick(CIRCUMSTANCES)}, so {self.pick(CONSEQUENCES)}."
        elif stance == "dream":
            lead = r.choice(
                ["In an ideal world", "At our best", "A year from now", "If MASH was at its best"]
            )
            text = f"{lead} {self.pick(VISIONS)}."
        elif stance == "idea":
            lead = r.choice(["Could we", "Suggest we", "Idea: ", "What if we", "Try to"])
            text = f"{lead} {self.pick(PROPOSALS)}".replace(":  ", ": ")
            text += "?" if lead in ("Could we", "What if we") else "."
        elif stance == "action":
            text = f"{self.pick(OWNERS)} to {self.pick(TASKS)} {self.pick(WHENS)}."
        elif stance == "quote":
            text = self.pick(QUOTES)
        else:
            text = f"{self.pick(NEUTRAL)} {self.pick(TOPIC_NOUNS)}."
            if r.random() < 0.3:
                text += f" {_cap(self.who(agency))} {self.pick(VERBS_GOOD)}."
        if r.random() < 0.3:
            text += " " + self.detail()
        roll = r.random()
        if roll < 0.004:
            text += " " + r.choice(RARE_FRAMES).format(r=r.choice(RARE))
        elif roll < 0.05:
            text += f" ({self.pick(TOPIC_NOUNS)})"
        if r.random() < 0.03:
            text = text.replace("'", "\u2019")  # pasted from a Word document
        return text

    def detail(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            return f"Example from {r.choice(MONTHS)} in {self.pick(PLACES)}."
        if kind == 1:
            return f"Child aged {r.randrange(0, 18)}{r.choice(['', ', siblings aged 4 and 9', ', unborn sibling'])}."
        if kind == 2:
            return f"{r.randrange(2, 7)} agencies present, {self.pick(AGENCY_SHORT[r.choice(list(AGENCY_SHORT))])} absent."
        if kind == 3:
            return f"Took {r.randrange(10, 95)} minutes; decision recorded on {self.pick(SYSTEMS)}."
        if kind == 4:
            return f"{_cap(self.pick(TOPIC_NOUNS))} came up again."
        return f"Agreed by {self.pick(AGENCY_SHORT[r.choice(list(AGENCY_SHORT))])} and {self.pick(SUBJECTS_GOOD)}."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cumulative(weights: list[float]):
    total = 0.0
    for w in weights:
        total += w
        yield total


_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID_SET = (0x8000 << 48) | (4 << 76)


def _uuid(rng: random.Random) -> str:
    """`str(uuid.UUID(int=rng.getrandbits(128), version=4))`, without building the object."""
    h = "%032x" % ((rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _load_banks() -> list[dict[str, Any]]:
    banks = []
    for path in sorted((ROOT / "data" / "banks").glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        questions = [q for q in data.get("questions", []) if q.get("text") and q.get("phase")]
        if questions:
            banks.append(
                {
                    "id": data.get("id", path.stem),
                    "topic": data.get("topic", ""),
                    "questions": questions,
                }
            )
    if not banks:  # the shipped banks moved: fall back to a small built-in set
        banks = [
            {
                "id": "builtin",
                "topic": TOPICS[0],
                "questions": [
                    {
                        "phase": "discover",
                        "text": "Can you tell me about a strategy meeting which you felt was successful?",
                    },
                    {
                        "phase": "dream",
                        "text": "If MASH was operating at its best what would an effective strategy meeting look like?",
                    },
                    {
                        "phase": "design",
                        "text": "What would you need for this vision to be a reality?",
                    },
                    {"phase": "deliver", "text": "How will you make this happen?"},
                ],
            }
        ]
    return banks


# ------------------------------------------------------------------------------- caching
# (Imported here, not above: this section is left out of the cache key.)
import contextlib  # noqa: E402
import shutil  # noqa: E402


def _schema() -> list[str]:
    return [m.name for m in migrations._migrations]


CACHING = "# " + "-" * 79 + " caching"
GENERATION = "# " + "-" * 79 + " generation"
SIDECARS = ("-wal", "-shm", ".lock", ".checked")
"""Files SQLite and the store keep beside a database (`.checked`: the state of its last check)."""


def _generation_source() -> bytes:
    """The parts of this file that make the rows: all but this caching section and `main`, so
    changing how databases are cached or reused does not throw the rows away."""
    text = Path(__file__).read_text(encoding="utf-8")
    head, _, rest = text.partition(CACHING)
    _, _, tail = rest.partition(GENERATION)
    return (head + tail.split("\ndef main(")[0]).encode()


def cache_key(conversations: int, notes: int, seed: int) -> str:
    """What the rows depend on: the code that makes them (so the aggregates it rebuilds), the
    banks, the parameters. The schema's migrations are recorded beside it in the manifest, not in
    it: a database whose rows are right but whose schema is older is migrated, not generated
    again."""
    h = hashlib.sha256()
    h.update(_generation_source())
    for rebuild in AGGREGATES:  # the app's code that fills the aggregates, too
        h.update(inspect.getsource(rebuild).encode())
    for path in sorted((ROOT / "data" / "banks").glob("*.toml")):
        h.update(path.read_bytes())
    h.update(json.dumps({"conversations": conversations, "notes": notes, "seed": seed}).encode())
    return h.hexdigest()


def manifest_path(db: Path) -> Path:
    return db.with_name(db.name + ".manifest.json")


def read_manifest(db: Path) -> dict[str, Any] | None:
    try:
        return json.loads(manifest_path(db).read_text())
    except (OSError, ValueError):
        return None


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    manifest_path(path).write_text(json.dumps(manifest, indent=2) + "\n")


def _remove(db: Path, *, sidecars_only: bool = False) -> None:
    for suffix in SIDECARS if sidecars_only else ("", *SIDECARS):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def _remove_backups(db: Path) -> None:
    """The backup the store makes before it migrates a file (as large as the file): of a copy of
    a benchmark fixture, not wanted."""
    from appreciate_tui.paths import backups_dir
    from appreciate_tui.store import safety

    for backup in safety.list_backups(db):
        backup.unlink(missing_ok=True)
    folder = backups_dir(db)
    try:
        folder.rmdir()  # only when nothing else is in it
    except OSError:
        pass


def _migrate(path: Path, manifest: dict[str, Any], quiet: bool) -> dict[str, Any] | None:
    """Bring a database whose rows are up to date to the current schema, as the app does with a
    user's file: a copy is opened writable through `Store.open`, which runs the new migrations
    (each one fills what it adds from the rows already there, or users' files would be wrong),
    and replaces the database once closed. Sound because the rows do not depend on the schema:
    only the new migrations' work differs, and it is exactly the work a user's upgrade does.
    None when that cannot be done (the recorded migrations are not the start of the current
    ones, or the file has a write-ahead log not yet checkpointed): generate instead."""
    recorded, current = manifest.get("migrations"), _schema()
    if not recorded or recorded != current[: len(recorded)] or len(recorded) == len(current):
        return None
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        return None
    tmp = path.with_name(path.name + ".tmp")
    _remove(tmp)
    if not quiet:
        print(
            f"migrating a copy of {path} ({', '.join(current[len(recorded):])}) ...", flush=True
        )
    t0 = time.perf_counter()
    shutil.copyfile(path, tmp)
    os.chmod(tmp, 0o600)
    store = Store.open(tmp)
    try:
        if store.read_only:
            raise RuntimeError(f"could not open {tmp} writable to migrate it")
    finally:
        store.close()
        _remove_backups(tmp)
    _remove(tmp, sidecars_only=True)
    _remove(path, sidecars_only=True)
    os.replace(tmp, path)
    seconds = time.perf_counter() - t0
    manifest = dict(manifest)
    manifest["migrated"] = manifest.get("migrated", []) + [
        {
            "from": recorded[-1],
            "to": current[-1],
            "seconds": round(seconds, 2),
            "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
    ]
    manifest["migrations"] = current
    manifest["bytes"] = path.stat().st_size
    _write_manifest(path, manifest)
    if not quiet:
        print(f"migrated {path} to {current[-1]} in {seconds:.1f} s")
    return manifest


def ensure(
    path: Path | str = DEFAULT_DB,
    *,
    conversations: int = DEFAULT_CONVERSATIONS,
    notes: int = DEFAULT_NOTES,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    quiet: bool = False,
) -> dict[str, Any]:
    """The manifest of an up-to-date database at `path`: reused as it is when its rows and schema
    are current, migrated when only the schema moved on (`_migrate`), generated otherwise. Two
    benchmarks asking at once: the second waits for the first (a lock on `PATH.ensure`)."""
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(path.with_name(path.name + ".ensure")):
        return _ensure(path, conversations, notes, seed, force, quiet)


@contextlib.contextmanager
def _exclusive(lock: Path):
    try:
        import fcntl
    except ImportError:  # no flock: one benchmark at a time
        yield
        return
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _ensure(
    path: Path, conversations: int, notes: int, seed: int, force: bool, quiet: bool
) -> dict[str, Any]:
    key = cache_key(conversations, notes, seed)
    manifest = read_manifest(path)
    if not force and manifest and manifest.get("key") == key and path.is_file():
        if manifest.get("migrations") == _schema():
            if not quiet:
                print(
                    f"reusing {path} ({manifest['counts']['notes']:,} notes; generated in "
                    f"{manifest['seconds']:.1f} s"
                    + ("; migrated since" if manifest.get("migrated") else "")
                    + ")"
                )
            return manifest
        migrated = _migrate(path, manifest, quiet)
        if migrated:
            return migrated
    t0, c0 = time.perf_counter(), time.process_time()
    counts, big, phases = _generate(path, conversations=conversations, notes=notes, seed=seed)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    _remove(path.with_name(path.name + ".tmp"), sidecars_only=True)  # the store's check record
    _remove(path, sidecars_only=True)
    manifest = {
        "key": key,
        "path": str(path),
        "conversations": conversations,
        "notes": notes,
        "seed": seed,
        "migrations": _schema(),
        "counts": counts,
        "big_conversation": big,
        "big_conversation_notes": BIG_CONVERSATION_NOTES if big else 0,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "phases": phases,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "bytes": path.stat().st_size,
    }
    _write_manifest(path, manifest)
    if not quiet:
        print(
            f"generated {path} in {seconds:.1f} s ({cpu:.1f} s of CPU; load average "
            + " ".join(f"{x:.2f}" for x in os.getloadavg())
            + "): "
            + ", ".join(f"{v:,} {k}" for k, v in counts.items())
            + f"; {path.stat().st_size / 1e6:.0f} MB"
        )
        print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    return manifest


# ------------------------------------------------------------------------------- generation


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainders)."""
    if not weights or total <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [math.floor(x) for x in exact]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[:rest]:
        counts[i] += 1
    return counts


def _generate(
    path: Path, *, conversations: int, notes: int, seed: int
) -> tuple[dict[str, int], str | None, dict[str, float]]:
    """Build the database at `path`: (row counts, the 500-note conversation's id, seconds by
    phase)."""
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-wal", "-shm", ".lock"))):
        leftover.unlink(missing_ok=True)

    rng = random.Random(seed)
    phrases = Phrases(random.Random(seed + 1))
    banks = _load_banks()
    bank_weights = [3.0 if b["id"] == "mash-strategy-meetings" else 1.0 for b in banks]

    rows: dict[str, list[tuple]] = {
        t: []
        for t in (
            "conversations",
            "participants",
            "questions",
            "notes",
            "note_revisions",
            "actions",
            "feedback",
        )
    }

    # Conversations: dates over three years; the newest few are still planned, one is live.
    start = END_DATE - timedelta(days=365 * YEARS)
    days = sorted(rng.randrange((END_DATE - start).days) for _ in range(conversations))
    n_planned = min(conversations, max(0, conversations // 70))
    statuses = ["closed"] * conversations
    for i in range(conversations - n_planned, conversations):
        statuses[i] = "planned"
    if conversations - n_planned - 1 >= 0:
        statuses[conversations - n_planned - 1] = "live"
    with_notes = [i for i, s in enumerate(statuses) if s != "planned"]
    big_index = (
        with_notes[len(with_notes) // 2]
        if with_notes and notes >= BIG_CONVERSATION_NOTES * 2
        else None
    )
    others = [i for i in with_notes if i != big_index]
    weights = [rng.lognormvariate(0, 0.45) for _ in others]
    remaining = notes - (BIG_CONVERSATION_NOTES if big_index is not None else 0)
    per_conv = dict(zip(others, _allocate(remaining, weights)))
    if big_index is not None:
        per_conv[big_index] = BIG_CONVERSATION_NOTES
    # No other conversation gets exactly the benchmark size, so "the 500-note one" is unique.
    for i in others:
        if per_conv[i] == BIG_CONVERSATION_NOTES and others:
            per_conv[i] -= 1
            per_conv[others[0] if others[0] != i else others[-1]] += 1

    big_id = None
    for ci in range(conversations):
        cid = _uuid(rng)
        status = statuses[ci]
        day = (
            start + timedelta(days=days[ci])
            if status != "planned"
            else END_DATE + timedelta(days=rng.randrange(1, 40))
        )
        bank = rng.choices(banks, weights=bank_weights)[0]
        begin = datetime(
            day.year,
            day.month,
            day.day,
            rng.choice([9, 10, 11, 13, 14]),
            rng.choice([0, 15, 30, 45]),
            tzinfo=timezone.utc,
        )
        created = begin - timedelta(days=rng.randrange(3, 30), minutes=rng.randrange(600))
        n_notes = per_conv.get(ci, 0)
        duration = timedelta(minutes=rng.randrange(50, 120) + n_notes // 10)
        ended = begin + duration
        stem = rng.choice(TITLE_STEMS)
        title = f"{stem} — {rng.choice(TITLE_KINDS)}"
        if rng.random() < 0.3:
            title += f" ({rng.choice(PLACES)})"
        topic = bank["topic"] if bank["topic"] and rng.random() < 0.5 else rng.choice(TOPICS)
        deleted = (
            _stamp(ended + timedelta(days=rng.randrange(30, 300)))
            if status == "closed" and rng.random() < 0.01
            else None
        )
        if ci == big_index:
            big_id, deleted = cid, None

        # Participants by agency.
        participants: list[tuple[str, str, str, bool]] = []  # id, agency, pseudonym, attended
        taken: dict[str, int] = {}
        for agency, pstem, weight, roles in AGENCIES:
            count = 0
            if rng.random() < weight:
                count = 1 + (rng.random() < weight * 0.45)
            for _ in range(count):
                taken[pstem] = taken.get(pstem, 0) + 1
                pid = _uuid(rng)
                attended = status != "planned" and rng.random() < 0.9
                absence = "" if attended or status == "planned" else rng.choice(ABSENCE_REASONS)
                participants.append((pid, agency, f"{pstem} {taken[pstem]}", attended))
                rows["participants"].append(
                    (
                        pid,
                        cid,
                        f"{pstem} {taken[pstem]}",
                        "",
                        agency,
                        rng.choice(roles),
                        1,
                        int(attended),
                        absence,
                        _stamp(created),
                        _stamp(created),
                    )
                )
        present = [p for p in participants if p[3]] or participants

        # Questions: the bank's, in order, then follow-ups under asked ones.
        prepared = []
        for pos, q in enumerate(bank["questions"]):
            qid = _uuid(rng)
            prepared.append((qid, q["phase"], pos))
            rows["questions"].append(
                [
                    qid,
                    cid,
                    None,
                    q["text"],
                    q["phase"],
                    pos,
                    "prepared",
                    "pending",
                    None,
                    json.dumps(q.get("prompts", [])),
                    0,
                    int(bool(q.get("scale", False))),
                    _stamp(created),
                    _stamp(created),
                ]
            )
        asked_order: list[tuple[str, str, list]] = []  # (qid, phase, row) in screen order
        q_rows = rows["questions"][-len(prepared) :]
        follow_ups_left = rng.choice([0, 1, 1, 2, 2, 3, 4, 6]) if status != "planned" else 0
        for (qid, phase, pos), row in zip(prepared, q_rows):
            if status == "planned":
                continue
            if status == "live" and len(asked_order) > len(prepared) // 2:
                break
            if rng.random() < 0.05 and len(prepared) > 3:
                row[7] = "skipped"
                continue
            row[7] = "asked"
            asked_order.append((qid, phase, row))
            while follow_ups_left and rng.random() < 0.35:
                follow_ups_left -= 1
                fid = _uuid(rng)
                frow = [
                    fid,
                    cid,
                    qid,
                    rng.choice(FOLLOW_UPS),
                    phase,
                    pos,
                    "follow_up",
                    "asked",
                    None,
                    "[]",
                    int(rng.random() < 0.25),
                    0,
                    None,
                    None,
                ]
                rows["questions"].append(frow)
                asked_order.append((fid, phase, frow))

        # Notes: spread over the meeting in question order.
        q_counts = (
            _allocate(n_notes, [rng.uniform(0.5, 1.5) for _ in asked_order]) if asked_order else []
        )
        moments = sorted(rng.random() for _ in range(n_notes))
        k = 0
        action_notes = []
        for (qid, phase, qrow), count in zip(asked_order, q_counts):
            asked_at = (
                begin + duration * (moments[k] if count else rng.random()) - timedelta(seconds=20)
            )
            qrow[8] = _stamp(asked_at)
            if qrow[6] == "follow_up":
                qrow[12] = qrow[13] = _stamp(asked_at)
            stance_w = STANCE_BY_PHASE[phase]
            stances = list(stance_w)
            cum_sw = list(_cumulative(stance_w.values()))
            total_sw, last_sw = cum_sw[-1] + 0.0, len(stances) - 1
            for _ in range(count):
                when = begin + duration * moments[k]
                k += 1
                roll = rng.random()
                who = rng.choice(present) if present else None
                if roll < 0.8 and who:
                    participant_id, agency = who[0], who[1]
                elif roll < 0.9 and who:
                    participant_id, agency = None, who[1]
                else:
                    participant_id, agency = None, None
                # The draw `rng.choices(stances, weights=...)[0]` makes.
                stance = stances[bisect.bisect(cum_sw, rng.random() * total_sw, 0, last_sw)]
                body = phrases.sentence(stance, agency)
                nid = _uuid(rng)
                stamp = _stamp(when)
                escalate = rng.random() < 0.003
                handled = (
                    _stamp(when + timedelta(minutes=rng.randrange(5, 90)))
                    if escalate and status == "closed"
                    else None
                )
                note_deleted = (
                    _stamp(when + timedelta(seconds=rng.randrange(5, 300)))
                    if rng.random() < 0.005 and ci != big_index
                    else None
                )
                rows["notes"].append(
                    (
                        nid,
                        cid,
                        qid,
                        body,
                        stance,
                        participant_id,
                        agency,
                        int(rng.random() < 0.03),
                        int(escalate),
                        handled,
                        rng.choice(["Police 1", "MASH manager", "Duty social worker"])
                        if handled
                        else "",
                        body_digest(body),
                        stamp,
                        stamp,
                        note_deleted,
                    )
                )
                if stance == "action":
                    action_notes.append(nid)
                if rng.random() < 0.005:  # edited once during the meeting
                    rows["note_revisions"].append(
                        (
                            _uuid(rng),
                            nid,
                            body.rstrip(".") + " (first draft)",
                            stance,
                            agency,
                            participant_id,
                            _stamp(when + timedelta(seconds=rng.randrange(10, 120))),
                        )
                    )
        current_question = asked_order[-1][0] if status == "live" and asked_order else None

        # Actions and feedback for conversations that took place.
        if status != "planned":
            for _ in range(rng.randrange(1, 6)):
                due = (day + timedelta(days=rng.randrange(7, 60))).isoformat()
                age = (END_DATE - day).days
                astatus = rng.choices(
                    ["open", "in_progress", "done", "dropped"], weights=[1, 1, 1 + age / 60, 0.3]
                )[0]
                rows["actions"].append(
                    (
                        _uuid(rng),
                        cid,
                        f"{rng.choice(OWNERS)} to {rng.choice(TASKS)}.",
                        rng.choice(present)[2]
                        if present and rng.random() < 0.5
                        else rng.choice(OWNERS),
                        due,
                        astatus,
                        rng.choice(action_notes) if action_notes and rng.random() < 0.6 else None,
                        _stamp(ended),
                        _stamp(ended + timedelta(days=rng.randrange(0, 30))),
                    )
                )
        if status == "closed":
            useful = [q[0] for q in asked_order[:3]]
            for pid, agency, _, attended in participants:
                if attended and rng.random() < 0.6:
                    stamp = _stamp(ended + timedelta(minutes=rng.randrange(1, 2000)))
                    rows["feedback"].append(
                        (
                            _uuid(rng),
                            cid,
                            pid,
                            agency,
                            rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 5])[0],
                            rng.choice([None, 0, 1, 1]),
                            json.dumps(rng.sample(useful, min(len(useful), rng.randrange(0, 3)))),
                            rng.choice(FEEDBACK_COMMENTS),
                            stamp,
                            stamp,
                        )
                    )

        rows["conversations"].append(
            (
                cid,
                title,
                topic,
                rng.choice(SETTINGS),
                rng.choice(FACILITATORS),
                day.isoformat(),
                status,
                "",
                bank["id"],
                current_question,
                _stamp(begin) if status != "planned" else None,
                _stamp(ended) if status == "closed" else None,
                _stamp(created + timedelta(days=1)) if rng.random() < 0.4 else None,
                "",
                "{}",
                _stamp(created),
                _stamp(ended if status != "planned" else created),
                deleted,
            )
        )

    # Write: the real schema via Store.open, then bulk inserts in one transaction.
    columns = {
        "conversations": [
            "id",
            "title",
            "topic",
            "setting",
            "facilitator",
            "date",
            "status",
            "opening",
            "bank_id",
            "current_question_id",
            "started_at",
            "ended_at",
            "questions_shared_at",
            "key_learning",
            "phase_budget",
            "created_at",
            "updated_at",
            "deleted_at",
        ],
        "participants": [
            "id",
            "conversation_id",
            "pseudonym",
            "name",
            "agency",
            "role",
            "invited",
            "attended",
            "absence_reason",
            "created_at",
            "updated_at",
        ],
        "questions": [
            "id",
            "conversation_id",
            "parent_id",
            "text",
            "phase",
            "position",
            "kind",
            "status",
            "asked_at",
            "prompts",
            "worth_keeping",
            "scale",
            "created_at",
            "updated_at",
        ],
        "notes": [
            "id",
            "conversation_id",
            "question_id",
            "body",
            "stance",
            "participant_id",
            "agency",
            "starred",
            "escalate",
            "escalation_handled_at",
            "escalation_passed_to",
            "sha256",
            "created_at",
            "updated_at",
            "deleted_at",
        ],
        "note_revisions": [
            "id",
            "note_id",
            "body",
            "stance",
            "agency",
            "participant_id",
            "revised_at",
        ],
        "actions": [
            "id",
            "conversation_id",
            "description",
            "owner",
            "due",
            "status",
            "note_id",
            "created_at",
            "updated_at",
        ],
        "feedback": [
            "id",
            "conversation_id",
            "participant_id",
            "agency",
            "rating",
            "advance_questions_helped",
            "useful_question_ids",
            "comments",
            "created_at",
            "updated_at",
        ],
    }
    # Questions created at the conversation's creation keep that stamp; follow-ups got theirs above.
    for row in rows["questions"]:
        if row[12] is None:
            row[12] = row[13] = row[8] or _stamp(datetime(2020, 1, 1, tzinfo=timezone.utc))
    phases["build rows in Python"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    store = Store.open(tmp)
    phases["Store.open (migrations)"] = time.perf_counter() - t0
    try:
        conn = store.db.conn
        # A benchmark fixture, not a user's data: no need to fsync or zero pages during the load.
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA secure_delete=OFF")
        conn.execute(f"PRAGMA cache_size=-{min(1_000_000, 100_000 + notes // 2)}")  # KiB
        # Nor for the write-ahead log: the load goes straight into the file (with a rollback
        # journal in memory), instead of through a log as big as the file and a checkpoint that
        # copies it all again. WAL is put back before the store is closed, as the app leaves it.
        conn.execute("PRAGMA journal_mode=MEMORY")
        # The rows are consistent by construction (every id they point to is made above), so the
        # load skips checking three parents for every note; the app's setting is put back after.
        conn.execute("PRAGMA foreign_keys=OFF")
        triggers = [
            (name, sql)
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes'"
            )
        ]
        # The indexes stay: grown row by row, as a user's file grows them (built in one sort at
        # the end they would be packed tighter than any user's, and the queries measured faster).
        with store.atomic():
            for name, _ in triggers:
                conn.execute(f'DROP TRIGGER "{name}"')
            for table, cols in columns.items():
                t0 = time.perf_counter()
                marks = ", ".join("?" for _ in cols)
                conn.executemany(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows[table]
                )
                phases[f"insert {table}"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            conn.execute("INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')")
            phases["rebuild notes_fts"] = time.perf_counter() - t0
            for rebuild in AGGREGATES:
                t0 = time.perf_counter()
                rebuild(store.db)
                phases[rebuild.__name__] = time.perf_counter() - t0
            for _, sql in triggers:
                conn.execute(sql)
        t0 = time.perf_counter()
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        # No FTS 'optimize' and no ANALYZE: the app does neither, so a user's database has no
        # sqlite_stat1 and the query plans measured here are the ones users get.
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in columns}
    finally:
        store.close()
    phases["back to WAL, close"] = time.perf_counter() - t0
    tmp.with_name(tmp.name + ".lock").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    path.with_name(path.name + ".lock").unlink(missing_ok=True)
    return counts, big_id, {k: round(v, 2) for k, v in phases.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DB)
    parser.add_argument("--conversations", type=int, default=DEFAULT_CONVERSATIONS)
    parser.add_argument("--notes", type=int, default=DEFAULT_NOTES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--force", action="store_true", help="regenerate even if a fresh copy exists"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    ensure(
        args.path,
        conversations=args.conversations,
        notes=args.notes,
        seed=args.seed,
        force=args.force,
    )
    print(f"took {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
