"""Citizens, their channel identities and consents (R36); documents (R7, R9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reception.citizens import Consent, Document, DocumentKind
from reception.errors import NotFound
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, citizen, registered, seed


async def test_citizen_round_trips_and_updates(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        person = await uow.citizens.add(citizen(consent_at=NOW, consent_version="2026-01"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.citizens.get(person.id) == person
        person.phone = "+77770000001"
        await uow.citizens.update(person)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert (await uow.citizens.get(person.id)).phone == "+77770000001"
        with pytest.raises(NotFound):
            await uow.citizens.get(999)


async def test_channels_link_find_and_move(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        first = await uow.citizens.add(citizen(1))
        second = await uow.citizens.add(citizen(2))
        await uow.citizens.link_channel(first.id, "telegram", "1001", NOW)
        await uow.citizens.link_channel(first.id, "whatsapp", "77010000000", NOW + timedelta(1))
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.citizens.by_channel("telegram", "1001")).id == first.id
        assert await uow.citizens.by_channel("telegram", "404") is None
        assert await uow.citizens.channels(first.id) == [
            ("whatsapp", "77010000000"),
            ("telegram", "1001"),
        ]
        # the same Telegram account now belongs to someone else
        await uow.citizens.link_channel(second.id, "telegram", "1001", NOW + timedelta(2))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert (await uow.citizens.by_channel("telegram", "1001")).id == second.id
        assert await uow.citizens.channels(first.id) == [("whatsapp", "77010000000")]


async def test_r36_consents_are_kept_with_version_channel_and_time(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        person = await uow.citizens.add(citizen())
        given = Consent(person.id, "2026-01", "telegram", NOW)
        withdrawn = Consent(person.id, "2026-01", "web", NOW + timedelta(days=1), granted=False)
        await uow.citizens.add_consent(given)
        await uow.citizens.add_consent(withdrawn)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.citizens.consents(person.id) == [given, withdrawn]


async def test_documents_round_trip_and_attach(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1"))
        document = await uow.documents.add(
            Document(
                citizen_id=s.citizen_ids[0],
                kind=DocumentKind.POWER_OF_ATTORNEY,
                file_name="сенімхат.pdf",
                mime_type="application/pdf",
                size=123_456,
                sha256="ab" * 32,
                path="documents/2026/03/1.pdf",
                channel="telegram",
                uploaded_at=NOW,
            )
        )
        await uow.documents.attach(document.id, request.id)
        await uow.commit()
    document.request_id = request.id
    async with uow_factory(readonly=True) as uow:
        assert await uow.documents.get(document.id) == document
        assert await uow.documents.for_request(request.id) == [document]
        with pytest.raises(NotFound):
            await uow.documents.get(999)
