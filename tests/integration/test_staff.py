"""Staff users, console sessions and the append-only audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from reception.actors import Actor
from reception.citizens import Role, StaffUser
from reception.errors import NotFound
from reception.ports import StaffSession
from storage.tables import audit_log
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW


def _user(username: str, role: Role = Role.OPERATOR) -> StaffUser:
    return StaffUser(username, "Дана Серікқызы", role, "$argon2id$fake", created_at=NOW)


async def test_staff_users_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        operator = await uow.staff.add(_user("operator"))
        admin = await uow.staff.add(_user("admin", Role.ADMIN))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.staff.get(operator.id) == operator
        assert await uow.staff.by_username("admin") == admin
        assert await uow.staff.by_username("nobody") is None
        operator.active, operator.telegram_chat_id = False, 5_000_000_000
        await uow.staff.update(operator)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert [u.username for u in await uow.staff.all()] == ["admin", "operator"]
        assert (await uow.staff.get(operator.id)).telegram_chat_id == 5_000_000_000
        with pytest.raises(NotFound):
            await uow.staff.get(999)


async def test_sessions_are_found_touched_and_purged(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        user = await uow.staff.add(_user("operator"))
        live = StaffSession(
            "a" * 64, user.id, NOW, NOW, NOW + timedelta(hours=8), "csrf", "10.0.0.1"
        )
        old = StaffSession("b" * 64, user.id, NOW, NOW, NOW - timedelta(minutes=1), "csrf")
        await uow.sessions.add(live)
        await uow.sessions.add(old)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.get(live.id) == live
        await uow.sessions.touch(live.id, NOW + timedelta(hours=1), NOW + timedelta(hours=9))
        assert await uow.sessions.purge_expired(NOW) == 1
        await uow.commit()
    async with uow_factory() as uow:
        touched = await uow.sessions.get(live.id)
        assert touched.expires_at == NOW + timedelta(hours=9)
        assert await uow.sessions.get(old.id) is None
        await uow.sessions.delete_for_user(user.id)
        assert await uow.sessions.get(live.id) is None


async def test_audit_entries_are_recorded(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.audit.record(
            Actor.staff(3), "request.book", NOW, "request", "42", "10.0.0.1", {"slot_id": 7}
        )
        await uow.audit.record(Actor.system(), "jobs.reminder", NOW + timedelta(seconds=1))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        [entry] = await uow.audit.for_object("request", "42")
        assert (entry.actor, entry.action, entry.ip, entry.details, entry.at) == (
            Actor.staff(3),
            "request.book",
            "10.0.0.1",
            {"slot_id": 7},
            NOW,
        )
        assert [e.action for e in await uow.audit.recent()] == ["jobs.reminder", "request.book"]


@pytest.mark.parametrize(
    "statement",
    [update(audit_log).values(action="forged"), delete(audit_log)],
    ids=["update", "delete"],
)
async def test_the_database_refuses_to_change_the_audit_log(
    uow_factory: SqlUnitOfWorkFactory, statement: object
) -> None:
    async with uow_factory() as uow:
        await uow.audit.record(Actor.staff(3), "user.login", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(DBAPIError, match="append-only"):
            await uow.connection.execute(statement)  # type: ignore[call-overload]
    async with uow_factory(readonly=True) as uow:
        assert [e.action for e in await uow.audit.recent()] == ["user.login"]
