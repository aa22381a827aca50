"""Protocols of receptions and their instructions under control (R14, R26, R31-R33)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from typing import Any

import pytest

from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.deadlines import ControlCategory, Deadlines
from reception.errors import DeadlineExceeded, IllegalTransition, ValidationFailed
from reception.protocol_rules import (
    add_instruction,
    add_item,
    complete_instruction,
    extend_instruction,
    instructions_due_soon,
    items_without_result,
    new_protocol,
    next_protocol_number,
    overdue,
)
from reception.protocols import Instruction, InstructionState, Protocol
from reception.requests import BookingRequest
from reception.schedule import ReceptionDay
from tests.unit.conftest import CITIZEN, NOW, STAFF, new_request

HELD_ON = date(2025, 11, 20)
ASSIGNED = date(2025, 11, 3)  # Monday


def _day(**changes: Any) -> ReceptionDay:
    reception_day = ReceptionDay(10, HELD_ON, time(10), time(13), "101 каб.", "каб. 101", id=3)
    return dataclasses.replace(reception_day, **changes)


def _attended(request_id: int, deadlines: Deadlines) -> BookingRequest:
    request = new_request(id=request_id)
    request.register(f"2025-{request_id}", CITIZEN, NOW, deadlines)
    when = datetime(2025, 11, 20, 10, tzinfo=ALMATY)
    request.book(request_id, when, "каб. 101", STAFF, NOW)
    request.attend(STAFF, when, HELD_ON)
    return request


def _protocol(number: int = 1) -> Protocol:
    return new_protocol(10, _day(), HELD_ON, number, chair="Әкім", secretary="Хатшы")


def _instruction(
    deadlines: Deadlines, category: ControlCategory = ControlCategory.URGENT
) -> Instruction:
    item = add_item(_protocol(), _attended(1, deadlines), "Жол жөндеу туралы")
    return add_instruction(
        item, "Жолаушылар көлігі бөлімі", "Жөндеу", category, ASSIGNED, deadlines
    )


# -- R33: numbering and date -----------------------------------------------------------------


def test_r33_protocol_is_dated_the_reception_day_and_numbered_in_its_year() -> None:
    protocol = _protocol(7)
    assert (protocol.held_on, protocol.year, protocol.number) == (HELD_ON, 2025, 7)
    assert protocol.reception_day_id == 3 and protocol.official_id == 10
    assert (protocol.chair, protocol.secretary) == ("Әкім", "Хатшы")


def test_r33_numbering_starts_again_each_calendar_year() -> None:
    last_year = [new_protocol(10, None, date(2025, d, 1), n) for n, d in ((1, 3), (2, 12))]
    assert next_protocol_number(last_year, date(2025, 12, 30)) == 3
    assert next_protocol_number(last_year, date(2026, 1, 15)) == 1
    january = new_protocol(10, None, date(2026, 1, 15), 1)
    assert january.year == 2026


def test_r33_protocol_of_a_reception_day_must_carry_its_date() -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_protocol(10, _day(), date(2025, 11, 21), 1)
    assert refused.value.message_id == "error-protocol-date"


@pytest.mark.parametrize(
    ("official_id", "day", "number", "message_id"),
    [
        (11, _day(), 1, "error-protocol-official"),
        (10, _day(cancelled_at=NOW), 1, "error-day-cancelled"),
        (10, _day(), 0, "error-protocol-number"),
    ],
)
def test_r33_protocol_is_refused_for_another_official_a_cancelled_day_or_number_0(
    official_id: int, day: ReceptionDay, number: int, message_id: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        new_protocol(official_id, day, HELD_ON, number)
    assert refused.value.message_id == message_id


# -- R14: items ----------------------------------------------------------------------------------


def test_r14_item_records_heard_spoke_decided(deadlines: Deadlines) -> None:
    protocol = _protocol()
    item = add_item(
        protocol, _attended(1, deadlines), "Жол жөндеу", "Жөнделеді", spoke="Бөлім басшысы"
    )
    assert protocol.items == [item]
    assert (item.request_id, item.heard, item.spoke, item.decision) == (
        1,
        "Жол жөндеу",
        "Бөлім басшысы",
        "Жөнделеді",
    )


def test_r14_only_an_attended_reception_goes_into_the_protocol(deadlines: Deadlines) -> None:
    booked = new_request(id=2)
    booked.register("2025-2", CITIZEN, NOW, deadlines)
    with pytest.raises(IllegalTransition):
        add_item(_protocol(), booked, "вопрос")


@pytest.mark.parametrize(
    ("change", "message_id"),
    [
        ({"official_id": 11}, "error-protocol-official"),
        ({"id": None}, "error-protocol-request-unsaved"),
    ],
)
def test_r14_item_for_another_official_or_unsaved_request_is_refused(
    deadlines: Deadlines, change: dict, message_id: str
) -> None:
    request = _attended(1, deadlines)
    for name, value in change.items():
        setattr(request, name, value)
    with pytest.raises(ValidationFailed) as refused:
        add_item(_protocol(), request, "вопрос")
    assert refused.value.message_id == message_id


def test_r14_one_item_per_request_and_heard_is_required(deadlines: Deadlines) -> None:
    protocol = _protocol()
    request = _attended(1, deadlines)
    with pytest.raises(ValidationFailed):
        add_item(protocol, request, "  ")
    add_item(protocol, request, "вопрос")
    with pytest.raises(ValidationFailed):
        add_item(protocol, request, "вопрос снова")


def test_r14_item_needs_a_decision_or_an_instruction(deadlines: Deadlines) -> None:
    protocol = _protocol()
    decided = add_item(protocol, _attended(1, deadlines), "вопрос", "разъяснено")
    pending = add_item(protocol, _attended(2, deadlines), "вопрос")
    assert items_without_result(protocol) == [pending]
    add_instruction(pending, "Бөлім", "Жауап беру", "urgent", ASSIGNED, deadlines)
    assert items_without_result(protocol) == []
    assert decided.instructions == []


# -- R31, R32: control terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "due"),
    [
        (ControlCategory.VERY_URGENT, date(2025, 11, 6)),  # 3 working days
        (ControlCategory.URGENT, date(2025, 11, 17)),  # 10 working days
        (ControlCategory.SHORT, date(2025, 12, 3)),  # a month
        (ControlCategory.MEDIUM, date(2026, 5, 4)),  # six months; 3 May 2026 is a Sunday
        (ControlCategory.LONG, date(2026, 11, 3)),
        (ControlCategory.NONE, date(2025, 12, 3)),  # no term given: one month
    ],
)
def test_r31_term_comes_from_the_control_category(
    deadlines: Deadlines, category: ControlCategory, due: date
) -> None:
    instruction = _instruction(deadlines, category)
    assert instruction.due == due
    assert instruction.control_category == str(category)
    assert instruction.state is InstructionState.ON_CONTROL and not instruction.extended_once


def test_r31_explicit_term_is_kept_and_r32_moves_a_day_off(deadlines: Deadlines) -> None:
    item = add_item(_protocol(), _attended(1, deadlines), "вопрос")
    kept = add_instruction(item, "Бөлім", "a", "short", ASSIGNED, deadlines, date(2025, 11, 25))
    moved = add_instruction(item, "Бөлім", "b", "short", ASSIGNED, deadlines, date(2025, 11, 29))
    assert kept.due == date(2025, 11, 25)
    assert moved.due == date(2025, 12, 1)  # Saturday 29 November ends on Monday (R32)
    assert item.instructions == [kept, moved]


def test_r31_explicit_term_outside_the_category_is_refused(deadlines: Deadlines) -> None:
    item = add_item(_protocol(), _attended(1, deadlines), "вопрос")
    with pytest.raises(ValidationFailed):
        add_instruction(item, "Бөлім", "a", "very-urgent", ASSIGNED, deadlines, date(2025, 12, 1))


@pytest.mark.parametrize(("executor", "text"), [(" ", "жауап беру"), ("Бөлім", "")])
def test_r14_instruction_needs_executor_and_text(
    deadlines: Deadlines, executor: str, text: str
) -> None:
    item = add_item(_protocol(), _attended(1, deadlines), "вопрос")
    with pytest.raises(ValidationFailed):
        add_instruction(item, executor, text, "urgent", ASSIGNED, deadlines)


def test_r31_term_is_extended_at_most_once(deadlines: Deadlines) -> None:
    instruction = _instruction(deadlines)  # due 17 November
    assert extend_instruction(instruction, date(2025, 11, 29), deadlines) == date(2025, 12, 1)
    assert instruction.due == date(2025, 12, 1) and instruction.extended_once
    with pytest.raises(DeadlineExceeded):
        extend_instruction(instruction, date(2025, 12, 10), deadlines)
    assert instruction.due == date(2025, 12, 1)


def test_r31_extension_must_move_the_term_later(deadlines: Deadlines) -> None:
    instruction = _instruction(deadlines)
    with pytest.raises(ValidationFailed):
        extend_instruction(instruction, date(2025, 11, 17), deadlines)
    assert not instruction.extended_once


# -- R26: control until the result ---------------------------------------------------------------


def test_r26_instruction_leaves_control_only_with_a_result(deadlines: Deadlines) -> None:
    instruction = _instruction(deadlines)
    with pytest.raises(ValidationFailed):
        complete_instruction(instruction, " ", NOW)
    assert instruction.state is InstructionState.ON_CONTROL
    complete_instruction(instruction, "Жол жөнделді, хат жіберілді", NOW)
    assert instruction.state is InstructionState.DONE
    assert (instruction.result, instruction.done_at) == ("Жол жөнделді, хат жіберілді", NOW)


def test_r26_done_instruction_is_neither_completed_nor_extended_again(deadlines: Deadlines) -> None:
    instruction = _instruction(deadlines)
    complete_instruction(instruction, "орындалды", NOW)
    with pytest.raises(IllegalTransition):
        complete_instruction(instruction, "тағы", NOW)
    with pytest.raises(IllegalTransition):
        extend_instruction(instruction, date(2025, 12, 10), deadlines)


def _on_control(due: date, state: InstructionState = InstructionState.ON_CONTROL) -> Instruction:
    return Instruction("Бөлім", "тапсырма", "urgent", due, state=state)


def test_r31_executors_are_reminded_3_working_days_before(calendar: WorkingCalendar) -> None:
    today = date(2025, 11, 13)  # Thursday
    due_tue, due_wed = _on_control(date(2025, 11, 18)), _on_control(date(2025, 11, 19))
    due_today, past = _on_control(today), _on_control(date(2025, 11, 12))
    done = _on_control(date(2025, 11, 14), InstructionState.DONE)
    found = instructions_due_soon([due_wed, due_tue, due_today, past, done], today, calendar)
    assert found == [due_today, due_tue]  # Fri, Mon, Tue are the 3 working days
    assert instructions_due_soon([due_wed], today, calendar, days=4) == [due_wed]


def test_r31_overdue_instructions_most_overdue_first() -> None:
    today = date(2025, 11, 13)
    late, later = _on_control(date(2025, 11, 12)), _on_control(date(2025, 11, 3))
    done = _on_control(date(2025, 11, 1), InstructionState.DONE)
    assert overdue([late, _on_control(today), done, later], today) == [later, late]


def test_r26_request_closed_only_with_the_final_answer(deadlines: Deadlines) -> None:
    # The instructions are done, but the request is closed by the answer sent to the applicant.
    request = _attended(1, deadlines)
    instruction = _instruction(deadlines)
    complete_instruction(instruction, "орындалды", NOW)
    assert request.is_active is False and request.is_final is False
    request.close("Жол 2026 жылы жөнделеді", STAFF, datetime(2025, 12, 1, 10, tzinfo=ALMATY))
    assert request.is_final
