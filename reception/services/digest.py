"""The reception staff's daily digest (R21, R17, R24, R26, R31): what is due within 3 working
days and what is overdue, on the console page and in the staff's linked Telegram chats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from reception.clock import local_date
from reception.requests import ACTIVE_STATUSES, Status
from reception.services.context import Rules
from reception.services.protocols import ControlQueries

DUE_SOON_WORKING_DAYS = 3  # R31 (004 §157): reminded 3 working days before the term
# R21: the date and time of reception (the "answer") is still owed in these.
ANSWER_PENDING: frozenset[Status] = ACTIVE_STATUSES - {Status.BOOKED}


@dataclass(frozen=True, slots=True)
class DeadlineItem:
    """One line of the digest: a request (or an instruction on it) and its term."""

    request_id: int
    number: str
    applicant_name: str
    due: date
    detail: str = ""  # an instruction's executor and text


class DeadlineQueries(Protocol):
    async def answers_due(self, statuses: Sequence[Status], until: date) -> list[DeadlineItem]:
        """Requests in `statuses` whose answer term (R21, moved by an extension, R23) is on
        or before `until`, soonest first."""
        ...

    async def fixes_due(self, until: date) -> list[DeadlineItem]:
        """R17: requests awaiting a fix whose period ends on or before `until`."""
        ...

    async def hearings_due(self, until: date) -> list[DeadlineItem]:
        """R24: draft refusals whose objection window ends on or before `until`."""
        ...


@dataclass(slots=True)
class Digest:
    day: date
    until: date  # "within 3 working days" ends on this day
    answers_due: list[DeadlineItem] = field(default_factory=list)
    answers_overdue: list[DeadlineItem] = field(default_factory=list)
    instructions_due: list[DeadlineItem] = field(default_factory=list)
    instructions_overdue: list[DeadlineItem] = field(default_factory=list)
    fixes_ending: list[DeadlineItem] = field(default_factory=list)
    hearings_ending: list[DeadlineItem] = field(default_factory=list)

    SECTIONS = (
        "answers_overdue",
        "answers_due",
        "instructions_overdue",
        "instructions_due",
        "fixes_ending",
        "hearings_ending",
    )

    def sections(self) -> list[tuple[str, list[DeadlineItem]]]:
        return [(name, getattr(self, name)) for name in self.SECTIONS]

    @property
    def is_empty(self) -> bool:
        return not any(items for _, items in self.sections())


async def build_digest(
    deadlines: DeadlineQueries, control: ControlQueries, rules: Rules, day: date | None = None
) -> Digest:
    today = day if day is not None else local_date(rules.clock.now())
    until = rules.calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    digest = Digest(today, until)
    for item in await deadlines.answers_due(sorted(ANSWER_PENDING), until):
        (digest.answers_overdue if item.due < today else digest.answers_due).append(item)
    for entry in await control.on_control(until):  # R26, R31
        instruction = entry.instruction
        item = DeadlineItem(
            entry.request_id,
            entry.request_number or "",
            entry.applicant_name,
            instruction.due,
            f"{instruction.executor}: {instruction.text}",
        )
        overdue = instruction.due < today
        (digest.instructions_overdue if overdue else digest.instructions_due).append(item)
    digest.fixes_ending = await deadlines.fixes_due(until)
    digest.hearings_ending = await deadlines.hearings_due(until)
    return digest
