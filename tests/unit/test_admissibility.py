"""R16-R19: what the bot asks, which grounds apply, and what it advises, on each profile."""

from __future__ import annotations

import pytest

from reception.admissibility import Advice, Redirect, assess, questions, substance_ok
from reception.profile import Profile
from reception.schedule import Topic
from tests.unit.conftest import rules_for

ROADS = Topic(code="roads", name_kk="Жолдар", name_ru="Дороги", competence="local")
PENSIONS = Topic(code="pensions", name_kk="Зейнетақы", name_ru="Пенсии", competence="central")
POLICE = Topic(code="police", name_kk="Полиция", name_ru="Полиция", competence="other")


def _profile(name: str) -> Profile:
    return rules_for(name)[0]


@pytest.mark.parametrize(
    ("profile_name", "asked"),
    [
        ("typical-2023", ["administrative-decision", "court-act", "returned", "withdrawn"]),
        ("zhetisu-2023", ["administrative-decision", "court-act", "returned", "withdrawn"]),
        ("almaty-2025", ["administrative-decision", "court-act", "returned"]),
        ("turkestan-2020", ["already-answered"]),
    ],
)
def test_r18_questions_come_from_the_profile_and_competence_is_not_asked(
    profile_name: str, asked: list[str]
) -> None:
    grounds = questions(_profile(profile_name))
    assert [ground.id for ground in grounds] == asked
    assert all(g.question_message_id == f"admissibility-ask-{g.id}" for g in grounds)


@pytest.mark.parametrize(
    ("profile_name", "count"),
    [("typical-2023", 5), ("zhetisu-2023", 5), ("almaty-2025", 4), ("turkestan-2020", 2)],
)
def test_r18_number_of_grounds_per_profile(profile_name: str, count: int) -> None:
    assert len(_profile(profile_name).grounds) == count


def test_r18_no_ground_means_proceed(profile: Profile) -> None:
    answers = {ground.id: False for ground in questions(profile)}
    assessment = assess(profile, answers, ROADS)
    assert assessment.advice is Advice.PROCEED
    assert assessment.grounds == () and assessment.redirect is None


@pytest.mark.parametrize(
    ("ground_id", "rule"),
    [
        ("administrative-decision", "R18.2"),
        ("court-act", "R18.3"),
        ("returned", "R18.4"),
        ("withdrawn", "R18.5"),
    ],
)
def test_r17_a_ground_warns_but_never_refuses(profile: Profile, ground_id: str, rule: str) -> None:
    assessment = assess(profile, {ground_id: True}, ROADS)
    assert assessment.advice is Advice.WARN
    assert [(g.id, g.rule, g.message_id) for g in assessment.grounds] == [
        (ground_id, rule, f"ground-{ground_id}")
    ]
    assert assessment.ground_ids == [ground_id]


def test_r18_several_grounds_in_the_profile_order(profile: Profile) -> None:
    assessment = assess(profile, {"withdrawn": True, "court-act": True}, ROADS)
    assert assessment.ground_ids == ["court-act", "withdrawn"]


def test_r18_almaty_2025_has_no_withdrawal_ground() -> None:
    assessment = assess(_profile("almaty-2025"), {"withdrawn": True}, ROADS)
    assert assessment.advice is Advice.PROCEED and assessment.grounds == ()


def test_r18_2020_already_answered_warns() -> None:
    profile = _profile("turkestan-2020")
    assessment = assess(profile, {"already-answered": True, "court-act": True}, ROADS)
    assert assessment.advice is Advice.WARN
    assert assessment.ground_ids == ["already-answered"]  # court acts are not a 2020 ground


@pytest.mark.parametrize("profile_name", ["typical-2023", "turkestan-2020", "almaty-2025"])
def test_r19_topic_of_another_body_is_forwarded(profile_name: str) -> None:
    assessment = assess(_profile(profile_name), {}, POLICE)
    assert assessment.advice is Advice.FORWARD
    assert assessment.redirect is Redirect.COMPETENT_BODY
    assert [(g.id, g.rule) for g in assessment.grounds] == [("outside-competence", "R18.1")]


def test_r2_central_competence_points_to_reception_centres(profile: Profile) -> None:
    assessment = assess(profile, {}, PENSIONS)
    assert assessment.advice is Advice.FORWARD
    assert assessment.redirect is Redirect.RECEPTION_CENTRE
    assert assessment.redirect.message_id == "admissibility-redirect-reception-centre"


def test_r19_forward_wins_over_other_grounds(profile: Profile) -> None:
    assessment = assess(profile, {"court-act": True}, POLICE)
    assert assessment.advice is Advice.FORWARD
    assert assessment.ground_ids == ["outside-competence", "court-act"]


def test_r18_competence_is_decided_by_the_topic_not_the_answer(profile: Profile) -> None:
    assert assess(profile, {"outside-competence": True}, ROADS).advice is Advice.PROCEED


def test_r18_without_a_topic_an_explicit_competence_answer_counts(profile: Profile) -> None:
    assessment = assess(profile, {"outside-competence": True}, None)
    assert assessment.advice is Advice.FORWARD
    assert assess(profile, {}, None).advice is Advice.PROCEED


def test_unknown_competence_is_a_data_error(profile: Profile) -> None:
    topic = Topic(code="x", name_kk="x", name_ru="x", competence="regional")
    with pytest.raises(ValueError):
        assess(profile, {}, topic)


@pytest.mark.parametrize(
    "text",
    [
        "Прошу отремонтировать дорогу на улице Абая",
        "Жолды жөндеңіздер",
        "Нет отопления в доме",
        "Балабақшаға кезек туралы",
    ],
)
def test_r16_a_stated_question_has_substance(text: str) -> None:
    assert substance_ok(text)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "Здравствуйте", "На прием", "1234567890 1234567890", "ааааааа ааааааааа", "?!"],
)
def test_r16_empty_greeting_or_noise_has_no_substance(text: str) -> None:
    assert not substance_ok(text)


def test_r16_minimum_can_be_set_by_the_caller() -> None:
    assert substance_ok("Свет нет", min_chars=5)
    assert not substance_ok("Прошу отремонтировать дорогу", min_chars=40)
