"""Booking requests: every field round-trips, history is kept, stale saves are refused."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from reception.actors import Actor
from reception.errors import ConcurrentUpdate, NotFound
from reception.ports import Page, RequestFilter
from reception.requests import (
    BookingRequest,
    Channel,
    ExtensionKind,
    ReceptionFormat,
    Representation,
    Status,
    StatusChange,
)
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, booking_request, registered, seed

STAFF = Actor.staff(7)


def _every_field_set(citizen_id: int, official_id: int, slot_id: int) -> BookingRequest:
    return BookingRequest(
        citizen_id=citizen_id,
        official_id=official_id,
        channel=Channel.WHATSAPP,
        question="Су құбыры жөнделмеген",
        applicant_name="Айгүл Сәкенқызы",
        applicant_iin="950505400123",
        applicant_phone="+77017654321",
        number="2026-000042",
        topic_id=None,
        representation=Representation.ORGANISATION,
        principal_name="«Жұлдыз» ЖШС",
        principal_id_number="120340012345",
        poa_document_id=11,
        id_doc_type="id_card",
        id_doc_number="041234567",
        priority_category="disabled_1",
        priority_document_id=12,
        reception_format=ReceptionFormat.VIDEO,
        reception_language="kk",
        interpreter_needed=True,
        admissibility_answers={"same_question_answered": False, "court_act": True},
        grounds=["r18_court_act"],
        slot_id=slot_id,
        status=Status.EXTENDED,
        created_at=NOW,
        registered_at=NOW + timedelta(minutes=1),
        registration_date=date(2026, 3, 2),
        answer_due=date(2026, 3, 23),
        date_notice_due=date(2026, 3, 25),
        fix_requirements=["приложить доверенность"],
        fix_due=date(2026, 3, 6),
        forwarded_to="Министерство труда",
        forward_due=date(2026, 3, 5),
        extension_kind=ExtensionKind.DECISION,
        extended_until=date(2026, 4, 30),
        extension_reason="нужен выезд на место",
        extension_notice_due=date(2026, 3, 12),
        refusal_text="черновик",
        draft_sent_on=date(2026, 3, 10),
        refusal_earliest=date(2026, 3, 13),
        final_answer="ответ",
        closed_at=NOW + timedelta(days=30),
        from_personal_reception=True,
        source_request_id=None,
        executor_id=3,
        previous_executor_id=2,
        history=[StatusChange(Status.DRAFT, Status.REGISTERED, Actor.citizen(citizen_id), NOW)],
    )


async def test_every_request_field_round_trips(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    request = _every_field_set(s.citizen_ids[0], s.official_id, s.slots[0].id)
    async with uow_factory() as uow:
        await uow.requests.add(request)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        loaded = await uow.requests.get(request.id)
    assert dataclasses.asdict(loaded) == dataclasses.asdict(request)
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert isinstance(loaded.status, Status) and isinstance(loaded.channel, Channel)


async def test_unknown_request_is_not_found(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory(readonly=True) as uow:
        with pytest.raises(NotFound):
            await uow.requests.get(999)


async def test_save_writes_fields_new_history_rows_and_bumps_version(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "2026-1"))
        await uow.commit()
    async with uow_factory() as uow:
        request = await uow.requests.get(request.id, for_update=True)
        request.start_review(STAFF, NOW + timedelta(hours=1))
        request.book(s.slots[2].id, s.slots[2].starts_at, "305", STAFF, NOW + timedelta(hours=2))
        await uow.requests.save(request)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        loaded = await uow.requests.get(request.id)
    assert loaded.status is Status.BOOKED and loaded.slot_id == s.slots[2].id
    assert loaded.version == 1
    assert [(h.from_status, h.to_status, h.actor) for h in loaded.history] == [
        (Status.REGISTERED, Status.UNDER_REVIEW, STAFF),
        (Status.UNDER_REVIEW, Status.BOOKED, STAFF),
    ]


async def test_saving_twice_in_one_unit_of_work_adds_each_change_once(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "2026-1"))
        request.start_review(STAFF, NOW)
        await uow.requests.save(request)
        request.withdraw(Actor.citizen(s.citizen_ids[0]), NOW)
        await uow.requests.save(request)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        loaded = await uow.requests.get(request.id)
    assert [h.to_status for h in loaded.history] == [Status.UNDER_REVIEW, Status.WITHDRAWN]
    assert loaded.version == 2


async def test_a_stale_version_raises_concurrent_update(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "2026-1"))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        first = await uow.requests.get(request.id)
        second = await uow.requests.get(request.id)
    async with uow_factory() as uow:
        first.start_review(STAFF, NOW)
        await uow.requests.save(first)
        await uow.commit()
    async with uow_factory() as uow:
        second.withdraw(Actor.citizen(s.citizen_ids[0]), NOW)
        with pytest.raises(ConcurrentUpdate) as raised:
            await uow.requests.save(second)
    assert raised.value.message_id == "error-concurrent-update"
    async with uow_factory(readonly=True) as uow:
        assert (await uow.requests.get(request.id)).status is Status.UNDER_REVIEW


async def test_request_numbers_are_sequential_per_year(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        numbers = [await uow.requests.next_number(2026) for _ in range(3)]
        numbers.append(await uow.requests.next_number(2027))
        await uow.commit()
    assert numbers == ["2026-000001", "2026-000002", "2026-000003", "2027-000001"]


async def test_a_rolled_back_number_is_given_again(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.requests.next_number(2026) == "2026-000001"
    async with uow_factory() as uow:
        assert await uow.requests.next_number(2026) == "2026-000001"


async def test_for_citizen_and_for_slot_ids(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        booked = registered(s.citizen_ids[0], s.official_id, "2026-1", slot_id=s.slots[0].id)
        other = registered(s.citizen_ids[1], s.official_id, "2026-2")
        await uow.requests.add(booked)
        await uow.requests.add(other)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert [r.id for r in await uow.requests.for_citizen(s.citizen_ids[0])] == [booked.id]
        on_slots = await uow.requests.for_slot_ids([s.slots[0].id, s.slots[1].id])
        assert [r.id for r in on_slots] == [booked.id]
        assert await uow.requests.for_slot_ids([]) == []


async def test_search_filters_counts_and_sorts_by_answer_due(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory, citizens=4)
    dues = [date(2026, 3, 20), date(2026, 3, 10), date(2026, 3, 15)]
    async with uow_factory() as uow:
        for n, due in enumerate(dues):
            await uow.requests.add(
                registered(
                    s.citizen_ids[n],
                    s.official_id,
                    f"2026-00000{n + 1}",
                    answer_due=due,
                    applicant_name=f"Әсем Жұмабекқызы {n}",
                )
            )
        await uow.requests.add(booking_request(s.citizen_ids[3], s.official_id))  # a draft
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        everything, total = await uow.requests.search(RequestFilter(), Page(limit=2))
        assert total == 4
        assert [r.answer_due for r in everything] == [date(2026, 3, 10), date(2026, 3, 15)]
        assert everything[0].history == []
        active, total = await uow.requests.search(
            RequestFilter(statuses=[Status.REGISTERED], due_before=date(2026, 3, 15)), Page()
        )
        assert [r.number for r in active] == ["2026-000002", "2026-000003"] and total == 2
        overdue, total = await uow.requests.search(
            RequestFilter(overdue_on=date(2026, 3, 16)), Page()
        )
        assert [r.number for r in overdue] == ["2026-000002", "2026-000003"] and total == 2
        by_name, total = await uow.requests.search(RequestFilter(text="ӘСЕМ жұмабекқызы 2"), Page())
        assert [r.number for r in by_name] == ["2026-000003"] and total == 1
        by_number, _ = await uow.requests.search(RequestFilter(text="2026-000001"), Page())
        assert [r.answer_due for r in by_number] == [date(2026, 3, 20)]
        none, total = await uow.requests.search(RequestFilter(text="100%_"), Page())
        assert (none, total) == ([], 0)
