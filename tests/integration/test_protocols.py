"""Protocols numbered per year (R33) with items and instructions under control (R31)."""

from __future__ import annotations

from datetime import date

from reception.protocols import Instruction, InstructionState, Protocol, ProtocolItem
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, registered, seed


async def test_r33_protocol_round_trips_with_items_and_instructions(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1"))
        number = await uow.protocols.next_number(2026)
        protocol = Protocol(
            official_id=s.official_id,
            reception_day_id=s.day.id,
            held_on=s.day.day,
            year=2026,
            number=number,
            chair="Бекқожа С.Ә.",
            secretary="Омарова Д.",
            place="Әкімдік",
            items=[
                ProtocolItem(
                    request_id=request.id,
                    heard="жер телімі",
                    decision="тапсырма беру",
                    instructions=[
                        Instruction("Жер қатынастары бөлімі", "қарау", "month", date(2026, 4, 11)),
                        Instruction("Сәулет бөлімі", "жауап беру", "ten_days", date(2026, 3, 25)),
                    ],
                )
            ],
        )
        await uow.protocols.add(protocol)
        await uow.commit()
    assert number == 1
    async with uow_factory(readonly=True) as uow:
        assert await uow.protocols.get(protocol.id) == protocol
        assert await uow.protocols.for_day(s.day.id) == protocol
        assert await uow.protocols.for_day(999) is None
    async with uow_factory() as uow:
        assert await uow.protocols.next_number(2026) == 2


async def test_r31_instructions_due_and_done(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    early = Instruction("Бөлім", "ерте", "ten_days", date(2026, 3, 20))
    late = Instruction("Бөлім", "кеш", "month", date(2026, 4, 20))
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1"))
        item = ProtocolItem(request_id=request.id, heard="...", instructions=[early, late])
        protocol = Protocol(s.official_id, None, s.day.day, 2026, 1, items=[item])
        await uow.protocols.add(protocol)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.protocols.instructions_due(date(2026, 3, 31)) == [early]
        early.state, early.done_at, early.result = InstructionState.DONE, NOW, "жауап берілді"
        await uow.protocols.save_instruction(early)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.protocols.instructions_due(date(2026, 4, 30)) == [late]
        stored = (await uow.protocols.get(protocol.id)).items[0].instructions[0]
        assert stored == early
