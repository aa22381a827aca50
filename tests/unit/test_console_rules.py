"""The console's rules outside the views: which actions a request card offers (checked against
the state machine itself), and the requests list's search and working days left (R21, R32)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from reception.actors import Actor
from reception.calendar import WorkingCalendar
from reception.clock import ALMATY, FixedClock
from reception.errors import IllegalTransition
from reception.profile import load_profile
from reception.requests import ACTIVE_STATUSES, BookingRequest, Channel, ExtensionKind, Status
from reception.services.context import Rules
from reception.services.request_card import AVAILABLE, offered_actions
from reception.services.request_list import (
    Cursor,
    ListQuery,
    SearchKind,
    classify_search,
    colour_of,
    criteria_for,
    working_days_left,
)

AT = datetime(2026, 2, 11, 10, 0, tzinfo=ALMATY)
STAFF = Actor.staff(1)
RULES = Rules.build(load_profile("typical-2023"), FixedClock(AT))


def request_in(status: Status) -> BookingRequest:
    return BookingRequest(
        citizen_id=1,
        official_id=1,
        channel=Channel.TELEGRAM,
        question="Жол жөндеу",
        applicant_name="Тест",
        applicant_iin="900101300001",
        status=status,
        number="2026-000001",
        registration_date=date(2026, 2, 2),
        answer_due=date(2026, 2, 20),
    )


DOMAIN: dict[str, Callable[[BookingRequest], Any]] = {
    "book": lambda r: r.book(1, AT, "Акимат", STAFF, AT),
    "start_review": lambda r: r.start_review(STAFF, AT),
    "request_fix": lambda r: r.request_fix(["подпись"], STAFF, AT, RULES.deadlines),
    "fix_received": lambda r: r.fix_received(STAFF, AT),
    "return_unfixed": lambda r: r.return_unfixed(STAFF, AT),
    "forward": lambda r: r.forward("Министерство", STAFF, AT),
    "extend": lambda r: r.extend(
        ExtensionKind.LETTER, date(2026, 2, 27), "сложно", STAFF, AT, RULES.deadlines
    ),
    "leave_without_consideration": lambda r: r.leave_without_consideration(STAFF, AT),
    "draft_refusal": lambda r: r.draft_refusal("нет", STAFF, AT, RULES.deadlines),
    "refuse": lambda r: r.refuse("нет", STAFF, AT),
    "uphold_objection": lambda r: r.uphold_objection("да", STAFF, AT),
    "attend": lambda r: r.attend(STAFF, AT, AT.date()),
    "no_show": lambda r: r.mark_no_show(STAFF, AT, AT.date()),
    "close": lambda r: r.close("ответ", STAFF, AT),
    "withdraw": lambda r: r.withdraw(STAFF, AT),
}


def domain_admits(action: str, status: Status) -> bool:
    if action == "invite":  # not a transition: R13 invitations while the request is live
        return status in ACTIVE_STATUSES
    try:
        DOMAIN[action](request_in(status))
    except IllegalTransition:
        return False
    return True


@pytest.mark.parametrize("action", sorted(AVAILABLE))
def test_the_card_offers_an_action_exactly_in_the_statuses_the_state_machine_admits(
    action: str,
) -> None:
    statuses = [s for s in Status if s is not Status.DRAFT]

    offered = {s for s in statuses if s in AVAILABLE[action]}
    admitted = {s for s in statuses if domain_admits(action, s)}

    assert offered == admitted


def test_r24_refusal_is_offered_disabled_until_the_hearing_window_ends() -> None:
    request = request_in(Status.REFUSAL_DRAFT)
    request.refusal_earliest = date(2026, 2, 16)

    refuse = offered_actions(request, RULES, date(2026, 2, 13), None)["refuse"]
    later = offered_actions(request, RULES, date(2026, 2, 16), None)["refuse"]

    assert (refuse.enabled, refuse.opens_on) == (False, date(2026, 2, 16))
    assert later.enabled


def test_r23_no_extension_is_offered_once_the_two_month_limit_is_reached() -> None:
    request = request_in(Status.EXTENDED)
    request.extended_until = RULES.deadlines.extension_decision_limit(date(2026, 2, 2))

    assert "extend" not in offered_actions(request, RULES, AT.date(), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101300001", ("900101300001", SearchKind.IIN)),
        ("9001 0130 0001", ("900101300001", SearchKind.IIN)),
        ("2026-17", ("2026-000017", SearchKind.NUMBER)),
        ("  Әлиева  ГҮЛНАР ", ("әлиева гүлнар", SearchKind.NAME)),
        ("", (None, None)),
    ],
)
def test_search_text_is_read_as_iin_number_or_name(text: str, expected: tuple) -> None:
    assert classify_search(text) == expected


def test_r21_r32_working_days_left_skip_weekends_and_holidays() -> None:
    calendar = WorkingCalendar(load_profile("typical-2023"))
    today = date(2026, 3, 19)  # Thursday before Nauryz (off 21-25 March 2026)

    assert working_days_left(calendar, today, date(2026, 3, 26)) == 2  # 20 and 26 March
    assert working_days_left(calendar, today, today) == 0
    assert working_days_left(calendar, today, date(2026, 3, 18)) == -1


@pytest.mark.parametrize(
    ("days", "colour"),
    [(-2, "red"), (0, "red"), (1, "red"), (2, "amber"), (5, "amber"), (6, "green")],
)
def test_colours_of_the_working_days_left(days: int, colour: str) -> None:
    assert colour_of(days) == colour


def test_due_within_counts_working_days_and_an_official_is_held_to_their_own() -> None:
    query = ListQuery(due_within=3, official_id=9)

    criteria = criteria_for(query, RULES, date(2026, 2, 12), scope=4)  # a Thursday

    assert criteria.due_on_or_before == date(2026, 2, 17)  # Fri, Mon, Tue
    assert criteria.official_id == 4


def test_a_cursor_survives_the_address_bar_and_garbage_is_ignored() -> None:
    cursor = Cursor(date(2026, 2, 20), 17)

    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode("2026-13-01.4") is None
    assert Cursor.decode("x") is None
