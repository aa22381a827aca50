"""Fixtures and helpers for the console's aiohttp test-client tests.

    from tests.e2e.console_support import *  # noqa: F403  (fixtures: console, ...)

`console` is a `Console`: the test client on the one server with only the console part
mounted, a migrated database of each dialect (SQLite always; PostgreSQL when
TEST_DATABASE_URL is set), a FixedClock, and one staff user per role (password PASSWORD).
`await console.login("reception")` signs in and returns the page's CSRF token.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from app import parts
from app.config import load_settings
from app.keys import UOW_FACTORY
from app.server import build_app
from console.web import CONSOLE_APP, RULES
from reception.actors import Actor
from reception.citizens import Citizen, Role, StaffUser
from reception.clock import ALMATY, FixedClock
from reception.iin import check_digit
from reception.requests import BookingRequest, Channel
from reception.schedule import Official, ReceptionDay, Slot
from reception.services.context import Rules
from reception.services.requests import register_request
from reception.slots import generate_slots
from storage.migrate import upgrade_to_head
from storage.tables import metadata

PASSWORD = "correct horse battery"
SECRET_KEY = "console-test-secret-key-" + "x" * 32
# Wednesday 11 February 2026, 10:00 in Almaty: a working day, in working hours.
START = datetime(2026, 2, 11, 10, 0, tzinfo=ALMATY)
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
DIALECTS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]
_CSRF = re.compile(r'name="csrf-token" content="([^"]*)"')
_hash_cache: dict[str, str] = {}
_shared: dict[str, Any] = {}
# argon2id still, with small costs: the real parameters take ~0.8 s per hash on CI machines.
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def shared_translator() -> Any:
    """One Translator for the whole run (parsing every .ftl takes most of a second)."""
    if "translator" not in _shared:
        from locales import Translator

        _shared["translator"] = Translator()
    return _shared["translator"]


def password_hash() -> str:
    """One real argon2id hash for every test user: hashing is slow on purpose."""
    if "hash" not in _hash_cache:
        from storage.users import hash_password

        _hash_cache["hash"] = hash_password(PASSWORD)
    return _hash_cache["hash"]


@pytest.fixture(scope="session")
def console_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("console-template") / "reception.db"
    asyncio.run(upgrade_to_head(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def console_postgresql_url() -> Iterator[str]:
    import asyncpg
    from sqlalchemy.engine import make_url

    assert TEST_DATABASE_URL is not None
    base = make_url(TEST_DATABASE_URL)
    name = f"console_e2e_{os.getpid()}_{secrets.token_hex(3)}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            user=base.username,
            password=base.password,
            host=base.host or "127.0.0.1",
            port=base.port or 5432,
            database=base.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(upgrade_to_head(url))
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(params=DIALECTS)
def console_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("console_postgresql_url")
    path = tmp_path / "reception.db"
    shutil.copyfile(request.getfixturevalue("console_sqlite_template"), path)
    return f"sqlite+aiosqlite:///{path}"


@dataclass
class Console:
    client: TestClient
    clock: FixedClock
    users: dict[str, StaffUser] = field(default_factory=dict)
    officials: list[Official] = field(default_factory=list)

    @property
    def uow_factory(self) -> Any:
        return self.client.app[UOW_FACTORY]

    async def login(self, username: str, password: str = PASSWORD) -> str:
        """Signs in; returns the CSRF token of the new session."""
        page = await self.client.get("/console/login")
        token = self.client.session.cookie_jar.filter_cookies(
            self.client.make_url("/console/login")
        )["console_login_csrf"].value
        assert page.status == 200
        response = await self.client.post(
            "/console/login",
            data={"username": username, "password": password, "csrf_token": token},
            allow_redirects=False,
        )
        assert response.status == 303, await response.text()
        return await self.csrf()

    async def csrf(self) -> str:
        page = await self.client.get("/console/")
        found = _CSRF.search(await page.text())
        assert found, "no CSRF token on the page"
        return found.group(1)

    async def post(self, path: str, data: dict[str, Any], csrf: str, **kw: Any) -> Any:
        return await self.client.post(
            path, data={**data, "csrf_token": csrf}, allow_redirects=False, **kw
        )

    async def add_user(
        self, username: str, role: Role, official_id: int | None = None, language: str = "ru"
    ) -> StaffUser:
        async with self.uow_factory() as uow:
            user = await uow.staff.add(
                StaffUser(
                    username=username,
                    full_name=f"{username.title()} Test",
                    role=role,
                    password_hash=password_hash(),
                    language=language,
                    official_id=official_id,
                    created_at=self.clock.now(),
                )
            )
            await uow.commit()
        self.users[username] = user
        return user

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.uow_factory(readonly=True) as uow:
            return (await uow.connection.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: Any) -> list[Any]:
        async with self.uow_factory(readonly=True) as uow:
            return list((await uow.connection.execute(text(sql), params)).mappings())

    @property
    def rules(self) -> Rules:
        return self.client.server.app[CONSOLE_APP][RULES]

    async def seed_citizen(
        self, n: int = 1, language: str = "ru", channel: str = "telegram"
    ) -> Citizen:
        """A citizen who consented (R36) and writes from `channel` (chat id "chat-<n>")."""
        async with self.uow_factory() as uow:
            citizen = await uow.citizens.add(
                Citizen(
                    language=language,
                    full_name=f"Тестов Тест {n}",
                    iin=make_iin(n),
                    phone=f"+7701{n:07d}",
                    consent_at=self.clock.now(),
                    consent_version="1",
                    created_at=self.clock.now(),
                )
            )
            assert citizen.id is not None
            await uow.citizens.link_channel(citizen.id, channel, f"chat-{n}", self.clock.now())
            await uow.commit()
        return citizen

    async def seed_day(
        self,
        official: Official | None = None,
        day: date | None = None,
        starts: time = time(10, 0),
        ends: time = time(12, 0),
    ) -> tuple[ReceptionDay, list[Slot]]:
        """A reception day with its slots (generated from the profile's working hours)."""
        official = official or self.officials[0]
        assert official.id is not None
        reception_day = ReceptionDay(
            official_id=official.id,
            day=day or date(2026, 2, 18),
            starts=starts,
            ends=ends,
            place_kk="Әкімдік, 305 кабинет",
            place_ru="Акимат, кабинет 305",
        )
        slots = generate_slots(reception_day, self.rules.profile, self.rules.calendar)
        async with self.uow_factory() as uow:
            await uow.schedule.add_day(reception_day, slots)
            await uow.commit()
        return reception_day, slots

    async def seed_request(
        self,
        n: int = 1,
        *,
        official: Official | None = None,
        citizen: Citizen | None = None,
        slot: Slot | None = None,
        language: str = "ru",
        channel: Channel = Channel.TELEGRAM,
        question: str = "Прошу решить вопрос о ремонте дороги",
        name: str | None = None,
        priority: str | None = None,
        topic_id: int | None = None,
    ) -> BookingRequest:
        """A request registered through the real use case (notice in the outbox, audit row)."""
        official = official or self.officials[0]
        citizen = citizen or await self.seed_citizen(n, language)
        assert official.id is not None and citizen.id is not None
        draft = BookingRequest(
            citizen_id=citizen.id,
            official_id=official.id,
            channel=channel,
            question=question,
            applicant_name=name or citizen.full_name or "",
            applicant_iin=citizen.iin or "",
            applicant_phone=citizen.phone,
            slot_id=slot.id if slot else None,
            reception_language=language,
            priority_category=priority,
            topic_id=topic_id,
        )
        async with self.uow_factory() as uow:
            stored, _ = await register_request(uow, self.rules, draft, Actor.citizen(citizen.id))
            await uow.commit()
        return stored

    async def request(self, request_id: int) -> BookingRequest:
        async with self.uow_factory(readonly=True) as uow:
            return await uow.requests.get(request_id)

    async def outbox_kinds(self, request_id: int) -> list[str]:
        rows = await self.rows(
            "select kind from outbox where request_id = :id order by id", id=request_id
        )
        return [row["kind"] for row in rows]

    async def audit_actions(self, object_type: str, object_id: object) -> list[str]:
        rows = await self.rows(
            "select action from audit_log where object_type = :t and object_id = :i order by id",
            t=object_type,
            i=str(object_id),
        )
        return [row["action"] for row in rows]


def make_iin(n: int, birth: str = "900101", century_sex: str = "3") -> str:
    """A valid fictional IIN (R37 check digit), different for each n."""
    serial = n
    while True:
        first = f"{birth}{century_sex}{serial % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        serial += 10000


async def _truncate_all(url: str) -> None:
    from storage.engine import create_engine

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            names = ", ".join(t.name for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
async def console(
    aiohttp_client: Any,
    console_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Console:
    return await make_console(aiohttp_client, console_database_url, tmp_path, monkeypatch)


async def make_console(
    aiohttp_client: Any,
    console_database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Console:
    """The `console` fixture's work, for a test that must patch something first."""
    if console_database_url.startswith("postgresql"):
        await _truncate_all(console_database_url)
    import argon2

    import app.server
    import storage.users

    monkeypatch.setattr(storage.users, "_hasher", argon2.PasswordHasher(**FAST_ARGON2))
    monkeypatch.setattr(app.server, "Translator", shared_translator)
    monkeypatch.setattr(
        parts,
        "PARTS",
        [parts.Part("console.schedule:setup", "web"), parts.Part("console.app:setup", "web")],
    )
    monkeypatch.setattr(parts, "WORKERS", [])
    settings = load_settings(
        database_url=console_database_url,
        data_dir=tmp_path / "data",
        secret_key=SECRET_KEY,
        _env_file=None,
    )
    clock = FixedClock(START)
    client = await aiohttp_client(build_app(settings, clock=clock))
    result = Console(client, clock)
    async with result.uow_factory() as uow:
        official = await uow.schedule.add_official(
            Official(
                name_kk="Асқаров Асқар Асқарұлы",
                name_ru="Аскаров Аскар Аскарович",
                position_kk="Облыс әкімінің орынбасары",
                position_ru="Заместитель акима области",
                group=1,
                phone="+7 7282 00 00 01",
                email="priemnaya@example.kz",
            )
        )
        other = await uow.schedule.add_official(
            Official(
                name_kk="Бекова Айгүл Серікқызы",
                name_ru="Бекова Айгуль Сериковна",
                position_kk="Аппарат басшысы",
                position_ru="Руководитель аппарата",
                group=2,
            )
        )
        await uow.commit()
    result.officials = [official, other]
    await result.add_user("operator", Role.OPERATOR)
    await result.add_user("reception", Role.RECEPTION)
    await result.add_user("official", Role.OFFICIAL, official_id=official.id, language="kk")
    await result.add_user("admin", Role.ADMIN)
    return result
