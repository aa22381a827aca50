"""Every term of the regulation (R12, R13, R17, R19-R25, R31, R32), on real 2025-2026 dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.deadlines import ControlCategory, Deadlines
from reception.errors import DeadlineExceeded, IllegalTransition, ValidationFailed
from reception.profile import load_profile


def deadlines_for(name: str) -> Deadlines:
    profile = load_profile(name)
    return Deadlines(WorkingCalendar(profile), profile)


TYPICAL = deadlines_for("typical-2023")
TURKESTAN = deadlines_for("turkestan-2020")
ALMATY_2025 = deadlines_for("almaty-2025")


# -- R20 ---------------------------------------------------------------------------------------


def test_r20_2023_registration_is_due_the_day_it_arrives() -> None:
    arrived = datetime(2025, 11, 12, 17, 0, tzinfo=ALMATY)
    assert TYPICAL.registration_due(arrived) == date(2025, 11, 12)


def test_r20_2023_registration_on_a_holiday_is_due_the_next_working_day() -> None:
    assert TYPICAL.registration_due(datetime(2025, 12, 16, 5, tzinfo=UTC)) == date(2025, 12, 17)


def test_r20_2020_registration_is_due_within_3_working_days() -> None:
    monday = datetime(2025, 11, 10, 11, 0, tzinfo=ALMATY)
    assert TURKESTAN.registration_due(monday) == date(2025, 11, 13)
    # Arrived on Saturday 22 March 2025 (Nauryz): 26, 27, 28 March.
    assert TURKESTAN.registration_due(datetime(2025, 3, 22, 6, tzinfo=UTC)) == date(2025, 3, 28)


def test_r20_a_naive_arrival_time_is_refused() -> None:
    with pytest.raises(ValueError):
        TURKESTAN.registration_due(datetime(2025, 11, 10, 11, 0))


# -- R21 ---------------------------------------------------------------------------------------


def test_r21_answer_due_is_15_working_days_after_registration() -> None:
    assert TYPICAL.answer_due(date(2025, 11, 3)) == date(2025, 11, 24)


def test_r21_answer_due_skips_nauryz() -> None:
    # 17-20 March (4), 26-27 (6), 30-31 (8), 1-3 April (11), 6-9 April (15).
    assert TYPICAL.answer_due(date(2026, 3, 16)) == date(2026, 4, 9)


def test_r21_2023_and_2020_have_no_separate_list_notice() -> None:
    assert TYPICAL.list_notice_due(date(2026, 3, 16)) is None
    assert TURKESTAN.list_notice_due(date(2026, 3, 16)) is None
    assert TYPICAL.date_notice_due(date(2026, 3, 16)) == date(2026, 4, 9)


def test_r21_almaty_list_within_15_working_days_then_date_within_2_more() -> None:
    assert ALMATY_2025.list_notice_due(date(2026, 3, 16)) == date(2026, 4, 9)
    assert ALMATY_2025.answer_due(date(2026, 3, 16)) == date(2026, 4, 9)
    assert ALMATY_2025.date_notice_due(date(2026, 3, 16)) == date(2026, 4, 13)


def test_r21_almaty_date_notice_runs_from_the_list_notice_actually_sent() -> None:
    due = ALMATY_2025.date_notice_due(date(2026, 3, 16), list_notified_on=date(2026, 3, 27))
    assert due == date(2026, 3, 31)


# -- R23 ---------------------------------------------------------------------------------------


def test_r23_extension_letter_at_most_30_calendar_days_from_registration() -> None:
    assert TYPICAL.extension_letter_limit(date(2025, 11, 3)) == date(2025, 12, 3)


def test_r23_r32_extension_letter_limit_on_nauryz_moves_to_the_next_working_day() -> None:
    assert TYPICAL.extension_letter_limit(date(2025, 2, 19)) == date(2025, 3, 26)


def test_r23_2020_has_no_extension_letter_only_a_motivated_decision() -> None:
    assert not TURKESTAN.has_extension_letter
    assert TYPICAL.has_extension_letter
    with pytest.raises(IllegalTransition) as caught:
        TURKESTAN.extension_letter_limit(date(2025, 11, 3))
    assert caught.value.message_id == "error-extension-letter-not-provided"
    assert TURKESTAN.extension_decision_limit(date(2025, 11, 3)) == date(2026, 1, 5)


def test_r23_r32_decision_limit_two_months_clamped_then_moved_off_the_weekend() -> None:
    # 31 Dec 2025 + 2 months = 28 Feb 2026, a Saturday: Monday 2 March.
    assert TYPICAL.extension_decision_limit(date(2025, 12, 31)) == date(2026, 3, 2)


def test_r23_applicant_told_of_the_extension_within_3_working_days() -> None:
    assert TYPICAL.extension_notice_due(date(2025, 12, 12)) == date(2025, 12, 18)


# -- R24 ---------------------------------------------------------------------------------------


def test_r24_refusal_not_earlier_than_3_working_days_after_the_draft() -> None:
    assert TYPICAL.refusal_earliest(date(2025, 11, 10)) == date(2025, 11, 13)
    assert TYPICAL.refusal_earliest(date(2025, 3, 20)) == date(2025, 3, 28)  # over Nauryz


# -- R19, R13, R17 -----------------------------------------------------------------------------


def test_r19_forward_within_3_working_days() -> None:
    # Friday 8 May 2026; Monday 11 May is Victory Day moved from Saturday.
    assert TYPICAL.forward_due(date(2026, 5, 8)) == date(2026, 5, 14)


def test_r13_applicant_told_of_an_invitation_within_2_working_days() -> None:
    assert TYPICAL.invitation_notice_due(date(2025, 12, 15)) == date(2025, 12, 18)


def test_r17_fix_period_defaults_to_the_profile_reasonable_period() -> None:
    assert TYPICAL.profile.terms.fix_period_working_days == 5
    # 21-24 October (4), 27 October is Republic Day moved from Saturday, 28 October (5).
    assert TYPICAL.fix_due(date(2025, 10, 20)) == date(2025, 10, 28)


def test_r17_staff_may_give_another_period() -> None:
    assert TYPICAL.fix_due(date(2025, 10, 20), working_days=10) == date(2025, 11, 4)
    with pytest.raises(ValidationFailed):
        TYPICAL.fix_due(date(2025, 10, 20), working_days=0)


# -- R12, R22, R25 -----------------------------------------------------------------------------


def test_r12_official_cancels_at_latest_2_working_days_before() -> None:
    # Reception on Thursday 26 March 2026, right after Nauryz: Thursday 19 March.
    assert TYPICAL.cancellation_notice_latest(date(2026, 3, 26)) == date(2026, 3, 19)


def test_r25_day_list_reaches_the_official_1_working_day_before() -> None:
    assert TYPICAL.day_list_due(date(2025, 11, 17)) == date(2025, 11, 14)
    assert TYPICAL.day_list_due(date(2025, 1, 6)) == date(2025, 1, 5)  # the worked Sunday


def test_r22_reference_note_5_working_days_before() -> None:
    # 19, 18, 17 December, 16th is Independence Day, 15, 12.
    assert TYPICAL.reference_note_due(date(2025, 12, 22)) == date(2025, 12, 12)


# -- R31, R32: control of instructions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "assigned", "term"),
    [
        (ControlCategory.VERY_URGENT, date(2025, 12, 11), date(2025, 12, 17)),  # over 16 Dec
        (ControlCategory.URGENT, date(2025, 3, 14), date(2025, 4, 2)),  # over Nauryz
        (ControlCategory.SHORT, date(2025, 2, 21), date(2025, 3, 26)),  # 21 March -> 26th
        (ControlCategory.MEDIUM, date(2025, 8, 31), date(2026, 3, 2)),  # 28 Feb is Saturday
        (ControlCategory.LONG, date(2025, 3, 21), date(2026, 3, 26)),  # 21 March 2026 -> 26th
        (ControlCategory.NONE, date(2026, 1, 31), date(2026, 3, 2)),  # one month, clamped
    ],
)
def test_r31_r32_default_control_terms(
    category: ControlCategory, assigned: date, term: date
) -> None:
    assert TYPICAL.control_term(category, assigned) == term


def test_r31_category_may_be_given_as_its_text() -> None:
    assert TYPICAL.control_term("urgent", date(2025, 3, 14)) == date(2025, 4, 2)  # type: ignore[arg-type]


def test_r31_explicit_term_within_the_category_is_kept() -> None:
    assigned = date(2025, 3, 14)
    assert TYPICAL.control_term(ControlCategory.URGENT, assigned, date(2025, 3, 28)) == date(
        2025, 3, 28
    )
    assert TYPICAL.control_term(ControlCategory.MEDIUM, assigned, date(2025, 6, 30)) == date(
        2025, 6, 30
    )
    assert TYPICAL.control_term(ControlCategory.LONG, assigned, date(2027, 3, 1)) == date(
        2027, 3, 1
    )


def test_r32_explicit_term_on_a_holiday_ends_on_the_next_working_day() -> None:
    # Short: from 10 working days (2 April) to one month (14 April); 5 April is a Saturday.
    term = TYPICAL.control_term(ControlCategory.SHORT, date(2025, 3, 14), date(2025, 4, 5))
    assert term == date(2025, 4, 7)


@pytest.mark.parametrize(
    ("category", "explicit"),
    [
        (ControlCategory.VERY_URGENT, date(2025, 3, 14)),  # the same day
        (ControlCategory.VERY_URGENT, date(2025, 3, 27)),  # 4th working day
        (ControlCategory.URGENT, date(2025, 4, 3)),  # 11th working day
        (ControlCategory.SHORT, date(2025, 3, 31)),  # under 10 working days
        (ControlCategory.SHORT, date(2025, 4, 15)),  # over one month
        (ControlCategory.MEDIUM, date(2025, 4, 1)),  # under one month
        (ControlCategory.MEDIUM, date(2025, 9, 16)),  # six months: Sunday 14 Sep -> 15th
        (ControlCategory.LONG, date(2025, 9, 14)),  # exactly six months is not "over"
        (ControlCategory.NONE, date(2025, 4, 14)),  # "no term" and a term contradict
        (ControlCategory.LONG, date(2025, 3, 1)),  # before it was assigned
    ],
)
def test_r31_explicit_term_outside_the_category_is_refused(
    category: ControlCategory, explicit: date
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        TYPICAL.control_term(category, date(2025, 3, 14), explicit)
    assert caught.value.message_id == "error-control-term-out-of-range"


def test_r31_executors_reminded_3_working_days_before_the_term() -> None:
    # 26 March (1), then back over Nauryz: 20 March (2), 19 March (3).
    assert TYPICAL.control_reminder_date(date(2025, 3, 27)) == date(2025, 3, 19)


def test_r31_a_term_is_extended_once() -> None:
    first = TYPICAL.extend_control_term(date(2025, 11, 14), date(2025, 11, 29), 0)
    assert first == date(2025, 12, 1)  # Saturday 29 November -> Monday (R32)
    with pytest.raises(DeadlineExceeded) as caught:
        TYPICAL.extend_control_term(first, date(2025, 12, 30), 1)
    assert caught.value.message_id == "error-control-extension-limit"
    with pytest.raises(DeadlineExceeded):
        TYPICAL.extend_control_term(first, date(2025, 12, 30), True)  # Instruction.extended_once


def test_r31_an_extension_must_move_the_term_later() -> None:
    with pytest.raises(ValidationFailed):
        TYPICAL.extend_control_term(date(2025, 11, 14), date(2025, 11, 14), 0)
