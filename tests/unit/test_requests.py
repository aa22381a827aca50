"""The booking request's life (DESIGN.md): every transition, allowed and refused, by rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from reception.actors import Actor
from reception.clock import ALMATY
from reception.deadlines import Deadlines
from reception.errors import (
    DeadlineExceeded,
    DeadlineNotReached,
    ExecutorNotAllowed,
    IllegalTransition,
    MissingFinalAnswer,
    ValidationFailed,
)
from reception.notifications import NoticeKind
from reception.requests import (
    ACTIVE_STATUSES,
    BookingRequest,
    ExtensionKind,
    ReceptionFormat,
    Status,
    request_from_reception,
)
from tests.unit.conftest import CITIZEN, NOW, PROFILES, STAFF, new_request, rules_for

LATER = NOW + timedelta(days=40)  # past every window the transitions wait for
WHEN = datetime(2025, 11, 20, 10, 0, tzinfo=ALMATY)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def _kinds(notices: list) -> list[NoticeKind]:
    return [notice.kind for notice in notices]


# -- every transition, from every status (DESIGN.md "Life of a booking request") ----------

Transition = Callable[[BookingRequest, Deadlines], list]

TRANSITIONS: dict[str, tuple[Transition, frozenset[Status], Status, list[NoticeKind]]] = {
    "register": (
        lambda r, d: r.register("2025-1", STAFF, LATER, d),
        frozenset({Status.DRAFT}),
        Status.REGISTERED,
        [NoticeKind.REGISTERED],
    ),
    "leave_without_consideration": (
        lambda r, d: r.leave_without_consideration(STAFF, LATER),
        frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.LEFT_WITHOUT_CONSIDERATION,
        [NoticeKind.LEFT_WITHOUT_CONSIDERATION],
    ),
    "request_fix": (
        lambda r, d: r.request_fix(["signature"], STAFF, LATER, d),
        frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.NEEDS_FIX,
        [NoticeKind.FIX_REQUEST],
    ),
    "fix_received": (
        lambda r, d: r.fix_received(CITIZEN, LATER),
        frozenset({Status.NEEDS_FIX}),
        Status.REGISTERED,
        [],
    ),
    "return_unfixed": (
        lambda r, d: r.return_unfixed(STAFF, LATER),
        frozenset({Status.NEEDS_FIX}),
        Status.RETURNED,
        [NoticeKind.RETURNED],
    ),
    "forward": (
        lambda r, d: r.forward("Департамент полиции", STAFF, LATER),
        frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.FORWARDED,
        [NoticeKind.FORWARDED],
    ),
    "start_review": (
        lambda r, d: r.start_review(STAFF, LATER),
        frozenset({Status.REGISTERED, Status.EXTENDED}),
        Status.UNDER_REVIEW,
        [],
    ),
    "extend": (
        lambda r, d: r.extend(ExtensionKind.LETTER, date(2025, 12, 1), "запрос", STAFF, NOW, d),
        frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.EXTENDED,
        [NoticeKind.EXTENSION],
    ),
    "draft_refusal": (
        lambda r, d: r.draft_refusal("проект отказа", STAFF, LATER, d),
        frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.REFUSAL_DRAFT,
        [NoticeKind.HEARING],
    ),
    "refuse": (
        lambda r, d: r.refuse("мотивированный отказ", STAFF, LATER),
        frozenset({Status.REFUSAL_DRAFT}),
        Status.REFUSED,
        [NoticeKind.REFUSED],
    ),
    "uphold_objection": (
        lambda r, d: r.uphold_objection("возражение обосновано", STAFF, LATER),
        frozenset({Status.REFUSAL_DRAFT}),
        Status.UNDER_REVIEW,
        [NoticeKind.UNDER_REVIEW],
    ),
    "book": (
        lambda r, d: r.book(5, WHEN, "каб. 101", STAFF, LATER),
        frozenset(
            {
                Status.REGISTERED,
                Status.UNDER_REVIEW,
                Status.EXTENDED,
                Status.BOOKED,
                Status.RESCHEDULED,
            }
        ),
        Status.BOOKED,
        [NoticeKind.BOOKED],
    ),
    "reschedule": (
        lambda r, d: r.reschedule("командировка", STAFF, LATER),
        frozenset({Status.BOOKED, Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED}),
        Status.RESCHEDULED,
        [NoticeKind.RESCHEDULED],
    ),
    "attend": (
        lambda r, d: r.attend(STAFF, LATER, LATER.date()),
        frozenset({Status.BOOKED}),
        Status.ATTENDED,
        [NoticeKind.ATTENDED],
    ),
    "mark_no_show": (
        lambda r, d: r.mark_no_show(STAFF, LATER, LATER.date()),
        frozenset({Status.BOOKED}),
        Status.NO_SHOW,
        [NoticeKind.NO_SHOW],
    ),
    "close": (
        lambda r, d: r.close("Дорога включена в план ремонта", STAFF, LATER),
        frozenset({Status.ATTENDED}),
        Status.CLOSED,
        [NoticeKind.FINAL_ANSWER],
    ),
    "withdraw": (
        lambda r, d: r.withdraw(CITIZEN, LATER),
        ACTIVE_STATUSES | {Status.DRAFT},
        Status.WITHDRAWN,
        [NoticeKind.WITHDRAWN],
    ),
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_r39_each_transition_allowed_only_from_its_statuses_and_recorded(
    name: str, status: Status, deadlines: Deadlines
) -> None:
    transition, allowed, target, notice_kinds = TRANSITIONS[name]
    request = new_request(slot_id=5)
    request.register("2025-000100", STAFF, NOW, deadlines)
    request.status = status  # set-up only: put the request where the case starts
    history_before = len(request.history)
    if status not in allowed:
        with pytest.raises(IllegalTransition) as refused:
            transition(request, deadlines)
        assert refused.value.message_id == "error-illegal-transition"
        assert request.status is status
        assert len(request.history) == history_before
        return
    notices = transition(request, deadlines)
    assert request.status is target
    assert _kinds(notices) == notice_kinds
    change = request.history[-1]
    assert (change.from_status, change.to_status) == (status, target)
    assert change.actor in (STAFF, CITIZEN)
    assert change.at in (NOW, LATER)
    for notice in notices:
        assert notice.citizen_id == 1 and notice.request_id == 100
        assert notice.message_id == f"notice-{notice.kind}"
        assert notice.args["number"] == request.number


def test_r39_history_records_actor_and_time_of_each_change(deadlines: Deadlines) -> None:
    request = new_request()
    request.register("2025-000100", CITIZEN, NOW, deadlines)
    request.start_review(STAFF, NOW + timedelta(hours=1))
    request.book(5, WHEN, "каб. 101", Actor.staff(8), NOW + timedelta(hours=2))
    assert [(c.to_status, c.actor, c.at) for c in request.history] == [
        (Status.REGISTERED, CITIZEN, NOW),
        (Status.UNDER_REVIEW, STAFF, NOW + timedelta(hours=1)),
        (Status.BOOKED, Actor.staff(8), NOW + timedelta(hours=2)),
    ]


def test_transition_needs_an_aware_datetime(deadlines: Deadlines) -> None:
    with pytest.raises(ValueError):
        new_request().register("2025-1", STAFF, datetime(2025, 11, 3, 10), deadlines)


# -- R20, R21: registration and the answer term -----------------------------------------------


def test_r20_registered_on_working_day_is_registered_that_day(registered: BookingRequest) -> None:
    assert registered.status is Status.REGISTERED
    assert registered.registration_date == date(2025, 11, 3)
    assert registered.registered_at == NOW
    assert registered.number == "2025-000100"


def test_r20_registered_on_saturday_is_registered_monday(deadlines: Deadlines) -> None:
    request = new_request()
    request.register("2025-1", CITIZEN, datetime(2025, 11, 8, 12, tzinfo=ALMATY), deadlines)
    assert request.registration_date == date(2025, 11, 10)


def test_r20_registration_date_is_taken_in_almaty_time(deadlines: Deadlines) -> None:
    # 20:30 UTC on Friday is 01:30 on Saturday in Almaty: registered on Monday.
    request = new_request()
    request.register("2025-1", CITIZEN, datetime(2025, 11, 7, 20, 30, tzinfo=UTC), deadlines)
    assert request.registration_date == date(2025, 11, 10)


def test_r20_registered_on_holiday_is_registered_next_working_day(deadlines: Deadlines) -> None:
    request = new_request()
    request.register("2025-1", CITIZEN, _at(date(2025, 12, 16)), deadlines)  # Independence Day
    assert request.registration_date == date(2025, 12, 17)


def test_r20_registration_notice_gives_date_and_answer_term(deadlines: Deadlines) -> None:
    notices = new_request().register("2025-1", CITIZEN, NOW, deadlines)
    assert _kinds(notices) == [NoticeKind.REGISTERED]
    assert notices[0].args["registration_date"] == date(2025, 11, 3)
    assert notices[0].args["answer_due"] == date(2025, 11, 24)


@pytest.mark.parametrize(
    ("profile_name", "answer_due", "date_notice_due"),
    [
        ("typical-2023", date(2025, 11, 24), date(2025, 11, 24)),
        ("turkestan-2020", date(2025, 11, 24), date(2025, 11, 24)),
        ("zhetisu-2023", date(2025, 11, 24), date(2025, 11, 24)),
        ("almaty-2025", date(2025, 11, 24), date(2025, 11, 26)),  # list at 15, date +2
    ],
)
def test_r21_answer_due_is_15_working_days_on_each_profile_almaty_list_then_plus_2(
    profile_name: str, answer_due: date, date_notice_due: date
) -> None:
    request = new_request()
    request.register("2025-1", CITIZEN, NOW, rules_for(profile_name)[2])
    assert request.answer_due == answer_due
    assert request.date_notice_due == date_notice_due


def test_r21_answer_due_skips_independence_day(deadlines: Deadlines) -> None:
    request = new_request()
    request.register("2025-1", CITIZEN, _at(date(2025, 12, 1)), deadlines)
    assert request.answer_due == date(2025, 12, 23)  # 16 December is not counted


def test_r19_forward_due_is_3_working_days_after_registration(registered: BookingRequest) -> None:
    assert registered.forward_due == date(2025, 11, 6)


# -- R16, R17: substance, fix, return ---------------------------------------------------------


def test_r16_request_without_substance_cannot_be_registered(deadlines: Deadlines) -> None:
    request = new_request(question="   ")
    with pytest.raises(ValidationFailed) as refused:
        request.register("2025-1", CITIZEN, NOW, deadlines)
    assert refused.value.message_id == "error-question-empty"
    assert request.status is Status.DRAFT


def test_r16_left_without_consideration_tells_the_applicant(registered: BookingRequest) -> None:
    notices = registered.leave_without_consideration(STAFF, NOW)
    assert registered.status is Status.LEFT_WITHOUT_CONSIDERATION and registered.is_final
    assert _kinds(notices) == [NoticeKind.LEFT_WITHOUT_CONSIDERATION]


def test_r17_request_with_an_r18_ground_is_still_registered(deadlines: Deadlines) -> None:
    request = new_request(grounds=["court-act"], admissibility_answers={"court-act": True})
    request.register("2025-1", CITIZEN, NOW, deadlines)
    assert request.status is Status.REGISTERED
    assert request.grounds == ["court-act"]


def test_r17_fix_request_names_requirements_and_period(registered: BookingRequest) -> None:
    deadlines = rules_for("typical-2023")[2]
    notices = registered.request_fix(["iin", "signature"], STAFF, NOW, deadlines)
    assert registered.status is Status.NEEDS_FIX
    assert registered.fix_due == date(2025, 11, 10)  # the profile's 5 working days
    assert notices[0].kind is NoticeKind.FIX_REQUEST
    assert notices[0].args["requirements"] == "iin, signature"
    assert notices[0].args["fix_due"] == date(2025, 11, 10)


def test_r17_fix_period_may_be_set_by_staff(registered: BookingRequest) -> None:
    registered.request_fix(["address"], STAFF, NOW, rules_for("typical-2023")[2], 10)
    assert registered.fix_due == date(2025, 11, 17)


def test_r17_fix_request_without_requirements_is_refused(registered: BookingRequest) -> None:
    with pytest.raises(ValidationFailed):
        registered.request_fix([], STAFF, NOW, rules_for("typical-2023")[2])
    assert registered.status is Status.REGISTERED


def test_r17_fixed_request_is_registered_again(registered: BookingRequest) -> None:
    registered.request_fix(["signature"], STAFF, NOW, rules_for("typical-2023")[2])
    assert registered.fix_received(CITIZEN, NOW + timedelta(days=1)) == []
    assert registered.status is Status.REGISTERED
    assert registered.fix_requirements == []


def test_r17_return_only_after_fix_period(registered: BookingRequest) -> None:
    registered.slot_id = 5
    registered.request_fix(["signature"], STAFF, NOW, rules_for("typical-2023")[2])
    with pytest.raises(DeadlineNotReached):
        registered.return_unfixed(STAFF, _at(date(2025, 11, 10), 18))  # the last day to fix
    assert registered.status is Status.NEEDS_FIX
    notices = registered.return_unfixed(STAFF, _at(date(2025, 11, 11)))
    assert registered.status is Status.RETURNED and registered.slot_id is None
    assert notices[0].kind is NoticeKind.RETURNED
    assert notices[0].args["requirements"] == "signature"


# -- R19: forwarding ---------------------------------------------------------------------------


def test_r19_forward_names_the_body_and_frees_the_slot(registered: BookingRequest) -> None:
    registered.slot_id = 5
    notices = registered.forward("Министерство здравоохранения", STAFF, NOW)
    assert registered.status is Status.FORWARDED and registered.slot_id is None
    assert registered.forwarded_to == "Министерство здравоохранения"
    assert notices[0].args["body"] == "Министерство здравоохранения"


def test_r19_forward_without_a_body_is_refused(registered: BookingRequest) -> None:
    with pytest.raises(ValidationFailed):
        registered.forward(" ", STAFF, NOW)
    assert registered.status is Status.REGISTERED


# -- R23: extension ----------------------------------------------------------------------------


def test_r23_letter_extension_within_30_days(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    notices = registered.extend(
        ExtensionKind.LETTER, date(2025, 12, 3), "запрос", STAFF, NOW, deadlines
    )
    assert registered.status is Status.EXTENDED
    assert registered.extended_until == date(2025, 12, 3)  # 3 November + 30 days
    assert notices[0].kind is NoticeKind.EXTENSION
    assert notices[0].args["until"] == date(2025, 12, 3)
    assert notices[0].args["extension_kind"] == "letter"


def test_r23_letter_extension_beyond_30_days_is_refused(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    with pytest.raises(DeadlineExceeded) as refused:
        registered.extend(ExtensionKind.LETTER, date(2025, 12, 4), "запрос", STAFF, NOW, deadlines)
    assert refused.value.args_for_message["limit"] == date(2025, 12, 3)
    assert registered.status is Status.REGISTERED


def test_r23_decision_extension_up_to_two_months(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    with pytest.raises(DeadlineExceeded):
        registered.extend(
            ExtensionKind.DECISION, date(2026, 1, 6), "экспертиза", STAFF, NOW, deadlines
        )
    # 3 January 2026 is a Saturday: the two months end on Monday 5 January (R32).
    registered.extend(ExtensionKind.DECISION, date(2026, 1, 5), "экспертиза", STAFF, NOW, deadlines)
    assert registered.extension_kind is ExtensionKind.DECISION


def test_r23_applicant_is_told_within_3_working_days_of_extension(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    registered.extend(ExtensionKind.LETTER, date(2025, 12, 1), "запрос", STAFF, NOW, deadlines)
    assert registered.extension_notice_due == date(2025, 11, 6)


def test_r23_letter_then_decision_each_later_than_the_last(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    registered.extend(ExtensionKind.LETTER, date(2025, 12, 3), "запрос", STAFF, NOW, deadlines)
    with pytest.raises(ValidationFailed):
        registered.extend(ExtensionKind.DECISION, date(2025, 12, 3), "ещё", STAFF, NOW, deadlines)
    registered.extend(ExtensionKind.DECISION, date(2025, 12, 30), "ещё", STAFF, NOW, deadlines)
    assert registered.extended_until == date(2025, 12, 30)


def test_r23_extension_not_beyond_the_answer_term_is_refused(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    with pytest.raises(ValidationFailed):
        registered.extend(ExtensionKind.LETTER, date(2025, 11, 24), "запрос", STAFF, NOW, deadlines)


def test_r23_extension_needs_a_reason(registered: BookingRequest, deadlines: Deadlines) -> None:
    with pytest.raises(ValidationFailed):
        registered.extend(ExtensionKind.LETTER, date(2025, 12, 1), " ", STAFF, NOW, deadlines)


def test_r23_2020_profile_extends_only_by_decision() -> None:
    deadlines = rules_for("turkestan-2020")[2]
    request = new_request()
    request.register("2025-1", CITIZEN, NOW, deadlines)
    with pytest.raises(IllegalTransition):
        request.extend(ExtensionKind.LETTER, date(2025, 12, 1), "запрос", STAFF, NOW, deadlines)
    request.extend(ExtensionKind.DECISION, date(2025, 12, 1), "запрос", STAFF, NOW, deadlines)
    assert request.status is Status.EXTENDED


# -- R24: hearing before a refusal -------------------------------------------------------------


def test_r24_draft_refusal_goes_to_a_hearing(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    notices = registered.draft_refusal("вопрос решён судом", STAFF, NOW, deadlines)
    assert registered.status is Status.REFUSAL_DRAFT
    assert registered.draft_sent_on == date(2025, 11, 3)
    assert registered.refusal_earliest == date(2025, 11, 6)
    assert notices[0].kind is NoticeKind.HEARING
    assert notices[0].args == {
        "number": "2025-000100",
        "text": "вопрос решён судом",
        "until": date(2025, 11, 6),
    }


def test_r24_refusal_before_hearing_window_is_refused(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    registered.draft_refusal("проект", STAFF, NOW, deadlines)
    with pytest.raises(DeadlineNotReached) as refused:
        registered.refuse("отказ", STAFF, _at(date(2025, 11, 5), 18))
    assert refused.value.args_for_message["until"] == date(2025, 11, 6)
    assert registered.status is Status.REFUSAL_DRAFT


def test_r24_refusal_on_the_third_working_day_is_final_and_motivated(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    registered.slot_id = 5
    registered.draft_refusal("проект", STAFF, NOW, deadlines)
    notices = registered.refuse("решение суда от 1.09.2025", STAFF, _at(date(2025, 11, 6)))
    assert registered.status is Status.REFUSED and registered.is_final
    assert registered.final_answer == "решение суда от 1.09.2025"
    assert registered.slot_id is None and registered.closed_at == _at(date(2025, 11, 6))
    assert notices[0].kind is NoticeKind.REFUSED


def test_r24_refusal_without_a_draft_is_refused(registered: BookingRequest) -> None:
    with pytest.raises(IllegalTransition):
        registered.refuse("отказ", STAFF, LATER)


def test_r24_refusal_needs_a_motivation(registered: BookingRequest, deadlines: Deadlines) -> None:
    registered.draft_refusal("проект", STAFF, NOW, deadlines)
    with pytest.raises(ValidationFailed):
        registered.refuse("  ", STAFF, LATER)


def test_r24_upheld_objection_returns_to_review(
    registered: BookingRequest, deadlines: Deadlines
) -> None:
    registered.draft_refusal("проект", STAFF, NOW, deadlines)
    notices = registered.uphold_objection("новые документы", STAFF, NOW + timedelta(days=1))
    assert registered.status is Status.UNDER_REVIEW and registered.refusal_earliest is None
    assert _kinds(notices) == [NoticeKind.UNDER_REVIEW]


# -- booking, R12 rescheduling, the reception ----------------------------------------------------


def test_booked_applicant_is_told_when_and_where(registered: BookingRequest) -> None:
    registered.reception_format = ReceptionFormat.VIDEO
    notices = registered.book(5, WHEN, "https://vc.example/akim", STAFF, NOW)
    assert registered.status is Status.BOOKED and registered.slot_id == 5
    assert notices[0].args["when"] == WHEN
    assert notices[0].args["place"] == "https://vc.example/akim"
    assert notices[0].args["format"] == "video"


def test_r12_rescheduled_request_frees_its_slot_and_is_booked_again(
    registered: BookingRequest,
) -> None:
    registered.book(5, WHEN, "каб. 101", STAFF, NOW)
    notices = registered.reschedule("болезнь", STAFF, NOW)
    assert registered.status is Status.RESCHEDULED and registered.slot_id is None
    assert notices[0].args["reason"] == "болезнь"
    assert registered.is_active
    registered.book(6, WHEN + timedelta(days=7), "каб. 101", STAFF, NOW)
    assert registered.slot_id == 6


@pytest.mark.parametrize("mark", ["attend", "mark_no_show"])
def test_reception_outcome_cannot_be_marked_before_the_day(
    registered: BookingRequest, mark: str
) -> None:
    registered.book(5, WHEN, "каб. 101", STAFF, NOW)
    with pytest.raises(DeadlineNotReached):
        getattr(registered, mark)(STAFF, _at(date(2025, 11, 19)), date(2025, 11, 20))
    getattr(registered, mark)(STAFF, WHEN, date(2025, 11, 20))
    assert registered.status in (Status.ATTENDED, Status.NO_SHOW)


def test_no_show_is_final(registered: BookingRequest) -> None:
    registered.book(5, WHEN, "каб. 101", STAFF, NOW)
    registered.mark_no_show(STAFF, WHEN, WHEN.date())
    assert registered.is_final and not registered.is_active


# -- R26: closed only with the final answer ------------------------------------------------------


def _attended(request: BookingRequest) -> BookingRequest:
    request.book(5, WHEN, "каб. 101", STAFF, NOW)
    request.attend(STAFF, WHEN, WHEN.date())
    return request


def test_r26_close_requires_final_answer(registered: BookingRequest) -> None:
    request = _attended(registered)
    with pytest.raises(MissingFinalAnswer) as refused:
        request.close("  ", STAFF, LATER)
    assert refused.value.message_id == "error-final-answer-required"
    assert request.status is Status.ATTENDED


def test_r26_closed_with_the_final_answer(registered: BookingRequest) -> None:
    request = _attended(registered)
    notices = request.close("Ремонт дороги включён в план 2026 года", STAFF, LATER)
    assert request.status is Status.CLOSED and request.is_final
    assert request.final_answer == "Ремонт дороги включён в план 2026 года"
    assert request.closed_at == LATER
    assert notices[0].kind is NoticeKind.FINAL_ANSWER


def test_r26_close_before_the_reception_is_refused(registered: BookingRequest) -> None:
    with pytest.raises(IllegalTransition):
        registered.close("ответ", STAFF, LATER)


# -- R40: withdrawal -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_r40_withdraw_before_attended_allowed_after_refused(
    status: Status, deadlines: Deadlines
) -> None:
    request = new_request(slot_id=5)
    request.register("2025-1", CITIZEN, NOW, deadlines)
    request.status = status
    if status in ACTIVE_STATUSES or status is Status.DRAFT:
        notices = request.withdraw(CITIZEN, LATER, "решил сам")
        assert request.status is Status.WITHDRAWN and request.slot_id is None
        assert _kinds(notices) == [NoticeKind.WITHDRAWN]
        assert request.history[-1].note == "решил сам"
    else:  # attended, or already final
        with pytest.raises(IllegalTransition):
            request.withdraw(CITIZEN, LATER)


# -- R27, R28: requests handed in at a reception -------------------------------------------------


def test_r27_request_from_reception_is_marked(registered: BookingRequest) -> None:
    registered.assign_executor(31)
    new = request_from_reception(_attended(registered), "Прошу выделить участок")
    assert new.from_personal_reception is True
    assert new.source_request_id == 100
    assert new.status is Status.DRAFT and new.citizen_id == registered.citizen_id
    assert new.previous_executor_id == 31


def test_r28_executor_cannot_be_previous_worker(registered: BookingRequest) -> None:
    registered.assign_executor(31)
    new = request_from_reception(registered, "Прошу выделить участок")
    with pytest.raises(ExecutorNotAllowed):
        new.assign_executor(31)
    new.assign_executor(32)
    assert new.executor_id == 32


def test_r28_reassigning_twice_does_not_lift_the_bar(registered: BookingRequest) -> None:
    registered.assign_executor(31)
    new = request_from_reception(registered, "Прошу выделить участок")
    new.assign_executor(32)
    new.assign_executor(33)
    with pytest.raises(ExecutorNotAllowed):
        new.assign_executor(31)


def test_r28_an_ordinary_request_may_go_back_to_a_worker(registered: BookingRequest) -> None:
    registered.assign_executor(31)
    registered.assign_executor(32)
    registered.assign_executor(31)
    assert (registered.executor_id, registered.previous_executor_id) == (31, 32)


def test_profiles_under_test_are_all_shipped() -> None:
    assert {rules_for(name)[0].id for name in PROFILES} == set(PROFILES)
