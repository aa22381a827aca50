"""The one server, through aiohttp's test client, on a migrated database of each dialect."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from aiohttp import web

from app import parts
from app.config import Settings, load_settings
from app.keys import ENGINE, UOW_FACTORY
from app.server import build_app

KEY = "e2e-secret-key-" + "x" * 32

# A part and a worker that this module provides, so the hooks are tested end to end.
worker_runs: list[str] = []


def setup_probe_part(app: web.Application) -> None:
    async def probe(request: web.Request) -> web.Response:
        return web.Response(text="probe part")

    app.router.add_get("/probe", probe)


async def run_probe_worker(app: web.Application) -> None:
    worker_runs.append("started")
    try:
        await asyncio.Event().wait()
    finally:
        worker_runs.append("stopped")


def settings_for(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=KEY,
        _env_file=None,
    )


@pytest.fixture
async def migrated_settings(database_url: str, tmp_path: Path) -> Settings:
    from storage.migrate import upgrade_to_head

    await upgrade_to_head(database_url)
    return settings_for(database_url, tmp_path)


async def test_healthz_answers_200_with_the_profile_id(aiohttp_client, migrated_settings) -> None:
    client = await aiohttp_client(build_app(migrated_settings))

    response = await client.get("/healthz")

    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["profile"] == "typical-2023"
    assert body["version"]
    assert client.app[ENGINE] is not None
    assert client.app[UOW_FACTORY] is not None


async def test_healthz_answers_503_when_the_database_is_down(aiohttp_client, tmp_path) -> None:
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    settings = settings_for("postgresql+asyncpg://nobody@127.0.0.1:1/nothing", tmp_path)
    client = await aiohttp_client(build_app(settings))

    response = await client.get("/healthz")

    assert response.status == 503
    assert (await response.json())["database"] == "unreachable"


async def test_root_redirects_to_the_web_chat(aiohttp_client, migrated_settings) -> None:
    client = await aiohttp_client(build_app(migrated_settings))

    response = await client.get("/", allow_redirects=False)

    assert response.status == 302
    assert response.headers["Location"] == "/chat"


async def test_parts_are_mounted_and_missing_ones_skipped_with_a_note(
    aiohttp_client, migrated_settings, monkeypatch, caplog
) -> None:
    monkeypatch.setattr(
        parts,
        "PARTS",
        [
            parts.Part("tests.e2e.test_app:setup_probe_part", "web", link=("probe", "/probe")),
            parts.Part("bot.not_written_yet:setup", "web"),
            parts.Part("tests.e2e.test_app:no_such_setup", "web"),
        ],
    )
    caplog.set_level(logging.INFO)

    client = await aiohttp_client(build_app(migrated_settings))
    response = await client.get("/probe")

    assert await response.text() == "probe part"
    assert "bot.not_written_yet:setup is not installed yet" in caplog.text
    assert "tests.e2e.test_app:no_such_setup: the module has no such function" in caplog.text
    assert "probe http://127.0.0.1:8080/probe" in caplog.text
    assert "healthz http://127.0.0.1:8080/healthz" in caplog.text
    assert KEY not in caplog.text


async def test_a_part_of_another_role_is_not_mounted(
    aiohttp_client, database_url, tmp_path, monkeypatch
) -> None:
    from storage.migrate import upgrade_to_head

    await upgrade_to_head(database_url)
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=KEY,
        roles=frozenset({"worker"}),
        _env_file=None,
    )
    monkeypatch.setattr(parts, "PARTS", [parts.Part("tests.e2e.test_app:setup_probe_part", "web")])

    client = await aiohttp_client(build_app(settings))

    assert (await client.get("/probe")).status == 404
    assert (await client.get("/healthz")).status == 200


async def test_workers_run_while_the_server_is_up_and_stop_with_it(
    aiohttp_client, migrated_settings, monkeypatch
) -> None:
    monkeypatch.setattr(
        parts, "WORKERS", [parts.Worker("tests.e2e.test_app:run_probe_worker", "worker")]
    )
    worker_runs.clear()

    client = await aiohttp_client(build_app(migrated_settings))
    await asyncio.sleep(0)
    assert worker_runs == ["started"]

    await client.close()
    assert worker_runs == ["started", "stopped"]


@pytest.fixture
def restored_logging():
    """`main` configures the root logger; put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_python_m_app_help_lists_the_subcommands() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True
    )

    for command in ("run", "migrate", "demo-data", "create-user"):
        assert command in result.stdout


async def test_migrate_command_creates_the_schema(
    database_url, tmp_path, monkeypatch, restored_logging
) -> None:
    from app.cli import has_schema, main

    monkeypatch.setenv("RECEPTION_DATABASE_URL", database_url)
    monkeypatch.setenv("RECEPTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    settings = settings_for(database_url, tmp_path)
    assert not await has_schema(settings)

    # main runs its own event loop, as the console script does.
    exit_code = await asyncio.to_thread(main, ["migrate"])

    assert exit_code == 0
    assert await has_schema(settings)


def test_invalid_configuration_stops_the_command_naming_the_variable(
    monkeypatch, capsys, tmp_path, restored_logging
) -> None:
    from app.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_MODE", "fax")

    assert main(["migrate"]) == 2
    assert "TELEGRAM_MODE" in capsys.readouterr().err


async def test_a_shutdown_closes_the_bots_sqlite_connection_and_frees_the_write_lock(
    aiohttp_client, tmp_path: Path, monkeypatch
) -> None:
    """An update still in its transaction when the server stops must not leave SQLite's write
    lock held by a connection nobody closes: other processes (a worker, the console) would
    wait for it, and a writer of this process would finish after its event loop was gone."""
    import sqlite3

    from storage import inloop
    from storage.migrate import upgrade_to_head

    database_file = tmp_path / "reception.db"
    url = f"sqlite+aiosqlite:///{database_file}"
    await upgrade_to_head(url)
    monkeypatch.setattr(parts, "WORKERS", [])
    client = await aiohttp_client(build_app(settings_for(url, tmp_path)))
    in_flight = inloop.for_engine(client.app[ENGINE])()
    await in_flight.__aenter__()  # BEGIN IMMEDIATE: this process holds the write lock

    await client.close()

    with sqlite3.connect(database_file, timeout=0) as other:
        other.execute("BEGIN IMMEDIATE")  # "database is locked" while the lock is held
        other.rollback()
