"""Read queries of the console's operations screens: the live tail of messages, the operators'
inbox, instructions on control (R26, R31) and the applicants' satisfaction scores (R29).

Built over a unit of work's connection: `ConsoleOpsQueries(uow.connection)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select

from reception.ports import Conversation, MessageRecord
from reception.protocols import Instruction, InstructionState
from reception.services.protocols import ControlEntry
from storage.repositories._base import Repository, build, columns
from storage.tables import (
    citizens,
    conversations,
    in_operator_mode,
    instructions,
    messages,
    protocol_items,
    protocols,
    requests,
    staff_users,
)
from storage.tables_console_ops import protocol_attendees, satisfaction

OPERATOR_MODE = "operator"
TAIL_BATCH = 500
_INSTRUCTION_COLUMNS = [instructions.c[name] for name in ("id", *columns(instructions))]


@dataclass(frozen=True, slots=True)
class InboxRow:
    conversation: Conversation
    language: str | None  # the citizen's, when known
    citizen_name: str | None
    operator_name: str | None


class ConsoleOpsQueries(Repository):
    __slots__ = ()

    # -- the live tail (console/live.py) --------------------------------------------------

    async def messages_after(
        self, after_id: int, limit: int = TAIL_BATCH
    ) -> list[tuple[int, int | None, bool]]:
        """(id, conversation id, chat with operators?) of messages newer than `after_id`:
        a primary-key range, each joined to its conversation by key."""
        statement = (
            select(
                messages.c.id,
                messages.c.conversation_id,
                (conversations.c.mode == OPERATOR_MODE).label("with_operators"),
            )
            .select_from(
                messages.outerjoin(conversations, conversations.c.id == messages.c.conversation_id)
            )
            .where(messages.c.id > after_id)
            .order_by(messages.c.id)
            .limit(limit)
        )
        return [
            (row.id, row.conversation_id, bool(row.with_operators))
            for row in await self.conn.execute(statement)
        ]

    async def latest_message_id(self) -> int:
        return (await self.conn.execute(select(func.max(messages.c.id)))).scalar_one() or 0

    async def conversation_messages_after(
        self, conversation_id: int, after_id: int, limit: int = 200
    ) -> list[MessageRecord]:
        statement = (
            select(messages)
            .where(messages.c.conversation_id == conversation_id, messages.c.id > after_id)
            .order_by(messages.c.id)
            .limit(limit)
        )
        return [
            build(MessageRecord, row) for row in (await self.conn.execute(statement)).mappings()
        ]

    async def last_outgoing(self, conversation_id: int, up_to_id: int) -> MessageRecord | None:
        """The chat's last message out at or before `up_to_id` (the buttons it offered)."""
        statement = (
            select(messages)
            .where(
                messages.c.conversation_id == conversation_id,
                messages.c.id <= up_to_id,
                messages.c.direction == "out",
            )
            .order_by(messages.c.id.desc())
            .limit(1)
        )
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(MessageRecord, row)

    # -- the operators' inbox ---------------------------------------------------------------

    async def inbox(self, limit: int = 200) -> list[InboxRow]:
        """Chats handed to operators: waiting (nobody claimed) first, then oldest first."""
        waiting_last = (conversations.c.operator_id.is_not(None)).label("claimed")
        statement = (
            select(
                conversations,
                citizens.c.language.label("citizen_language"),
                citizens.c.full_name.label("citizen_name"),
                staff_users.c.full_name.label("operator_name"),
            )
            .select_from(
                conversations.outerjoin(
                    citizens, citizens.c.id == conversations.c.citizen_id
                ).outerjoin(staff_users, staff_users.c.id == conversations.c.operator_id)
            )
            .where(in_operator_mode(conversations))
            .order_by(waiting_last, conversations.c.updated_at, conversations.c.id)
            .limit(limit)
        )
        rows = []
        for row in (await self.conn.execute(statement)).mappings():
            values = {name: row[name] for name in conversations.c.keys()}
            rows.append(
                InboxRow(
                    build(Conversation, values),
                    row["citizen_language"],
                    row["citizen_name"],
                    row["operator_name"],
                )
            )
        return rows

    # -- instructions on control (R26, R31) ------------------------------------------------------

    async def on_control(self, due_until: date) -> list[ControlEntry]:
        statement = (
            select(
                *_INSTRUCTION_COLUMNS,
                protocols.c.id.label("protocol_id"),
                protocols.c.number.label("protocol_number"),
                protocols.c.year.label("protocol_year"),
                requests.c.id.label("request_id"),
                requests.c.number.label("request_number"),
                requests.c.applicant_name,
            )
            .select_from(
                instructions.join(protocol_items, protocol_items.c.id == instructions.c.item_id)
                .join(protocols, protocols.c.id == protocol_items.c.protocol_id)
                .join(requests, requests.c.id == protocol_items.c.request_id)
            )
            .where(
                instructions.c.state == str(InstructionState.ON_CONTROL),
                instructions.c.due <= due_until,
            )
            .order_by(instructions.c.due, instructions.c.id)
        )
        entries = []
        for row in (await self.conn.execute(statement)).mappings():
            values = {c.name: row[c.name] for c in _INSTRUCTION_COLUMNS}
            values["state"] = InstructionState(values["state"])
            entries.append(
                ControlEntry(
                    instruction=Instruction(**values),
                    protocol_id=row["protocol_id"],
                    protocol_number=row["protocol_number"],
                    protocol_year=row["protocol_year"],
                    request_id=row["request_id"],
                    request_number=row["request_number"],
                    applicant_name=row["applicant_name"],
                )
            )
        return entries

    async def protocols_list(self, limit: int = 100) -> list[dict[str, object]]:
        """The latest protocols, newest first, with the number of items of each."""
        items = (
            select(protocol_items.c.protocol_id, func.count().label("item_count"))
            .group_by(protocol_items.c.protocol_id)
            .subquery()
        )
        statement = (
            select(
                protocols.c.id,
                protocols.c.number,
                protocols.c.year,
                protocols.c.held_on,
                protocols.c.official_id,
                protocols.c.reception_day_id,
                func.coalesce(items.c.item_count, 0).label("items"),
            )
            .select_from(protocols.outerjoin(items, items.c.protocol_id == protocols.c.id))
            .order_by(protocols.c.year.desc(), protocols.c.number.desc())
            .limit(limit)
        )
        return [dict(row) for row in (await self.conn.execute(statement)).mappings()]

    # -- attendees of a protocol (R25, R33) -------------------------------------------------

    async def add_attendees(self, protocol_id: int, names: Sequence[str]) -> None:
        rows = [
            {"protocol_id": protocol_id, "position": position, "name": name}
            for position, name in enumerate(names)
        ]
        if rows:
            await self.conn.execute(insert(protocol_attendees), rows)

    async def attendees(self, protocol_id: int) -> list[str]:
        statement = (
            select(protocol_attendees.c.name)
            .where(protocol_attendees.c.protocol_id == protocol_id)
            .order_by(protocol_attendees.c.position)
        )
        return list((await self.conn.execute(statement)).scalars())

    # -- satisfaction (R29) -------------------------------------------------------------------

    async def add_satisfaction(
        self, request_id: int, score: int, at: datetime, comment: str | None = None
    ) -> None:
        statement = insert(satisfaction).values(
            request_id=request_id, score=score, comment=comment, at=at
        )
        await self.conn.execute(statement)
