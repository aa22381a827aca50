"""Edges of the bot's loop-thread SQLite connection (storage.inloop, storage.prepared): every
prepared statement against SQLAlchemy, a failed group COMMIT, errors inside a unit, and
cancellation around the group commit."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from reception.actors import Actor, ActorKind
from reception.citizens import Consent
from reception.errors import SlotTaken
from reception.notifications import NoticeKind, Notification
from reception.requests import (
    ExtensionKind,
    ReceptionFormat,
    Representation,
    Status,
    StatusChange,
)
from reception.schedule import Topic
from storage.engine import create_engine
from storage.inloop import LoopSqlite
from storage.repositories import audit as audit_module
from storage.repositories import citizens as citizens_module
from storage.repositories import counters as counters_module
from storage.repositories import outbox as outbox_module
from storage.repositories import requests as requests_module
from storage.repositories import schedule as schedule_module
from storage.repositories._statements import by_id, insert_returning_id, plain_insert, update_by_id
from storage.tables import (
    citizens,
    officials,
    reception_days,
    request_history,
    requests,
    slots,
    topics,
)
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, citizen, official, reception_day, registered, slots_of
from tests.integration.loop_support import *  # noqa: F403  (fixtures)

# Tables the scenario below writes, compared byte for byte between the two paths.
WRITTEN = (
    "officials",
    "topics",
    "reception_days",
    "slots",
    "citizens",
    "citizen_channels",
    "consents",
    "requests",
    "request_history",
    "counters",
    "audit_log",
    "outbox",
)


def _copy(template: Path, path: Path) -> Path:
    shutil.copyfile(template, path)
    return path


def dump(path: Path, *tables: str) -> dict[str, list[tuple[Any, ...]]]:
    """What is on disk, as SQLite stores it (text, integers), read by another connection."""
    with sqlite3.connect(path) as other:
        return {t: other.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def chats_on_disk(path: Path) -> set[str]:
    return {row[2] for row in dump(path, "conversations")["conversations"]}


# -- one scenario through every prepared statement --------------------------------------------

# Values that a wrong conversion would show: microseconds, an Almaty offset, Kazakh letters,
# nested JSON with false and null, enums, booleans both ways, dates and times.
AT = NOW + timedelta(microseconds=123456)


async def write_everything(uow: Any) -> dict[str, int]:
    """Every prepared write of the repositories a loop unit offers (and some of their reads)."""
    s = uow.schedule
    off = await s.add_official(official(telegram_chat_id=-1002003004005, email="a@akimat.kz"))
    off.phone, off.active = "+7 7172 00 00 00", False
    await s.update_official(off)
    topic = await s.add_topic(
        Topic(code="land", name_kk="Жер қатынастары", name_ru="Земля", official_id=off.id)
    )
    topic.redirect_kk, topic.active = "Әділет басқармасы", False
    await s.update_topic(topic)
    day = reception_day(
        off.id, starts=time(9, 30, 15, 250), format=ReceptionFormat.VIDEO, video_link="v"
    )
    await s.add_day(day, slots_of(day, 3))
    day.cancelled_at, day.cancel_reason = AT, "Іссапар"
    await s.update_day(day)
    first = await uow.citizens.add(citizen(1, consent_at=AT, consent_version="v2"))
    second = await uow.citizens.add(citizen(2, full_name=None, phone=None))
    first.full_name = "Әсел Қайратқызы Өмірзақова"
    await uow.citizens.update(first)
    await uow.citizens.link_channel(first.id, "telegram", "1001", AT)
    await uow.citizens.link_channel(second.id, "telegram", "1001", AT + timedelta(seconds=1))
    await uow.citizens.link_channel(first.id, "web", "w-1", AT)
    await uow.citizens.add_consent(Consent(first.id, "v2", "telegram", AT, granted=True))
    await uow.citizens.add_consent(Consent(first.id, "v2", "web", AT, granted=False))
    await uow.audit.record(
        Actor.staff(7), "request.view", AT, "request", 15, "127.0.0.1", {"a": [1, None, False]}
    )
    await uow.audit.record(Actor(ActorKind.SYSTEM), "job.run", AT)
    number = await uow.requests.next_number(2026)
    request = registered(
        first.id,
        off.id,
        number,
        topic_id=topic.id,
        representation=Representation.PERSON,
        principal_name="Бауыржан",
        principal_id_number="900101300002",
        reception_format=ReceptionFormat.VIDEO,
        reception_language="kk",
        interpreter_needed=True,
        admissibility_answers={"g1": False, "g2": True},
        grounds=["r18-1", "сот"],
        fix_requirements=[],
        extension_kind=ExtensionKind.LETTER,
        extended_until=date(2026, 4, 20),
        from_personal_reception=True,
    )
    request.history.append(
        StatusChange(Status.DRAFT, Status.REGISTERED, Actor.citizen(first.id), AT, "бот")
    )
    await uow.requests.add(request)
    loaded = await uow.requests.get(request.id)
    loaded.history.append(
        StatusChange(Status.REGISTERED, Status.UNDER_REVIEW, Actor.staff(7), AT, None)
    )
    loaded.status, loaded.closed_at = Status.UNDER_REVIEW, AT
    await uow.requests.save(loaded)
    await uow.requests.next_number(2026)
    notice = Notification(
        NoticeKind.REGISTERED, first.id, request.id, "m", {"on": date(2026, 3, 11)}
    )
    lost = Notification(NoticeKind.RETURNED, second.id, None, "m2", {"n": 1.5, "x": None})
    await uow.outbox.add_notices([notice, lost], AT)
    assert off.id is not None and topic.id is not None and day.id is not None
    return {"official": off.id, "topic": topic.id, "day": day.id, "citizen": first.id,
            "request": request.id or 0}  # fmt: skip


async def read_everything(uow: Any, ids: dict[str, int]) -> tuple[Any, ...]:
    """Every prepared read."""
    s = uow.schedule
    day_slots = await s.slots_of_day(ids["day"])
    return (
        await uow.citizens.get(ids["citizen"]),
        await uow.citizens.by_channel("web", "w-1"),
        await uow.citizens.by_channel("telegram", "1001"),  # moved to the second citizen
        await uow.citizens.by_channel("web", "nobody"),
        await s.get_official(ids["official"]),
        await s.officials(active_only=False),
        await s.officials(),
        await s.get_topic(ids["topic"]),
        await s.topics(active_only=False),
        await s.topics(),
        await s.get_day(ids["day"]),
        [await s.get_slot(slot.id) for slot in day_slots],
        await uow.requests.get(ids["request"]),
    )


def prepared_statements() -> dict[str, Any]:
    """Every statement the repositories `prepare()`, by name."""
    tables = {"citizens": citizens, "officials": officials, "topics": topics,
              "reception_days": reception_days}  # fmt: skip
    found: dict[str, Any] = {}
    for name, table in tables.items():
        found[f"insert_returning_id({name})"] = insert_returning_id(table)
        found[f"update_by_id({name})"] = update_by_id(table)
        found[f"by_id({name})"] = by_id(table)
    found.update(
        {
            "insert_returning_id(requests)": insert_returning_id(requests),
            "plain_insert(request_history)": plain_insert(request_history),
            "by_id(slots)": by_id(slots),
            "citizens._ADD_CONSENT": citizens_module._ADD_CONSENT,
            "citizens._BY_CHANNEL": citizens_module._BY_CHANNEL,
            "citizens._LINKS": citizens_module._LINKS["sqlite"],
            "audit._RECORD": audit_module._RECORD,
            "counters._NEXT": counters_module._NEXT["sqlite"],
            "requests._GET": requests_module._GET,
            "requests._SAVE": requests_module._SAVE,
            "schedule._OFFICIALS": schedule_module._OFFICIALS,
            "schedule._ACTIVE_OFFICIALS": schedule_module._ACTIVE_OFFICIALS,
            "schedule._TOPICS": schedule_module._TOPICS,
            "schedule._ACTIVE_TOPICS": schedule_module._ACTIVE_TOPICS,
            "outbox._ADD": outbox_module._ADD,
        }
    )
    return found


async def test_every_prepared_statement_writes_what_sqlalchemy_writes_and_reads_it_alike(
    tmp_path: Path, sqlite_template: Path
) -> None:
    by_sqlalchemy = _copy(sqlite_template, tmp_path / "sqlalchemy.db")
    by_loop = _copy(sqlite_template, tmp_path / "loop.db")
    engines = [create_engine(f"sqlite+aiosqlite:///{p}") for p in (by_sqlalchemy, by_loop)]
    plain, plain_of_loop = (SqlUnitOfWorkFactory(e) for e in engines)
    loop = LoopSqlite(f"sqlite+aiosqlite:///{by_loop}")
    try:
        async with plain() as uow:
            ids = await write_everything(uow)
            await uow.commit()
        async with loop() as uow:
            assert await write_everything(uow) == ids
            await uow.commit()
        # Byte for byte what SQLAlchemy's column types write: UtcDateTime, Json, Date, Time,
        # Boolean, enums (as their values), the upsert, the counter.
        assert dump(by_loop, *WRITTEN) == dump(by_sqlalchemy, *WRITTEN)

        async with plain(readonly=True) as uow:
            expected = await read_everything(uow, ids)
        async with plain_of_loop(readonly=True) as uow:
            assert await read_everything(uow, ids) == expected  # loop-written, SQLAlchemy-read
        async with loop() as uow:
            assert await read_everything(uow, ids) == expected  # and read on the loop
    finally:
        loop.close()
        for engine in engines:
            await engine.dispose()
    # ... and each of those statements did run straight on sqlite3, not through SQLAlchemy.
    ran_prepared = {key[0] for key, plan in loop.prepared._plans.items() if plan is not None}
    skipped = [n for n, st in prepared_statements().items() if id(st) not in ran_prepared]
    assert skipped == []


# FastResult against SQLAlchemy's own result, for each way the repositories read one.
ACCESSORS: dict[str, Callable[[Any], Any]] = {
    "first()._mapping": lambda r: dict(r.first()._mapping),
    "first() by attribute": lambda r: _by_attribute(r.first()),
    "first() by position": lambda r: tuple(r.first()),
    "all()": lambda r: [tuple(row) for row in r.all()],
    "iteration": lambda r: [(row.id, row.reception_day_id) for row in r],
    "mappings().all()": lambda r: [dict(m) for m in r.mappings().all()],
    "mappings().first()": lambda r: dict(r.mappings().first()),
    "mappings() iteration": lambda r: [dict(m) for m in r.mappings()],
    "mappings().one()": lambda r: dict(r.mappings().one()),
    "one()": lambda r: tuple(r.one()),
    "one_or_none()": lambda r: tuple(r.one_or_none()),
    "scalar()": lambda r: r.scalar(),
    "scalar_one()": lambda r: r.scalar_one(),
    "scalar_one_or_none()": lambda r: r.scalar_one_or_none(),
    "scalars().all()": lambda r: r.scalars().all(),
    "scalars().first()": lambda r: r.scalars().first(),
    "fetchall()": lambda r: [tuple(row) for row in r.fetchall()],
}


def _by_attribute(row: Any) -> tuple[Any, ...]:
    return (row.id, row.reception_day_id, row.starts_at, row.ends_at)


@pytest.mark.parametrize("accessor", ACCESSORS)
async def test_a_prepared_result_answers_as_sqlalchemys_does(
    accessor: str, loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory
) -> None:
    async with uow_factory() as uow:
        day = reception_day((await uow.schedule.add_official(official())).id)
        day_slots = slots_of(day, 2)
        await uow.schedule.add_day(day, day_slots)
        await uow.commit()
    read = ACCESSORS[accessor]
    statement, parameters = by_id(slots), {"b_id": day_slots[1].id}
    async with loop_db() as uow:
        fast = await uow.connection.execute(statement, parameters)
        slow = uow.connection.sync.execute(statement, parameters)
        assert type(fast).__name__ == "FastResult"  # the sqlite3 path, not SQLAlchemy's
        assert read(fast) == read(slow)


async def test_a_prepared_result_with_no_row_answers_as_sqlalchemys_does(
    loop_db: LoopSqlite,
) -> None:
    statement, parameters = by_id(slots), {"b_id": 404}
    reads: list[Callable[[Any], Any]] = [
        lambda r: r.first(),
        lambda r: r.scalar(),
        lambda r: r.scalar_one_or_none(),
        lambda r: r.one_or_none(),
        lambda r: r.all(),
        lambda r: r.mappings().first(),
        lambda r: r.mappings().all(),
        lambda r: r.scalars().all(),
        lambda r: r.scalars().first(),
    ]
    async with loop_db() as uow:
        for read in reads:
            fast = await uow.connection.execute(statement, parameters)
            assert read(fast) == read(uow.connection.sync.execute(statement, parameters))


async def test_a_prepared_update_counts_its_rows_as_sqlalchemy_does(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory
) -> None:
    async with uow_factory() as uow:
        added = await uow.citizens.add(citizen(1))
        await uow.commit()
    async with loop_db() as uow:
        values = {"full_name": "Ерлан", "b_id": added.id}
        fast = await uow.connection.execute(update_by_id(citizens), values)
        missing = await uow.connection.execute(update_by_id(citizens), {**values, "b_id": 999})
        assert (type(fast).__name__, fast.rowcount, missing.rowcount) == ("FastResult", 1, 0)


# -- errors: at the statement, at COMMIT ----------------------------------------------------


async def test_a_missing_parent_fails_its_statement_and_the_unit_goes_on(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """Foreign keys are immediate: the violation is the statement's, caught by the caller; the
    rest of the unit commits."""
    async with loop_db() as uow:
        await uow.conversations.get_or_create("web", "kept", NOW)
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            await uow.citizens.add_consent(Consent(404, "v2", "web", NOW))
        await uow.commit()
    on_disk = dump(database_file, "consents", "conversations")
    assert (on_disk["consents"], chats_on_disk(database_file)) == ([], {"kept"})


async def test_a_failed_group_commit_reaches_every_unit_and_the_next_unit_works(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """A COMMIT that fails (here a deferred foreign key, checked only at COMMIT) fails every
    unit of its group, keeps none of their work, and leaves the connection usable."""

    async def orphan() -> None:
        async with loop_db() as uow:
            uow.connection.raw.execute("PRAGMA defer_foreign_keys = ON")  # until COMMIT
            await uow.citizens.add_consent(Consent(404, "v2", "web", NOW))
            await uow.commit()

    async def chat(chat_id: str) -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", chat_id, NOW)
            await uow.commit()

    outcomes = await asyncio.gather(orphan(), chat("same-group"), return_exceptions=True)
    assert [type(o).__name__ for o in outcomes] == ["IntegrityError", "IntegrityError"]
    await asyncio.wait_for(chat("next"), 5)  # the connection is usable again
    assert chats_on_disk(database_file) == {"next"}
    assert dump(database_file, "consents")["consents"] == []


async def test_a_taken_slot_caught_in_a_savepoint_leaves_the_rest_of_the_unit_to_commit(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory, database_file: Path
) -> None:
    """As the dialog's summary step does: a lost race for the slot undoes the registration's
    own statements (its number too), and the update's other work commits."""
    async with uow_factory() as uow:
        off = await uow.schedule.add_official(official())
        day = reception_day(off.id)
        await uow.schedule.add_day(day, slots_of(day, 1))
        ids = [(await uow.citizens.add(citizen(n))).id for n in (1, 2)]
        await uow.commit()
    slot_id = 1
    async with loop_db() as uow:
        number = await uow.requests.next_number(2026)
        await uow.requests.add(registered(ids[0], off.id, number, slot_id=slot_id))
        await uow.commit()
    async with loop_db() as uow:
        await uow.conversations.get_or_create("web", "loser", NOW)
        with pytest.raises(SlotTaken):
            async with uow.connection.begin_nested():
                number = await uow.requests.next_number(2026)
                await uow.requests.add(registered(ids[1], off.id, number, slot_id=slot_id))
        await uow.audit.record(Actor.citizen(ids[1]), "slot.lost", NOW)
        await uow.commit()
    on_disk = dump(database_file, "requests", "counters", "audit_log")
    assert [row[1] for row in on_disk["requests"]] == ["2026-000001"]
    assert on_disk["counters"] == [("request", 2026, 1)]  # the loser's number is given back
    assert [row[4] for row in on_disk["audit_log"]] == ["slot.lost"]
    assert chats_on_disk(database_file) == {"loser"}


async def test_a_taken_slot_without_a_savepoint_undoes_only_its_statement(
    loop_db: LoopSqlite, uow_factory: SqlUnitOfWorkFactory, database_file: Path
) -> None:
    async with uow_factory() as uow:
        off = await uow.schedule.add_official(official())
        day = reception_day(off.id)
        await uow.schedule.add_day(day, slots_of(day, 1))
        ids = [(await uow.citizens.add(citizen(n))).id for n in (1, 2)]
        await uow.requests.add(registered(ids[0], off.id, "2026-000001", slot_id=1))
        await uow.commit()
    async with loop_db() as uow:
        number = await uow.requests.next_number(2026)
        with pytest.raises(SlotTaken):
            await uow.requests.add(registered(ids[1], off.id, number, slot_id=1))
        await uow.commit()
    on_disk = dump(database_file, "requests", "counters", "request_history")
    assert [row[1] for row in on_disk["requests"]] == ["2026-000001"]
    assert on_disk["counters"] == [("request", 2026, 1)]  # the counter's statement did run
    assert on_disk["request_history"] == []


# -- cancellation --------------------------------------------------------------------------


async def test_a_caller_cancelled_while_awaiting_the_group_commit_still_has_its_work_kept(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """Its unit was left kept: the group commits anyway. The caller only sees CancelledError,
    as it would if cancelled right after an ordinary COMMIT."""
    left, go_on = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", "cancelled-caller", NOW)
            await uow.commit()
        left.set()  # not reached: cancelled while waiting for the COMMIT

    async def second() -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", "other", NOW)
            await go_on.wait()  # holds the group open
            await uow.commit()

    waiting = asyncio.create_task(first())
    holder = asyncio.create_task(second())  # joins the group once the first unit has left
    await asyncio.sleep(0.01)
    assert loop_db._group is not None and loop_db._group.units == 2
    assert chats_on_disk(database_file) == set()  # the first unit is left, not committed
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    go_on.set()
    await asyncio.wait_for(holder, 5)
    assert not left.is_set()
    assert chats_on_disk(database_file) == {"cancelled-caller", "other"}


async def test_a_caller_cancelled_inside_its_unit_keeps_nothing_and_its_group_commits(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    inside = asyncio.Event()

    async def slow() -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", "cancelled", NOW)
            inside.set()
            await asyncio.sleep(10)
            await uow.commit()

    async def quick(chat_id: str) -> None:
        async with loop_db() as uow:
            await uow.conversations.get_or_create("web", chat_id, NOW)
            await uow.commit()

    before = asyncio.create_task(quick("before"))  # same group, waits for its COMMIT
    cancelled = asyncio.create_task(slow())
    await inside.wait()
    after = asyncio.create_task(quick("after"))  # queued behind the cancelled unit
    await asyncio.sleep(0.005)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await asyncio.wait_for(asyncio.gather(before, after), 5)
    assert chats_on_disk(database_file) == {"before", "after"}


async def test_a_caller_cancelled_while_another_process_writes_does_not_hold_the_connection(
    loop_db: LoopSqlite, database_file: Path
) -> None:
    """BEGIN IMMEDIATE is retried while another process writes; cancelled meanwhile, the
    unit gives the connection back and nothing stays begun."""
    other = sqlite3.connect(database_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        waiting = asyncio.create_task(_one_chat(loop_db, "never"))
        await asyncio.sleep(0.02)
        assert not waiting.done()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
    finally:
        other.execute("ROLLBACK")
        other.close()
    await asyncio.wait_for(_one_chat(loop_db, "next"), 5)
    assert chats_on_disk(database_file) == {"next"}


async def _one_chat(loop_db: LoopSqlite, chat_id: str) -> None:
    async with loop_db() as uow:
        await uow.conversations.get_or_create("web", chat_id, NOW)
        await uow.commit()
