"""Regulation profiles: the four shipped ones match their texts; broken files say where."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, time
from importlib import resources
from pathlib import Path

import pytest

from reception.errors import DomainError
from reception.profile import (
    DEFAULT_PROFILE,
    AnswerVariant,
    ControlTerms,
    Ground,
    ProfileError,
    available_profiles,
    load_profile,
)

KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
SHIPPED = ("almaty-2025", "turkestan-2020", "typical-2023", "zhetisu-2023")
FULL_R9 = (
    "wwii-veteran",
    "equated-veteran",
    "combat-veteran",
    "labour-veteran",
    "disability",
    "pregnant",
    "order-holder",
)


def typical_text() -> str:
    resource = resources.files("reception").joinpath("profiles", "typical-2023.toml")
    return resource.read_text(encoding="utf-8")


def write_variant(tmp_path: Path, old: str, new: str) -> Path:
    text = typical_text()
    assert old in text, old
    path = tmp_path / "custom.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def load_error(tmp_path: Path, old: str, new: str) -> ProfileError:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(path) in str(caught.value)
    return caught.value


# -- the shipped profiles -------------------------------------------------------------------


def test_four_profiles_ship_and_typical_2023_is_the_default() -> None:
    assert available_profiles() == SHIPPED
    assert DEFAULT_PROFILE == "typical-2023"
    for name in SHIPPED:
        assert load_profile(name).id == name


def test_r18_typical_2023_has_five_grounds_in_the_order_of_001_section_15() -> None:
    profile = load_profile("typical-2023")
    assert profile.grounds == (
        Ground("outside-competence", "R18.1"),
        Ground("administrative-decision", "R18.2"),
        Ground("court-act", "R18.3"),
        Ground("returned", "R18.4"),
        Ground("withdrawn", "R18.5"),
    )
    assert load_profile("zhetisu-2023").grounds == profile.grounds


def test_r18_2020_has_outside_competence_and_already_answered() -> None:
    assert load_profile("turkestan-2020").ground_ids == ("outside-competence", "already-answered")


def test_r18_almaty_2025_has_the_first_four_grounds() -> None:
    profile = load_profile("almaty-2025")
    assert profile.ground_ids == ("outside-competence", "administrative-decision", "court-act",
                                  "returned")  # fmt: skip
    assert [g.rule for g in profile.grounds] == ["R18.1", "R18.2", "R18.3", "R18.4"]


def test_r18_ground_message_ids_follow_the_convention() -> None:
    ground = load_profile("typical-2023").ground("court-act")
    assert ground is not None
    assert ground.message_id == "ground-court-act"
    assert ground.question_message_id == "admissibility-ask-court-act"
    assert load_profile("typical-2023").ground("already-answered") is None


def test_r20_r21_terms_of_the_2023_typical_regulation() -> None:
    terms = load_profile("typical-2023").terms
    assert terms.registration_working_days == 0
    assert terms.answer_working_days == 15
    assert terms.answer_variant is AnswerVariant.DATE_AND_TIME
    assert terms.date_after_list_working_days == 0
    assert (terms.extension_letter_calendar_days, terms.extension_decision_months) == (30, 2)
    assert terms.extension_notice_working_days == 3
    assert terms.hearing_working_days == 3
    assert terms.forward_working_days == 3
    assert terms.invitation_notice_working_days == 2
    assert terms.cancellation_notice_working_days == 2
    assert terms.day_list_working_days_before == 1
    assert terms.reference_note_working_days_before == 5


def test_r20_r21_r23_terms_of_2020() -> None:
    terms = load_profile("turkestan-2020").terms
    assert terms.registration_working_days == 3
    assert terms.answer_variant is AnswerVariant.DATE_TIME_OR_REFUSAL
    assert terms.extension_letter_calendar_days == 0  # no letter step in 000 §30
    assert terms.extension_decision_months == 2


def test_r21_almaty_2025_list_then_date_and_time_two_working_days_later() -> None:
    terms = load_profile("almaty-2025").terms
    assert terms.answer_variant is AnswerVariant.LIST_THEN_DATE_TIME
    assert (terms.answer_working_days, terms.date_after_list_working_days) == (15, 2)
    assert terms.registration_working_days == 0


def test_r9_priority_lists_per_text() -> None:
    for name in ("typical-2023", "zhetisu-2023", "almaty-2025"):
        ids = tuple(c.id for c in load_profile(name).priority_categories)
        assert ids == FULL_R9, name
    ids_2020 = tuple(c.id for c in load_profile("turkestan-2020").priority_categories)
    assert ids_2020 == tuple(i for i in FULL_R9 if i != "labour-veteran")


def test_r9_r11_names_are_written_in_kazakh_and_russian() -> None:
    for name in SHIPPED:
        profile = load_profile(name)
        assert KAZAKH_LETTERS.search(profile.body.name_kk), name
        assert "аким" in profile.body.name_ru.lower(), name
        for category in profile.priority_categories:
            assert KAZAKH_LETTERS.search(category.name_kk), category
            assert category.name_ru[0].isupper() and category.name_ru.isprintable()
    labour = load_profile("typical-2023").priority_category("labour-veteran")
    assert labour is not None and labour.name_kk == "Еңбек ардагерлері"


def test_regional_body_names() -> None:
    assert load_profile("zhetisu-2023").body.name_kk == "Жетісу облысы әкімінің аппараты"
    assert load_profile("zhetisu-2023").body.name_ru == "Аппарат акима области Жетісу"
    assert load_profile("turkestan-2020").body.name_ru == "Аппарат акима Туркестанской области"
    assert load_profile("almaty-2025").body.name_kk == "Алматы облысы әкімінің аппараты"


def test_r34_hours_09_19_lunch_13_15_and_reminder_times() -> None:
    for name in SHIPPED:
        profile = load_profile(name)
        hours = profile.hours
        assert (hours.start, hours.end) == (time(9), time(19))
        assert (hours.lunch_start, hours.lunch_end) == (time(13), time(15))
        reminders = profile.reminders
        assert reminders.day_list_time == time(16)
        assert reminders.official_morning_time == time(8, 30)
        assert reminders.citizen_day_before_time == time(10)
        assert reminders.citizen_hours_before == 2
        assert reminders.staff_digest_time == time(9)


def test_r7_r10_documents_and_restrictive_mode_defaults() -> None:
    profile = load_profile("typical-2023")
    assert profile.restrictive_mode is False
    assert profile.documents.collect_id_scan is False
    assert profile.documents.allowed_types == ("image/jpeg", "image/png", "application/pdf")
    assert profile.documents.max_file_mb == 10


def test_r31_control_terms() -> None:
    assert load_profile("typical-2023").control == ControlTerms(
        very_urgent_working_days=3,
        urgent_working_days=10,
        short_months=1,
        medium_months=6,
        long_months=12,
        default_months=1,
        remind_working_days_before=3,
        max_extensions=1,
    )


def test_profiles_are_frozen_with_slots() -> None:
    profile = load_profile("typical-2023")
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.id = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.terms.answer_working_days = 1  # type: ignore[misc]
    assert not hasattr(profile, "__dict__")
    assert not hasattr(profile.terms, "__dict__")


# -- loading by path and the optional sections ------------------------------------------------


def test_a_profile_loads_from_a_path(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'id = "typical-2023"', 'id = "district-x"')
    profile = load_profile(path)
    assert profile.id == "district-x"
    assert load_profile(str(path)).id == "district-x"


def test_optional_sections_take_their_defaults(tmp_path: Path) -> None:
    text = typical_text()
    text = text[: text.index("[calendar]")]
    text = text.replace("collect_id_scan = false", "")
    path = tmp_path / "short.toml"
    path.write_text(text, encoding="utf-8")
    profile = load_profile(path)
    assert profile.control == ControlTerms()
    assert profile.calendar.extra_holidays == ()
    assert profile.documents.collect_id_scan is False


def test_r35_calendar_overrides_are_read_as_dates(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path,
        "extra_holidays = []\nextra_working_days = []",
        "extra_holidays = [2026-08-31]\nextra_working_days = [2026-03-28]",
    )
    calendar = load_profile(path).calendar
    assert calendar.extra_holidays == (date(2026, 8, 31),)
    assert calendar.extra_working_days == (date(2026, 3, 28),)


def test_times_may_be_written_as_strings(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "start = 09:00:00", 'start = "08:30"')
    assert load_profile(path).hours.start == time(8, 30)


# -- strict validation -------------------------------------------------------------------------


def test_profile_error_is_a_domain_error_naming_file_and_field(tmp_path: Path) -> None:
    error = load_error(tmp_path, "answer_working_days = 15", "")
    assert isinstance(error, DomainError)
    assert error.message_id == "error-profile-invalid"
    assert error.field == "terms.answer_working_days"
    assert "terms.answer_working_days: missing" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("answer_working_days = 15", 'answer_working_days = "15"', "terms.answer_working_days",
         "expected an integer"),
        ("answer_working_days = 15", "answer_working_days = true", "terms.answer_working_days",
         "expected an integer"),
        ("answer_working_days = 15", "answer_working_days = -1", "terms.answer_working_days",
         "at least"),
        ('answer_variant = "date-and-time"', 'answer_variant = "soon"', "terms.answer_variant",
         "expected one of"),
        ("date_after_list_working_days = 0", "date_after_list_working_days = 2",
         "terms.date_after_list_working_days", "list-then-date-time"),
        ("restrictive_mode = false", 'restrictive_mode = "no"', "restrictive_mode",
         "true or false"),
        ('name_kk = "Облыс әкімінің аппараты"', 'name_kk = ""', "body.name_kk", "empty"),
        ("start = 09:00:00", 'start = "9 am"', "hours.start", "expected a time"),
        ("lunch_start = 13:00:00", "lunch_start = 20:00:00", "hours.lunch_start", "lunch"),
        ('id = "court-act"', 'id = "bad-mood"', "grounds[2].id", "unknown ground"),
        ('rule = "R18.3"', 'rule = "18.3"', "grounds[2].rule", "rule id"),
        ('id = "pregnant"', 'id = "disability"', "priority_categories", "repeated id"),
        ('id = "pregnant"', 'id = "Pregnant"', "priority_categories[5].id", "kebab-case"),
        ("citizen_hours_before = 2", "citizen_hours_before = 2.5",
         "reminders.citizen_hours_before", "expected an integer"),
        ('"application/pdf"]', '"pdf"]', "documents.allowed_types", "MIME"),
        ("extra_holidays = []", "extra_holidays = ['2026-08-31']", "calendar.extra_holidays",
         "expected dates"),
        ("extra_working_days = []", "extra_working_days = [2026-03-28]\nbogus = 1",
         "calendar.bogus", "unknown field"),
        ("max_extensions = 1", "max_extensions = 1.0", "control.max_extensions",
         "expected an integer"),
        ("[body]", "[bodies]", "body", "missing"),
    ],
)  # fmt: skip
def test_a_wrong_field_is_named_with_its_dotted_path(
    tmp_path: Path, old: str, new: str, field: str, problem: str
) -> None:
    error = load_error(tmp_path, old, new)
    assert error.field == field
    assert problem in error.problem
    assert f"{field}: " in str(error)


def test_overlapping_calendar_overrides_are_refused(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        "extra_holidays = []\nextra_working_days = []",
        "extra_holidays = [2026-08-31]\nextra_working_days = [2026-08-31]",
    )
    assert error.field == "calendar.extra_working_days"


def test_an_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("atlantis-2030")
    assert "atlantis-2030.toml" in str(caught.value)
    assert "typical-2023" in str(caught.value)


def test_a_missing_file_and_broken_toml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path / "nope.toml")
    assert "cannot read" in str(caught.value)
    broken = tmp_path / "broken.toml"
    broken.write_text("id = \n", encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(broken)
    assert "not valid TOML" in str(caught.value)
    assert str(broken) in str(caught.value)
