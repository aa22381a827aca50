"""The hooks where later issues mount their parts and background workers on the one server.

A part is a module with `def setup(app: web.Application) -> None` that adds its routes (or a
sub-application), its own `cleanup_ctx` for anything it must open, and its middlewares.
`setup` is synchronous because aiohttp freezes the router before start-up runs; anything
asynchronous belongs in the part's own `app.cleanup_ctx` entry, which runs after the
server's infrastructure is up, so ENGINE and UOW_FACTORY (app/keys.py) are there.

A worker is `async def run(app: web.Application) -> None` that loops until cancelled; the
server starts it as a task once everything is up, restarts it after a crash, and cancels it
at shutdown before the database engine closes.

A module that does not exist yet is skipped with an INFO line, one without the named
function with a WARNING; a module that exists but fails to import fails the start-up.
Each entry names the role (RECEPTION_ROLES) of the processes that run it, so the same code
splits into web, bot and worker processes for scale.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from app.components import optional
from app.config import Role, Settings

log = logging.getLogger(__name__)

WorkerFunction = Callable[[web.Application], Awaitable[None]]
RESTART_DELAYS = (1.0, 2.0, 5.0, 15.0, 60.0)


@dataclass(frozen=True, slots=True)
class Part:
    target: str  # "package.module:setup"
    role: Role
    link: tuple[str, str] | None = None  # (name, path) shown in the start-up line


@dataclass(frozen=True, slots=True)
class Worker:
    target: str  # "package.module:run"
    role: Role


PARTS: list[Part] = [
    Part("bot.webchat:setup", "web", link=("chat", "/chat")),  # /chat, its WebSocket, uploads
    Part("bot.telegram.webhook:setup", "bot"),  # POST /webhooks/telegram
    Part("bot.whatsapp.webhook:setup", "bot"),  # GET and POST /webhooks/whatsapp
    Part("console.schedule:setup", "web", link=("schedule", "/schedule")),  # public, R6
    Part("console.app:setup", "web", link=("console", "/console/")),  # staff, under /console/
]

WORKERS: list[Worker] = [
    Worker("bot.outbox:run_sender", "worker"),  # delivers the outbox within channel limits
    Worker("bot.jobs:run_jobs", "worker"),  # reminders and deadline alerts
    Worker("bot.telegram.polling:run_polling", "bot"),  # only does work in TELEGRAM_MODE=polling
]


def mount_parts(app: web.Application, settings: Settings) -> list[Part]:
    """Runs the setup of each part this process's roles include; returns those mounted."""
    mounted = []
    for part in PARTS:
        if not settings.runs(part.role):
            continue
        setup = _resolve("part", part.target)
        if setup is None:
            continue
        if inspect.iscoroutinefunction(setup):
            raise TypeError(
                f"{part.target} must be a plain function: routes are added before the server "
                "starts; put asynchronous start-up in app.cleanup_ctx"
            )
        setup(app)
        mounted.append(part)
    return mounted


def resolve_workers(settings: Settings) -> list[tuple[str, WorkerFunction]]:
    found = []
    for worker in WORKERS:
        if not settings.runs(worker.role):
            continue
        run = _resolve("worker", worker.target)
        if run is None:
            continue
        found.append((worker.target, run))
    return found


def _resolve(kind: str, target: str) -> Any | None:
    try:
        found = optional(target)
    except AttributeError:
        # The module is being written and lacks the function so far: the server still
        # starts, and the warning says which name the hook expects.
        log.warning("%s %s: the module has no such function yet; skipped", kind, target)
        return None
    if found is None:
        log.info("%s %s is not installed yet; skipped", kind, target)
    return found


def background_workers(
    workers: list[tuple[str, WorkerFunction]],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup_ctx entry that runs the workers as tasks while the server is up."""

    async def context(app: web.Application) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(_supervise(name, run, app), name=name) for name, run in workers
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    return context


async def _supervise(name: str, run: WorkerFunction, app: web.Application) -> None:
    """Keeps a worker alive: a crash is logged and the worker restarted after a growing pause."""
    crashes = 0
    while True:
        try:
            await run(app)
        except asyncio.CancelledError:
            raise
        except Exception:
            delay = RESTART_DELAYS[min(crashes, len(RESTART_DELAYS) - 1)]
            crashes += 1
            log.exception("worker %s crashed; restarting in %.0f s", name, delay)
            await asyncio.sleep(delay)
        else:
            log.info("worker %s finished", name)
            return
