"""The quick-note grammar: stance marks, #tags and autocomplete."""

from __future__ import annotations

from dataclasses import replace

import pytest

from appreciate_tui.domain import DEFAULT_AGENCIES, Participant, Stance
from appreciate_tui.quicknote import complete_tag, parse_quick_note


def person(pid: str, pseudonym: str, agency: str, name: str = "") -> Participant:
    return Participant(
        id=pid,
        conversation_id="c1",
        pseudonym=pseudonym,
        agency=agency,
        created_at="",
        updated_at="",
        name=name,
    )


PEOPLE = [
    person("p-pol1", "Police 1", "Police"),
    person("p-hea1", "Health 1", "Health"),
    person("p-hea2", "Health 2", "Health", name="Sam Reed"),
    person("p-csc1", "Children's social care 1", "Children's social care"),
]
AGENCIES = list(DEFAULT_AGENCIES)


def parse(line: str):
    return parse_quick_note(line, PEOPLE, AGENCIES)


@pytest.mark.parametrize(
    ("line", "stance", "body"),
    [
        ("+ strategy calls start on time", Stance.STRENGTH, "strategy calls start on time"),
        ("+strategy calls start on time", Stance.STRENGTH, "strategy calls start on time"),
        ("- health not invited", Stance.CONCERN, "health not invited"),
        ("~ one shared chronology", Stance.DREAM, "one shared chronology"),
        ("> rota for health attendance", Stance.IDEA, "rota for health attendance"),
        ("! PL to write to the ICB", Stance.ACTION, "PL to write to the ICB"),
        ('"we finally talk to each other"', Stance.QUOTE, "we finally talk to each other"),
        ('" we finally talk', Stance.QUOTE, "we finally talk"),
        ("room was too small", Stance.NOTE, "room was too small"),
        ("   + padded  ", Stance.STRENGTH, "padded"),
        ("a - b + c", Stance.NOTE, "a - b + c"),
    ],
)
def test_stance_marks(line: str, stance: Stance, body: str) -> None:
    note = parse(line)
    assert (note.stance, note.body) == (stance, body)


def test_a_quote_closed_before_its_tag() -> None:
    note = parse('"we finally talk" #police')
    assert (note.stance, note.body, note.agency) == (Stance.QUOTE, "we finally talk", "Police")


def test_every_stance_with_a_mark_can_be_typed() -> None:
    for stance in Stance:
        if stance.mark:
            assert parse(f"{stance.mark} x").stance is stance


@pytest.mark.parametrize(
    ("tag", "agency"),
    [
        ("#police", "Police"),
        ("#Police", "Police"),
        ("#POL", "Police"),
        ("#health", "Health"),
        ("#csc", "Children's social care"),
        ("#CSC", "Children's social care"),
        ("#socialcare", "Children's social care"),
        ("#social-care", "Children's social care"),
        ("#childrens", "Children's social care"),
        ("#children's_social_care", "Children's social care"),
        ("#edu", "Education"),
        ("#school", "Education"),
        ("#nhs", "Health"),
        ("#other", "Other"),
    ],
)
def test_agency_tags(tag: str, agency: str) -> None:
    note = parse(f"+ good info sharing {tag}")
    assert note.agency == agency
    assert note.participant_id is None
    assert note.body == "good info sharing"
    assert note.unknown_tags == ()


def test_participant_tag_sets_person_and_their_agency() -> None:
    note = parse("- #health1 wasn't told about the meeting")
    assert note.participant_id == "p-hea1"
    assert note.agency == "Health"
    assert note.body == "wasn't told about the meeting"
    assert note.tags == ("health1",)


def test_participant_tag_ignores_case_spaces_and_punctuation() -> None:
    assert parse("x #Health_2").participant_id == "p-hea2"
    assert parse("x #health-2").participant_id == "p-hea2"
    assert parse("x #childrenssocialcare1").participant_id == "p-csc1"


def test_participant_by_name() -> None:
    assert parse("x #samreed").participant_id == "p-hea2"


def test_participant_wins_over_agency_tag_of_the_same_agency() -> None:
    note = parse("#health good #health1")
    assert note.participant_id == "p-hea1"
    assert note.agency == "Health"
    assert note.body == "good"


def test_second_attribution_stays_in_the_text() -> None:
    note = parse("police and health agreed #police #health")
    assert note.agency == "Police"
    assert note.body == "police and health agreed #health"
    assert note.unknown_tags == ("health",)


def test_unknown_tags_stay_in_the_body() -> None:
    note = parse("+ better than #lastyear #police")
    assert note.agency == "Police"
    assert note.body == "better than #lastyear"
    assert note.unknown_tags == ("lastyear",)


def test_ambiguous_prefix_is_not_guessed() -> None:
    agencies = ["Health visiting", "Health", "Housing"]
    assert parse_quick_note("x #h", [], agencies).agency is None
    assert parse_quick_note("x #ho", [], agencies).agency == "Housing"
    assert parse_quick_note("x #health", [], agencies).agency == "Health"
    assert parse_quick_note("x #hv", [], agencies).agency == "Health visiting"


def test_trailing_punctuation_is_kept_in_the_text() -> None:
    note = parse("police came, #police.")
    assert note.agency == "Police"
    assert note.body == "police came, ."  # the full stop was typed; it stays


def test_hash_inside_a_word_is_not_a_tag() -> None:
    note = parse("case ref AB#police")
    assert note.agency is None
    assert note.body == "case ref AB#police"


def test_a_bare_mark_or_tag_leaves_an_empty_body() -> None:
    assert parse("+").body == ""
    assert parse("- #police").body == ""


def test_emoji_and_right_to_left_text_are_kept() -> None:
    note = parse("+ 👩🏽‍⚕️ شكرا #police")
    assert note.body == "👩🏽‍⚕️ شكرا"


def test_an_agency_tag_names_its_only_person_here() -> None:
    here = [replace(p, attended=True) for p in PEOPLE]
    police = parse_quick_note("+ chaired well #police", here, AGENCIES)
    assert (police.participant_id, police.agency, police.only_one_here) == (
        "p-pol1", "Police", True)
    health = parse_quick_note("- late #health", here, AGENCIES)
    assert (health.participant_id, health.agency, health.only_one_here) == (None, "Health", False)
    one_health_here = [replace(p, attended=p.id != "p-hea2") for p in PEOPLE]
    assert parse_quick_note("- late #health", one_health_here, AGENCIES).participant_id == "p-hea1"
    nobody_here = parse("+ chaired well #police")
    assert (nobody_here.participant_id, nobody_here.agency) == (None, "Police")


def test_no_participants_or_agencies() -> None:
    note = parse_quick_note("+ fine #police")
    assert (note.agency, note.body, note.unknown_tags) == (None, "fine #police", ("police",))


def test_complete_tag() -> None:
    assert complete_tag("po", PEOPLE, AGENCIES) == ["police", "police1"]
    assert complete_tag("#po", PEOPLE, AGENCIES) == ["police", "police1"]
    assert complete_tag("c", PEOPLE, AGENCIES) == ["csc", "childrenssocialcare1"]
    assert complete_tag("ch", PEOPLE, AGENCIES) == ["childrenssocialcare", "childrenssocialcare1"]
    assert complete_tag("soc", PEOPLE, AGENCIES) == ["socialcare"]
    assert complete_tag("HEAL", PEOPLE, AGENCIES) == ["health", "health1", "health2"]
    assert complete_tag("zzz", PEOPLE, AGENCIES) == []


def test_complete_everything_from_a_bare_hash() -> None:
    tags = complete_tag("#", PEOPLE, AGENCIES)
    assert tags[:5] == ["csc", "health", "police", "education", "other"]
    assert "police1" in tags


def test_every_completion_resolves() -> None:
    for tag in complete_tag("", PEOPLE, AGENCIES):
        note = parse(f"x #{tag}")
        assert note.agency is not None, tag
