"""The server's jobs worker (app/parts.py WORKERS "bot.jobs:run_jobs") runs due jobs with the
application's clock, and wakes the outbox sender of its process."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app import parts
from app.config import load_settings
from app.server import build_app
from bot.outbox.hub import outbox_hub
from reception import reminder_rules as rr
from tests.integration.reminders_support import at, world


async def test_the_worker_runs_jobs_that_were_due_while_the_server_was_down(
    aiohttp_client: Any,
    uow_factory: Any,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w = world(uow_factory, tmp_path, at(date(2026, 3, 2), 9))
    await w.add_official(chat_id=900_001)
    _, slots = await w.add_day(date(2026, 3, 4))
    await w.book(await w.add_citizen(1), 1, slots[0])  # jobs written, no worker running yet

    monkeypatch.setattr(parts, "PARTS", [])
    monkeypatch.setattr(parts, "WORKERS", [parts.Worker("bot.jobs:run_jobs", "worker")])
    settings = load_settings(
        database_url=database_url, data_dir=tmp_path / "data", secret_key="k" * 40, _env_file=None
    )
    w.clock.set(at(date(2026, 3, 3), 16, 30))  # the server starts after the list's 16:00
    app = build_app(settings, clock=w.clock)
    woken: list[int] = []
    outbox_hub(app).subscribe(lambda: woken.append(1))
    client = await aiohttp_client(app)
    try:
        for _ in range(200):  # the first round starts at once; wait for it, not for a timer
            # The sender is woken once the round has run its last batch, a moment after the
            # batch's commit made the jobs "done": wait for both.
            if woken and {j.state for j in await w.jobs(rr.DAY_LIST)} == {"done"}:
                break
            await asyncio.sleep(0.05)
    finally:
        await client.close()
    assert [
        text.startswith("Список на личный прием")
        for text in [r["payload"]["text"] for r in await w.rows(kind="day-list")]
    ] == [True]
    assert len(await w.rows(kind="reminder")) == 1  # the day-before one, late but ahead
    assert woken  # the outbox sender of this process was told at once
