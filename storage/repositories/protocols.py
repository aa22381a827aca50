"""Protocols of receptions, their items and instructions under control (R14, R31, R33)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update

from reception.protocols import Instruction, InstructionState, Protocol, ProtocolItem
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories.counters import PROTOCOL_NUMBERS, next_value
from storage.tables import instructions, protocol_items, protocols

_PROTOCOL = columns(protocols)
_ITEM = ("protocol_id", "request_id", "heard", "spoke", "decision")
_INSTRUCTION = columns(instructions)
_ENUMS = {"state": InstructionState}


class SqlProtocolRepository(Repository):
    __slots__ = ()

    async def next_number(self, year: int) -> int:
        """R33: protocols are numbered within the calendar year."""
        return await next_value(self.conn, PROTOCOL_NUMBERS, year)

    async def add(self, protocol: Protocol) -> Protocol:
        statement = insert(protocols).values(values_of(protocol, _PROTOCOL))
        protocol.id = (await self.conn.execute(statement.returning(protocols.c.id))).scalar_one()
        for position, item in enumerate(protocol.items):
            item.protocol_id = protocol.id
            values = values_of(item, _ITEM) | {"position": position}
            statement = insert(protocol_items).values(values).returning(protocol_items.c.id)
            item.id = (await self.conn.execute(statement)).scalar_one()
            for instruction in item.instructions:
                await self._add_instruction(item.id, instruction)
        return protocol

    async def _add_instruction(self, item_id: int, instruction: Instruction) -> None:
        instruction.item_id = item_id
        statement = insert(instructions).values(values_of(instruction, _INSTRUCTION))
        instruction.id = (
            await self.conn.execute(statement.returning(instructions.c.id))
        ).scalar_one()

    async def get(self, protocol_id: int) -> Protocol:
        statement = select(protocols).where(protocols.c.id == protocol_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return await self._whole(found(row, "protocol", protocol_id))

    async def for_day(self, reception_day_id: int) -> Protocol | None:
        statement = select(protocols).where(protocols.c.reception_day_id == reception_day_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else await self._whole(row)

    async def instructions_due(self, until: date) -> list[Instruction]:
        """Instructions still on control whose term is on or before `until` (R26, R31)."""
        statement = (
            select(instructions)
            .where(
                instructions.c.state == InstructionState.ON_CONTROL,
                instructions.c.due <= until,
            )
            .order_by(instructions.c.due, instructions.c.id)
        )
        rows = (await self.conn.execute(statement)).mappings()
        return [build(Instruction, row, convert=_ENUMS) for row in rows]

    async def save_instruction(self, instruction: Instruction) -> None:
        statement = (
            update(instructions)
            .where(instructions.c.id == instruction.id)
            .values(values_of(instruction, _INSTRUCTION))
        )
        if (await self.conn.execute(statement)).rowcount != 1:
            found(None, "instruction", instruction.id)

    async def _whole(self, row: Any) -> Protocol:
        protocol = build(Protocol, row)
        items_query = (
            select(*(protocol_items.c[name] for name in ("id", *_ITEM)))
            .where(protocol_items.c.protocol_id == protocol.id)
            .order_by(protocol_items.c.position)
        )
        items = {
            item_row["id"]: build(ProtocolItem, item_row)
            for item_row in (await self.conn.execute(items_query)).mappings()
        }
        if items:
            statement = (
                select(instructions)
                .where(instructions.c.item_id.in_(list(items)))
                .order_by(instructions.c.id)
            )
            for instruction_row in (await self.conn.execute(statement)).mappings():
                instruction = build(Instruction, instruction_row, convert=_ENUMS)
                items[instruction.item_id].instructions.append(instruction)
        protocol.items = list(items.values())
        return protocol
