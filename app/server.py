"""The one aiohttp server: web chat, webhooks, public schedule, console and workers on one port.

`build_app` is the only place that creates infrastructure for the web process (STYLE: one
start-up module per process); the parts of app/parts.py mount on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from sqlalchemy import text

from app import __version__, components
from app.config import Settings
from app.keys import CALENDAR, CLOCK, ENGINE, PROFILE, SETTINGS, TRANSLATOR, UOW_FACTORY
from app.parts import Part, background_workers, mount_parts, resolve_workers
from locales import Translator
from reception.calendar import WorkingCalendar
from reception.clock import Clock, SystemClock

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 3
# Telegram's 20 MB download limit, plus room for the form around an upload.
MAX_REQUEST_BYTES = 25 * 1024 * 1024


def build_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    """The application for this process's roles; `clock` lets tests fix the time."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[SETTINGS] = settings
    profile = components.load_profile(settings)
    app[PROFILE] = profile
    app[CALENDAR] = WorkingCalendar(profile)
    app[CLOCK] = clock if clock is not None else SystemClock()
    app[TRANSLATOR] = Translator()

    # Order of cleanup_ctx: infrastructure first, then the parts' own contexts, then the
    # workers; shutdown runs in reverse, so workers stop before the engine closes.
    app.cleanup_ctx.append(infrastructure)
    app.router.add_get("/healthz", healthz)  # on every process, for its own health check
    if settings.runs("web"):
        app.router.add_get("/", index)
    mounted = mount_parts(app, settings)
    app.cleanup_ctx.append(background_workers(resolve_workers(settings)))

    async def announce(app: web.Application) -> None:
        log.info("%s", startup_line(settings, mounted))

    app.on_startup.append(announce)
    return app


async def infrastructure(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = components.create_engine(settings)
    try:
        app[ENGINE] = engine
        app[UOW_FACTORY] = components.make_uow_factory(engine)
        yield
    finally:
        await components.close_engine(engine)


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers; 503 otherwise, so a load balancer stops routing here."""
    database_ok = await database_reachable(request.app)
    body = {
        "status": "ok" if database_ok else "error",
        "database": "ok" if database_ok else "unreachable",
        "profile": request.app[PROFILE].id,
        "version": __version__,
    }
    return web.json_response(
        body, status=200 if database_ok else 503, headers={"Cache-Control": "no-store"}
    )


async def database_reachable(app: web.Application) -> bool:
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS):
            async with app[ENGINE].connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "down"; the check itself must not fail
        log.warning("health check: database unreachable: %s", type(error).__name__)
        return False
    return True


async def index(request: web.Request) -> web.Response:
    raise web.HTTPFound("/chat")


def startup_line(settings: Settings, mounted: list[Part]) -> str:
    links = [part.link for part in mounted if part.link is not None]
    links.append(("healthz", "/healthz"))
    shown = ", ".join(f"{name} {settings.base_url}{path}" for name, path in links)
    return (
        f"reception {__version__} serving {shown}; roles {','.join(sorted(settings.roles))}; "
        f"profile {settings.profile}; database {settings.safe_database_url}"
    )
