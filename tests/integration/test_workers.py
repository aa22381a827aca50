"""Jobs and the outbox: written in the transaction of the change, claimed exactly once."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from sqlalchemy import select

from reception.notifications import NoticeKind, Notification
from reception.ports import OutboxItem
from storage.tables import outbox
from storage.uow import SqlUnitOfWork, SqlUnitOfWorkFactory
from tests.integration.builders import NOW, citizen, registered, seed

LEASE = timedelta(minutes=5)


async def test_a_keyed_job_is_scheduled_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.jobs.schedule("reminder", NOW, {"request_id": 1}, key="reminder:1")
        await uow.jobs.schedule("reminder", NOW, {"request_id": 1}, key="reminder:1")
        await uow.jobs.schedule("digest", NOW, {})
        await uow.jobs.schedule("digest", NOW, {})
        await uow.commit()
    async with uow_factory() as uow:
        claimed = await uow.jobs.claim_due(NOW, "w1", 10, LEASE)
    assert sorted(job.kind for job in claimed) == ["digest", "digest", "reminder"]


async def test_jobs_are_claimed_when_due_and_completed_or_retried(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.jobs.schedule("alert", NOW, {"day": date(2026, 3, 2)}, key="a")
        await uow.jobs.schedule("later", NOW + timedelta(hours=1), {}, key="b")
        await uow.commit()
    async with uow_factory() as uow:
        [job] = await uow.jobs.claim_due(NOW, "w1", 10, LEASE)
        await uow.commit()
    assert (job.key, job.state, job.attempts, job.locked_by) == ("a", "running", 1, "w1")
    assert job.payload == {"day": "2026-03-02"}
    async with uow_factory() as uow:
        assert await uow.jobs.claim_due(NOW, "w2", 10, LEASE) == []
        await uow.jobs.fail(job.id, "timeout", retry_at=NOW + timedelta(minutes=1))
        await uow.commit()
    async with uow_factory() as uow:
        [retried] = await uow.jobs.claim_due(NOW + timedelta(minutes=1), "w2", 10, LEASE)
        assert (retried.id, retried.attempts, retried.last_error) == (job.id, 2, "timeout")
        await uow.jobs.complete(retried.id, NOW)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        done = await uow.jobs.get(job.id)
    assert (done.state, done.done_at) == ("done", NOW)


async def test_a_job_whose_worker_died_is_claimed_again_after_the_lease(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.jobs.schedule("alert", NOW, {}, key="a")
        await uow.jobs.claim_due(NOW, "dead", 10, LEASE)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.jobs.claim_due(NOW + LEASE, "w2", 10, LEASE) == []
        [job] = await uow.jobs.claim_due(NOW + LEASE + timedelta(seconds=1), "w2", 10, LEASE)
    assert job.locked_by == "w2"


async def test_a_pending_keyed_job_can_be_cancelled_and_scheduled_again(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.jobs.schedule("reminder", NOW, {}, key="reminder:1")
        assert await uow.jobs.cancel("reminder:1")
        assert not await uow.jobs.cancel("reminder:1")
        await uow.jobs.schedule("reminder", NOW + timedelta(days=1), {}, key="reminder:1")
        await uow.commit()
    async with uow_factory() as uow:
        [job] = await uow.jobs.claim_due(NOW + timedelta(days=1), "w", 10, LEASE)
    assert job.due_at == NOW + timedelta(days=1)


async def test_two_workers_claim_each_job_exactly_once(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        for n in range(40):
            await uow.jobs.schedule("alert", NOW, {"n": n}, key=f"alert:{n}")
        await uow.commit()

    async def worker(name: str) -> list[int]:
        claimed: list[int] = []
        while True:
            async with uow_factory() as uow:
                jobs = await uow.jobs.claim_due(NOW, name, 3, LEASE)
                await uow.commit()
            if not jobs:
                return claimed
            claimed.extend(job.payload["n"] for job in jobs)
            await asyncio.sleep(0)

    first, second = await asyncio.gather(worker("w1"), worker("w2"))
    assert sorted(first + second) == list(range(40))


async def test_notices_go_to_the_chat_the_citizen_last_wrote_from(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1"))
        await uow.citizens.link_channel(s.citizen_ids[0], "telegram", "1001", NOW)
        await uow.citizens.link_channel(s.citizen_ids[0], "whatsapp", "7701", NOW + LEASE)
        paper = await uow.citizens.add(citizen(9))
        notices = [
            Notification(
                NoticeKind.REGISTERED,
                s.citizen_ids[0],
                request.id,
                "notice-registered",
                {"number": "1", "answer_due": date(2026, 3, 23), "at": datetime(2026, 3, 2)},
            ),
            Notification(NoticeKind.REMINDER, paper.id, None, "notice-reminder", {}),
        ]
        await uow.outbox.add_notices(notices, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        [item] = await uow.outbox.claim_due(NOW, 10, LEASE)
        assert (item.channel, item.chat_id, item.kind, item.status) == (
            "whatsapp",
            "7701",
            "registered",
            "pending",
        )
        assert item.args == {"number": "1", "answer_due": "2026-03-23", "at": "2026-03-02T00:00:00"}
        assert item.attempts == 1 and item.request_id == request.id
        [unsendable] = [i for i in await _all(uow) if i.citizen_id == paper.id]
        assert unsendable.status == "undeliverable"


async def _all(uow: SqlUnitOfWork) -> list[OutboxItem]:
    ids = (await uow.connection.execute(select(outbox.c.id))).scalars().all()
    return [await uow.outbox.get(i) for i in ids]


async def test_outbox_items_are_claimed_once_sent_or_retried(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        first = await uow.outbox.add(
            OutboxItem("telegram", "1001", None, payload={"text": "Сәлем"}, created_at=NOW)
        )
        second = await uow.outbox.add(
            OutboxItem("telegram", "1002", None, payload={"text": "Привет"}, created_at=NOW)
        )
        await uow.commit()
    async with uow_factory() as uow:
        claimed = await uow.outbox.claim_due(NOW, 10, LEASE)
        assert [i.id for i in claimed] == [first.id, second.id]
        assert await uow.outbox.claim_due(NOW, 10, LEASE) == []
        await uow.outbox.mark_sent(first.id, NOW, external_id="msg-1")
        await uow.outbox.mark_failed(second.id, "429", retry_at=NOW + timedelta(seconds=30))
        await uow.commit()
    async with uow_factory() as uow:
        [again] = await uow.outbox.claim_due(NOW + timedelta(seconds=30), 10, LEASE)
        assert (again.id, again.attempts, again.error) == (second.id, 2, "429")
        await uow.outbox.mark_failed(second.id, "blocked by user", retry_at=None)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        sent = await uow.outbox.get(first.id)
        failed = await uow.outbox.get(second.id)
    assert (sent.status, sent.external_id, sent.sent_at) == ("sent", "msg-1", NOW)
    assert failed.status == "failed"
