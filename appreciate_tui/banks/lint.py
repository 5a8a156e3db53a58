"""Warnings about how a prepared question is framed, each with an appreciative rephrasing to try.

An appreciative conversation starts from what works: a question that asks why something failed
invites blame and defence before anyone has said what goes well ("what are the barriers to…" too;
getting past them is a success story). Two questions in one get one answer, however short each
half ("What works well and what doesn't?"), though a probe on the same story ("…, and why?",
"…, and who did what?") is not a second question. A question with its answer in it gets agreement
rather than experience. These rules catch the common forms in plain English; they are hints for
the facilitator, never a block, and every rephrasing they offer passes the same rules
(tests/test_question_lint.py).

No I/O and no Textual: the plan screen, the follow-up field in the room and `appreciate bank check`
show the warnings; the tests read them directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Framing(StrEnum):
    DEFICIT = "deficit"
    DOUBLE = "double-barrelled"
    LEADING = "leading"


@dataclass(frozen=True)
class QuestionWarning:
    framing: Framing
    message: str
    """What is wrong with the question, in one sentence."""
    hint: str
    """An appreciative way to ask it instead."""


_NEGATIVE_AUX = (
    r"(?:don'?t|doesn'?t|didn'?t|can'?t|cannot|won'?t|isn'?t|aren'?t|wasn'?t|weren'?t|"
    r"haven'?t|hasn'?t|wouldn'?t|shouldn'?t|couldn'?t)"
)
_DEFICIT = re.compile(
    r"\b(?:fail(?:s|ed|ing|ure|ures)?|(?:go|goes|went|going|gone) wrong|wrong with|"
    r"problems?|problematic|weakness(?:es)?|mistakes?|blame[ds]?|fault(?:s|y)?|poor(?:ly)?|"
    r"worst|broken|(?:break|breaks|broke|breaking) down|shortcomings?|deficienc(?:y|ies)|"
    r"lack(?:s|ing)? of|(?:not|\w+n'?t) (?:work|working|worked)|"
    r"barriers?|obstacles?|(?:gets?|getting|got) in the way|"
    # "…and what doesn't?": what does not work, left unsaid.
    rf"(?:what|which|who|where|how) (?:{_NEGATIVE_AUX}|does not|do not|is not|are not)"
    r"(?=\s*[?.!]|\s*$)|"
    # "Why that number and not lower?" asks what is already there: the scaling question's probe.
    rf"why {_NEGATIVE_AUX}|why\b[^?.!]*\b(?:never|not(?! (?:lower|less|zero|0|one|a \d)\b)))\b",
    re.IGNORECASE,
)
# Getting past a barrier is a success story: "How did you break down the barriers?" is appreciative.
_OVERCOMING = re.compile(
    r"\b(?:overc[oa]m\w*|(?:break|breaks|broke|breaking|broken) down|remov\w*|"
    r"(?:get|gets|got|getting) (?:past|round|around|over)) (?:the |any |those |these |our |a )?"
    r"(?:\w+ )?(?:barriers?|obstacles?)\b",
    re.IGNORECASE,
)


def _is_deficit(text: str) -> bool:
    return bool(_DEFICIT.search(_OVERCOMING.sub(" ", text)))


# "Why did the handover fail?" -> the handover. "What went wrong with X?" -> X.
_WHY_FAILED = re.compile(
    r"^\s*why (?:did|does|do|has|have|is|was|were|are) (?P<subject>.+?) "
    r"(?:fail(?:ed|ing)?|go wrong|going wrong|gone wrong|break down|breaking down|"
    r"not work(?:ing)?|struggle|struggling)\b",
    re.IGNORECASE,
)
_WENT_WRONG_WITH = re.compile(
    r"\b(?:went|goes|go|is going|has gone) wrong (?:with|in|at|during) (?P<subject>[^?.!,]+)",
    re.IGNORECASE,
)
# "What are the barriers to health attending?" -> health attending.
_BARRIERS_TO = re.compile(
    r"\b(?:barriers?|obstacles?) (?:to|for|in|against) (?P<subject>[^?.!,]+)", re.IGNORECASE
)
_PROBLEMS_WITH = re.compile(
    r"\b(?:problems?|weakness(?:es)?|shortcomings?|failures?) (?:with|in|of) (?P<subject>[^?.!,]+)",
    re.IGNORECASE,
)

_INTERROGATIVE = (
    r"(?:what|how|who|whom|whose|when|where|which|why|do|does|did|is|are|was|were|can|could|"
    r"would|should|will|have|has)"
)
# "X, and what Y?": a second question joined on to the first.
_JOINED = re.compile(rf"^(?P<first>.+?),?\s+(?:and|or|and/or)\s+(?P<second>{_INTERROGATIVE}\b.+)$",
                     re.IGNORECASE)
_QUESTION_WORD = re.compile(
    rf"\b(?:{_INTERROGATIVE}|{_NEGATIVE_AUX})(?!\w)|^\s*(?:tell|describe|say)\b", re.IGNORECASE
)
# A second part made only of these words ("and why?", "and how often?", "who did what?", "what
# else?") is a probe on the same story, not a second question.
_PROBE_WORDS = frozenset(
    "what how who whom whose when where which why did do does happened happen next else then so "
    "not exactly often long many much well far".split()
)
# A second part is a question of its own when it starts with a wh-word, or with a verb and its
# subject ("and is it…", "or do you…"); "and was shared" is not a question.
_SECOND_QUESTION = re.compile(
    r"^(?:what|how|who|whom|whose|when|where|which|why)\b|"
    r"^(?:do|does|did|is|are|was|were|can|could|would|should|will|have|has)\s+"
    r"(?:you|we|they|it|he|she|there|this|that|the|a|an|your|our|their|people|anyone|everyone)\b",
    re.IGNORECASE,
)
BETTER_HINT = "What would make it work even better?"

_LEADING = re.compile(
    r"^\s*(?:"
    rf"{_NEGATIVE_AUX} (?:you|it|we|they|this|that|there|he|she)\b|"
    r"do you not\b|would you not\b|(?:do|would) you agree\b|isn'?t it true\b|"
    r"surely\b"
    r")|"
    r"\b(?:surely|obviously|clearly|of course|everyone knows|wouldn'?t it be better|"
    r"you(?:'d| would) agree)\b|"
    rf",\s*{_NEGATIVE_AUX} (?:it|they|you|we|he|she|there|that|this)\s*\?\s*$|"
    r",\s*right\s*\?\s*$",
    re.IGNORECASE,
)

DEFICIT_HINT = "Tell me about a time when this went well. What made it work?"
LEADING_HINT = "What has your experience of this been?"


def lint(text: str) -> list[QuestionWarning]:
    """Every framing warning for one question, deficit first; an empty list for a good question."""
    found: list[QuestionWarning] = []
    if _is_deficit(text):
        found.append(
            QuestionWarning(
                Framing.DEFICIT,
                "Framed as a deficit: it asks what failed, which invites blame before anyone "
                "has said what works.",
                _deficit_hint(text),
            )
        )
    split = _double_barrel(text)
    if split is not None:
        first, second = split
        found.append(
            QuestionWarning(
                Framing.DOUBLE,
                "Double-barrelled: two questions in one, and people answer only one of them.",
                f"{first} (then ask: {second})",
            )
        )
    if _LEADING.search(text):
        found.append(
            QuestionWarning(
                Framing.LEADING,
                "Leading: the answer is in the question, so it invites agreement, not experience.",
                LEADING_HINT,
            )
        )
    return found


def _deficit_hint(text: str) -> str:
    for pattern in (_WHY_FAILED, _WENT_WRONG_WITH, _PROBLEMS_WITH):
        match = pattern.search(text)
        if match:
            subject = _tidy(match.group("subject"))
            if subject and not _is_deficit(subject):
                return f"Tell me about a time when {subject} worked well. What made it work?"
    match = _BARRIERS_TO.search(text)
    if match:
        subject = _tidy(match.group("subject"))
        if subject and not _is_deficit(subject):
            return f"What helps {subject}? Tell me about a time it went well."
    return DEFICIT_HINT


def _double_barrel(text: str) -> tuple[str, str] | None:
    """The two questions of a double-barrelled one, each as a question of its own."""
    for sentence in re.findall(r"[^?.!]+[?.!]?", text):
        match = _JOINED.match(sentence.strip())
        if match is None:
            continue
        first = match.group("first").strip(" ,")
        second = match.group("second").strip(" ?.!")
        lead_in, _, asked = first.rpartition(",")
        question = asked if lead_in and _QUESTION_WORD.search(asked) else first
        if not _QUESTION_WORD.search(question) or not _SECOND_QUESTION.match(second):
            continue
        if all(word in _PROBE_WORDS for word in re.findall(r"[\w']+", second.casefold())):
            continue
        if _is_deficit(second) and not _is_deficit(first):
            # "What works well and what doesn't?": ask the first, then build on it.
            return f"{_capital(first)}?", BETTER_HINT
        return f"{_capital(first)}?", f"{_capital(second)}?"
    return None


def _tidy(subject: str) -> str:
    words = subject.strip(" ,").split()
    # "Why did it fail" has nothing to rephrase around.
    if not words or words[0].lower() in ("it", "this", "that", "they"):
        return ""
    return " ".join(words)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
