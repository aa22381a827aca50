"""The whole product on a free 127.0.0.1 port, for the browser: `app.server.build_app` with
every part and worker (web chat, console, outbox sender), a temporary SQLite database with
the demo data, served by its own event loop in a background thread.

The tests reach into the database through `LiveServer.run(coroutine)`, which runs on the
server's loop (the engine belongs to it).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")
SECRET_KEY = "browser-tests-secret-key-" + "x" * 32


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    loop: asyncio.AbstractEventLoop = field(default_factory=asyncio.new_event_loop)
    app: web.Application | None = None
    _runner: web.AppRunner | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir}/reception.db"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.run(self._serve())

    def run(self, coroutine: Awaitable[T], timeout: float = 60) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self.loop)  # type: ignore[arg-type]
        return future.result(timeout)

    @property
    def uow_factory(self) -> Any:
        from app.keys import UOW_FACTORY

        assert self.app is not None
        return self.app[UOW_FACTORY]

    async def _serve(self) -> None:
        from app.cli import prepare_database
        from app.config import load_settings
        from app.keys import PROFILE
        from app.server import build_app

        settings = load_settings(
            database_url=self.database_url,
            data_dir=self.data_dir,
            secret_key=SECRET_KEY,
            host="127.0.0.1",
            port=self.port,
            _env_file=None,
        )
        app = build_app(settings)
        await prepare_database(settings, app[PROFILE], migrate=True, demo=True, demo_if_new=False)
        self._runner = web.AppRunner(app, shutdown_timeout=2)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.app = app

    def stop(self) -> None:
        if self._runner is not None:
            self.run(self._runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self.loop.close()
