"""Recording a reception in a protocol and controlling its instructions (R14, R26, R31-R33)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from reception.calendar import WorkingCalendar
from reception.deadlines import ControlCategory, Deadlines
from reception.errors import IllegalTransition, ValidationFailed
from reception.protocols import Instruction, InstructionState, Protocol, ProtocolItem
from reception.requests import BookingRequest, Status
from reception.schedule import ReceptionDay

# R14: only a reception that took place has results to record.
_HEARD_STATUSES = frozenset({Status.ATTENDED, Status.CLOSED})


def next_protocol_number(protocols: Iterable[Protocol], held_on: date) -> int:
    """R33: protocols are numbered within the calendar year, from 1."""
    return 1 + max((p.number for p in protocols if p.year == held_on.year), default=0)


def new_protocol(
    official_id: int,
    day: ReceptionDay | None,
    held_on: date,
    number: int,
    *,
    chair: str = "",
    secretary: str = "",
    place: str = "",
    created_by: int | None = None,
) -> Protocol:
    """R33: dated the day of the meeting, numbered within its year (the year comes from
    `held_on`, so the first protocol of January is number 1 again). A protocol of a
    scheduled day must be dated that day and be for that day's official."""
    if number < 1:
        raise ValidationFailed("error-protocol-number", number=number)
    if day is not None:
        if day.cancelled_at is not None:
            raise ValidationFailed("error-day-cancelled", day=day.day)
        if day.day != held_on:
            raise ValidationFailed("error-protocol-date", day=day.day)
        if day.official_id != official_id:
            raise ValidationFailed("error-protocol-official")
    return Protocol(
        official_id=official_id,
        reception_day_id=day.id if day is not None else None,
        held_on=held_on,
        year=held_on.year,
        number=number,
        chair=chair,
        secretary=secretary,
        place=place,
        created_by=created_by,
    )


def add_item(
    protocol: Protocol, request: BookingRequest, heard: str, decision: str = "", spoke: str = ""
) -> ProtocolItem:
    """R14, R33: one item per applicant heard — СЛУШАЛИ, ВЫСТУПИЛИ, ПОСТАНОВИЛИ. The
    decision may wait for instructions (`add_instruction`); `items_without_result` finds
    items that have neither."""
    if request.id is None:
        raise ValidationFailed("error-protocol-request-unsaved")
    if request.status not in _HEARD_STATUSES:
        raise IllegalTransition(from_status=str(request.status), to_status="protocol-item")
    if request.official_id != protocol.official_id:
        raise ValidationFailed("error-protocol-official")
    if any(item.request_id == request.id for item in protocol.items):
        raise ValidationFailed("error-protocol-item-exists", request_id=request.id)
    if not heard.strip():
        raise ValidationFailed("error-protocol-heard-empty")
    item = ProtocolItem(
        request_id=request.id,
        heard=heard,
        spoke=spoke,
        decision=decision,
        protocol_id=protocol.id,
    )
    protocol.items.append(item)
    return item


def items_without_result(protocol: Protocol) -> list[ProtocolItem]:
    """R14: every item needs the decision taken or instructions with concrete terms."""
    return [i for i in protocol.items if not i.decision.strip() and not i.instructions]


def add_instruction(
    item: ProtocolItem,
    executor: str,
    text: str,
    category: ControlCategory | str,
    assigned_on: date,
    deadlines: Deadlines,
    explicit_due: date | None = None,
) -> Instruction:
    """R14, R31: an instruction with a concrete term — from its control category, or an
    explicit date within the category's range; R32 moves a non-working last day forward."""
    if not executor.strip():
        raise ValidationFailed("error-instruction-executor-empty")
    if not text.strip():
        raise ValidationFailed("error-instruction-text-empty")
    category = ControlCategory(category)
    due = deadlines.control_term(category, assigned_on, explicit=explicit_due)
    instruction = Instruction(
        executor=executor, text=text, control_category=str(category), due=due, item_id=item.id
    )
    item.instructions.append(instruction)
    return instruction


def extend_instruction(instruction: Instruction, new_due: date, deadlines: Deadlines) -> date:
    """R31: a term is extended at most once, to a later date (R32 applies). Returns it."""
    if instruction.state != InstructionState.ON_CONTROL:
        raise IllegalTransition(from_status=str(instruction.state), to_status="extended")
    term = deadlines.extend_control_term(instruction.due, new_due, instruction.extended_once)
    instruction.due = term
    instruction.extended_once = True
    return term


def complete_instruction(instruction: Instruction, result: str, at: datetime) -> None:
    """R26: taken off control only with the result reported (the final answer)."""
    if at.tzinfo is None:
        raise ValueError("complete_instruction needs an aware datetime")
    if not result.strip():
        raise ValidationFailed("error-instruction-result-empty")
    if instruction.state != InstructionState.ON_CONTROL:
        raise IllegalTransition(from_status=str(instruction.state), to_status="done")
    instruction.state = InstructionState.DONE
    instruction.result = result
    instruction.done_at = at


def instructions_due_soon(
    instructions: Iterable[Instruction], today: date, calendar: WorkingCalendar, days: int = 3
) -> list[Instruction]:
    """R31: on control and due within `days` working days (today included), soonest first —
    the executors to remind."""
    return sorted(
        (
            i
            for i in instructions
            if i.state == InstructionState.ON_CONTROL
            and i.due >= today
            and calendar.working_days_between(today, i.due) <= days
        ),
        key=lambda i: i.due,
    )


def overdue(instructions: Iterable[Instruction], today: date) -> list[Instruction]:
    """On control past their term, most overdue first."""
    return sorted(
        (i for i in instructions if i.state == InstructionState.ON_CONTROL and i.due < today),
        key=lambda i: i.due,
    )
