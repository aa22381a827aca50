"""Use cases of the protocol of a reception and the control of its instructions
(R14, R26, R31, R33). The rules themselves live in `reception.protocol_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol as Interface

from reception.actors import Actor
from reception.clock import local_date
from reception.deadlines import ControlCategory
from reception.errors import NotFound, ValidationFailed
from reception.ports import UnitOfWork
from reception.protocol_rules import (
    add_instruction,
    add_item,
    complete_instruction,
    extend_instruction,
    items_without_result,
    new_protocol,
)
from reception.protocols import Instruction, InstructionState, Protocol
from reception.requests import BookingRequest, Status
from reception.services.context import Rules
from reception.services.requests import apply_transition

# R31: executors are reminded 3 working days before the term; the control page lists those.
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True, slots=True)
class InstructionDraft:
    executor: str
    text: str
    category: ControlCategory
    explicit_due: date | None = None  # within the category's range (R31)


@dataclass(frozen=True, slots=True)
class ItemDraft:
    request_id: int
    heard: str  # СЛУШАЛИ
    spoke: str = ""  # ВЫСТУПИЛИ
    decision: str = ""  # ПОСТАНОВИЛИ
    instructions: Sequence[InstructionDraft] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ProtocolHeader:
    chair: str
    secretary: str
    place: str
    attendees: Sequence[str] = ()  # R25: e.g. the head of the apparatus, district akims


class AttendeeStore(Interface):
    """Where the persons present are kept (storage: `protocol_attendees`)."""

    async def add_attendees(self, protocol_id: int, names: Sequence[str]) -> None: ...


async def record_protocol(
    uow: UnitOfWork,
    rules: Rules,
    reception_day_id: int,
    header: ProtocolHeader,
    items: Sequence[ItemDraft],
    actor: Actor,
    attendee_store: AttendeeStore,
) -> Protocol:
    """R14, R33: one protocol per reception day, dated that day, numbered within its year;
    an item per applicant heard, each with a decision or instructions with concrete terms."""
    day = await uow.schedule.get_day(reception_day_id)
    if await uow.protocols.for_day(reception_day_id) is not None:
        raise ValidationFailed("error-protocol-exists", day=day.day)
    if not items:
        raise ValidationFailed("error-protocol-no-items")
    if not header.chair.strip() or not header.secretary.strip():
        raise ValidationFailed("error-protocol-signatures")  # R33: chair and secretary sign
    number = await uow.protocols.next_number(day.day.year)
    protocol = new_protocol(
        day.official_id,
        day,
        day.day,
        number,
        chair=header.chair.strip(),
        secretary=header.secretary.strip(),
        place=header.place.strip(),
        created_by=actor.id,
    )
    for draft in items:
        request = await uow.requests.get(draft.request_id)
        item = add_item(protocol, request, draft.heard, draft.decision, draft.spoke)
        for instruction in draft.instructions:
            add_instruction(
                item,
                instruction.executor,
                instruction.text,
                instruction.category,
                day.day,
                rules.deadlines,
                instruction.explicit_due,
            )
    if items_without_result(protocol):
        raise ValidationFailed("error-protocol-item-no-result")  # R14
    stored = await uow.protocols.add(protocol)
    assert stored.id is not None
    names = [name.strip() for name in header.attendees if name.strip()]
    await attendee_store.add_attendees(stored.id, names)
    await uow.audit.record(
        actor,
        "protocol.record",
        rules.clock.now(),
        "protocol",
        str(stored.id),
        details={"number": stored.number, "year": stored.year, "items": len(stored.items)},
    )
    return stored


def _instruction(protocol: Protocol, instruction_id: int) -> Instruction:
    for item in protocol.items:
        for instruction in item.instructions:
            if instruction.id == instruction_id:
                return instruction
    raise NotFound()


async def extend_protocol_instruction(
    uow: UnitOfWork,
    rules: Rules,
    protocol_id: int,
    instruction_id: int,
    new_due: date,
    actor: Actor,
) -> Instruction:
    """R31: a term is extended at most once, to a later date (R32)."""
    protocol = await uow.protocols.get(protocol_id)
    instruction = _instruction(protocol, instruction_id)
    before = instruction.due
    extend_instruction(instruction, new_due, rules.deadlines)
    await uow.protocols.save_instruction(instruction)
    await uow.audit.record(
        actor,
        "instruction.extend",
        rules.clock.now(),
        "instruction",
        str(instruction_id),
        details={"from": before.isoformat(), "to": instruction.due.isoformat()},
    )
    return instruction


async def complete_protocol_instruction(
    uow: UnitOfWork,
    rules: Rules,
    protocol_id: int,
    instruction_id: int,
    result: str,
    actor: Actor,
) -> Instruction:
    """R26: off control only with its result reported."""
    protocol = await uow.protocols.get(protocol_id)
    instruction = _instruction(protocol, instruction_id)
    complete_instruction(instruction, result, rules.clock.now())
    await uow.protocols.save_instruction(instruction)
    await uow.audit.record(
        actor, "instruction.complete", rules.clock.now(), "instruction", str(instruction_id)
    )
    return instruction


async def close_with_final_answer(
    uow: UnitOfWork,
    rules: Rules,
    protocol_id: int,
    request_id: int,
    final_answer: str,
    actor: Actor,
) -> BookingRequest:
    """R26: the request leaves control only with the final motivated answer to the applicant;
    its instructions still on control are completed with that answer, which is their result."""
    protocol = await uow.protocols.get(protocol_id)
    item = next((i for i in protocol.items if i.request_id == request_id), None)
    if item is None:
        raise NotFound()
    request = await apply_transition(
        uow, rules, request_id, "close", actor, final_answer=final_answer
    )
    now = rules.clock.now()
    for instruction in item.instructions:
        if instruction.state is InstructionState.ON_CONTROL:
            complete_instruction(instruction, final_answer, now)
            await uow.protocols.save_instruction(instruction)
    return request


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """An instruction on control, with what the control page shows beside it."""

    instruction: Instruction
    protocol_id: int
    protocol_number: int
    protocol_year: int
    request_id: int
    request_number: str | None
    applicant_name: str


class ControlQueries(Interface):
    async def on_control(self, due_until: date) -> list[ControlEntry]:
        """Instructions on control due on or before `due_until`, soonest first."""
        ...


@dataclass(frozen=True, slots=True)
class ControlLists:
    today: date
    due_soon: list[ControlEntry]  # R31: within 3 working days (today included)
    overdue: list[ControlEntry]


async def control_lists(queries: ControlQueries, rules: Rules) -> ControlLists:
    """R26, R31: what the reception staff chase today."""
    today = local_date(rules.clock.now())
    until = rules.calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    entries = await queries.on_control(until)
    overdue = [e for e in entries if e.instruction.due < today]
    due_soon = [e for e in entries if e.instruction.due >= today]
    return ControlLists(today, due_soon, overdue)


def attended_for_protocol(requests: Sequence[BookingRequest]) -> list[BookingRequest]:
    """The applicants a protocol records: those whose reception took place (R14)."""
    return [r for r in requests if r.status in (Status.ATTENDED, Status.CLOSED)]
