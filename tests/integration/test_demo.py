"""Demo data: a whole fictional akimat, loaded once, consistent with the rules."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta

import pytest
from argon2 import PasswordHasher

from reception.calendar import WorkingCalendar
from reception.citizens import Role
from reception.clock import ALMATY, FixedClock, local_date
from reception.errors import ValidationFailed
from reception.iin import validate_iin
from reception.ports import Page, RequestFilter
from reception.profile import load_profile
from reception.requests import Status
from storage import users
from storage.demo import DEMO_PASSWORDS, demo_iin, load_demo_data
from storage.uow import SqlUnitOfWorkFactory
from storage.users import create_user, verify_password
from tests.integration.builders import NOW

PROFILE = load_profile("typical-2023")


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with the smallest cost: the real one takes ~0.3 s a hash."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def test_demo_data_loads_once_with_schedule_requests_and_users(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    await load_demo_data(uow_factory, PROFILE, FixedClock(NOW))
    await load_demo_data(uow_factory, PROFILE, FixedClock(NOW))  # idempotent
    calendar = WorkingCalendar(PROFILE)
    today = local_date(NOW)
    async with uow_factory(readonly=True) as uow:
        officials = await uow.schedule.officials()
        assert len(officials) == 5
        assert {t.competence for t in await uow.schedule.topics()} == {"local", "central", "other"}
        days = await uow.schedule.days(None, today, today + timedelta(weeks=6))
        for official in officials:  # R5: each official receives at least monthly
            assert any(d.official_id == official.id for d in days if d.day <= today + timedelta(30))
        assert all(calendar.is_working_day(d.day) for d in days)
        slots = await uow.schedule.slots_of_day(days[0].id)
        assert all(not time(13) <= s.starts_at.astimezone(ALMATY).time() < time(15) for s in slots)
        requests, total = await uow.requests.search(RequestFilter(), Page(limit=100))
        staff = {u.username: u for u in await uow.staff.all()}
    assert total == 30
    statuses = Counter(r.status for r in requests)
    assert statuses[Status.BOOKED] == 7 and statuses[Status.CLOSED] == 1
    assert len(statuses) >= 12
    assert all(validate_iin(r.applicant_iin) == r.applicant_iin for r in requests)
    assert len({r.number for r in requests}) == 30
    assert {u.role for u in staff.values()} == set(Role)
    for username, password in DEMO_PASSWORDS.items():
        assert verify_password(staff[username].password_hash, password)


def test_demo_iins_have_valid_check_digits() -> None:
    for serial in range(50):
        iin = demo_iin(
            date(1990 + serial % 30, 1 + serial % 12, 1 + serial % 28), serial % 2 == 0, serial
        )
        assert validate_iin(iin) == iin


async def test_a_created_user_has_an_argon2id_hash_and_a_unique_name(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    user = await create_user(uow_factory, "dana", "s3cret-pass", "reception", "Дана Серікқызы")
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "s3cret-pass")
    assert not verify_password(user.password_hash, "wrong")
    with pytest.raises(ValidationFailed) as refused:
        await create_user(uow_factory, "dana", "other", Role.ADMIN, "Тағы біреу")
    assert refused.value.message_id == "error-username-taken"
    async with uow_factory(readonly=True) as uow:
        assert (await uow.staff.by_username("dana")).role is Role.RECEPTION
