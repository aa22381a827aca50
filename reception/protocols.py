"""Protocols of receptions and their instructions under control (R14, R26, R31, R33)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class InstructionState(StrEnum):
    ON_CONTROL = "on_control"
    DONE = "done"  # final answer given (R26)


@dataclass(slots=True)
class Instruction:
    executor: str  # a body or a person, as written in the protocol
    text: str
    control_category: str  # reception.deadlines.ControlCategory value
    due: date
    id: int | None = None
    item_id: int | None = None
    executor_user_id: int | None = None
    extended_once: bool = False  # R31: at most one extension
    state: InstructionState = InstructionState.ON_CONTROL
    done_at: datetime | None = None
    result: str | None = None


@dataclass(slots=True)
class ProtocolItem:
    request_id: int
    heard: str  # СЛУШАЛИ
    spoke: str = ""  # ВЫСТУПИЛИ
    decision: str = ""  # ПОСТАНОВИЛИ
    id: int | None = None
    protocol_id: int | None = None
    instructions: list[Instruction] = field(default_factory=list)


@dataclass(slots=True)
class Protocol:
    official_id: int
    reception_day_id: int | None
    held_on: date  # R33: the date of the protocol is the date of the meeting
    year: int
    number: int  # R33: numbered within the calendar year
    id: int | None = None
    chair: str = ""
    secretary: str = ""
    place: str = ""
    created_by: int | None = None
    items: list[ProtocolItem] = field(default_factory=list)
