"""The console's requests list and request card with 100k requests, SQLite and PostgreSQL.

The server is the product's own (`app.server.build_app`, the console part, a reception
user signed in through the login form), on a real loopback socket. "Server time" is measured
by a middleware on the outer application around everything the console does for a page:
session check, queries, rendering. Each page kind is requested `--samples` times (after a
warm-up) with varied filters and ids; p50 and p95 per kind are printed, then one line

    list_p95_ms=... card_p95_ms=...

with the worst p95 over list kinds and over dialects. The quarterly report (R30) over the same
100k requests is measured and printed too.

The 100k requests are written with bulk inserts (the domain's `register` sets numbers,
registration dates and terms; statuses are then spread over the life cycle), because
registering them one by one through the use case would take the bench an hour. PostgreSQL
runs in a schema of its own in the database TEST_DATABASE_URL (or --pg-url) names, dropped
at the end.

    .venv/bin/python bench/console.py [--requests 100000] [--samples 80] [--dialect both]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bench.console_seed import NOW, PASSWORD, USERNAME, seed  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CSRF_COOKIE = "console_login_csrf"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Timings:
    """Server time per page kind, filled by the middleware; the kind travels in a header."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}

    def middleware(self) -> Any:
        @web.middleware
        async def timed(request: web.Request, handler: Any) -> web.StreamResponse:
            started = time.perf_counter()
            response = await handler(request)
            kind = request.headers.get("X-Bench-Kind")
            if kind:
                elapsed = (time.perf_counter() - started) * 1000
                self.samples.setdefault(kind, []).append(elapsed)
            return response

        return timed


@asynccontextmanager
async def console_client(
    url: str, data_dir: Path, schema: str | None
) -> AsyncIterator[tuple[TestClient, Timings]]:
    from app import components, parts
    from app.config import load_settings
    from app.server import build_app
    from reception.clock import FixedClock
    from storage import engine as storage_engine

    parts.PARTS = [parts.Part("console.app:setup", "web")]
    parts.WORKERS = []
    if schema is not None:

        def create_engine(settings: Any) -> Any:
            return storage_engine.create_engine(
                settings.database_url,
                connect_args={"server_settings": {"search_path": schema}},
            )

        components.create_engine = create_engine  # type: ignore[assignment]
    settings = load_settings(
        database_url=url, data_dir=data_dir, secret_key="bench-" + "k" * 40, _env_file=None
    )
    app = build_app(settings, clock=FixedClock(NOW))
    timings = Timings()
    app.middlewares.insert(0, timings.middleware())
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        await sign_in(client)
        yield client, timings
    finally:
        await client.close()


async def sign_in(client: TestClient) -> None:
    await client.get("/console/login")
    token = client.session.cookie_jar.filter_cookies(client.make_url("/console/login"))
    response = await client.post(
        "/console/login",
        data={"username": USERNAME, "password": PASSWORD, "csrf_token": token[CSRF_COOKIE].value},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()


def list_kinds(official_ids: list[int], names: list[str], iins: list[str], numbers: list[str]):
    """Page kinds of the list and how to pick each sample's address."""
    pick = random.choice
    return {
        "list default": lambda: "/console/requests",
        "list filtered": lambda: (
            f"/console/requests?status={pick(['registered', 'under_review', 'all'])}"
            f"&official={pick(official_ids)}&channel={pick(['telegram', 'web', 'phone'])}"
        ),
        "list due 5 wd": lambda: "/console/requests?due=5",
        "list overdue": lambda: f"/console/requests?overdue=1&official={pick(official_ids)}",
        "list priority": lambda: "/console/requests?priority=1&status=all",
        "list search name": lambda: f"/console/requests?status=all&q={pick(names)}",
        "list search iin": lambda: f"/console/requests?status=all&q={pick(iins)}",
        "list search number": lambda: f"/console/requests?status=all&q={pick(numbers)}",
    }


async def measure(
    client: TestClient, timings: Timings, kinds: dict[str, Callable[[], str]], samples: int
) -> None:
    for kind, address in kinds.items():
        for n in range(samples + 5):
            headers = {"X-Bench-Kind": kind} if n >= 5 else {}  # 5 warm-up requests
            response = await client.get(address(), headers=headers, allow_redirects=False)
            if response.status != 200:
                raise RuntimeError(f"{kind}: {response.status} {response.url}")
            await response.read()


async def next_page_address(client: TestClient) -> Callable[[], str]:
    """A deep page: the cursor of the list's second page, followed."""
    html = await (await client.get("/console/requests?status=all")).text()
    found = re.search(r'href="(/console/requests\?[^"]*after=[^"]+)"', html)
    if not found:
        raise RuntimeError("the list shows no next page")
    address = found.group(1).replace("&amp;", "&")
    return lambda: address


async def run_dialect(name: str, url: str, args: argparse.Namespace) -> dict[str, list[float]]:
    schema = None
    if name == "postgresql":
        schema = f"bench_console_{os.getpid()}_{secrets.token_hex(3)}"
    with tempfile.TemporaryDirectory() as folder:
        if name == "sqlite":
            url = f"sqlite+aiosqlite:///{folder}/reception.db"
        started = time.perf_counter()
        facts = await seed(url, args.requests, schema)
        print(f"{name}: seeded {args.requests} requests in {time.perf_counter() - started:.0f} s")
        try:
            async with console_client(url, Path(folder) / "data", schema) as (client, timings):
                kinds = list_kinds(facts.official_ids, facts.names, facts.iins, facts.numbers)
                kinds["list next page"] = await next_page_address(client)
                ids = facts.request_ids
                kinds["card"] = lambda: f"/console/requests/{random.choice(ids)}"
                # Not in the last line, but shown: the quarterly report over the same data.
                kinds["report quarter"] = lambda: (
                    f"/console/reports?year={random.choice([2025, 2026])}"
                    f"&quarter={random.choice([1, 2, 3, 4])}"
                )
                await measure(client, timings, kinds, args.samples)
                return timings.samples
        finally:
            if schema is not None:
                await facts.drop()


def report(name: str, samples: dict[str, list[float]]) -> tuple[float, float]:
    print(f"\n{name}: server time per page, ms")
    print(f"{'page':<22}{'p50':>8}{'p95':>8}{'n':>6}")
    for kind, values in samples.items():
        print(
            f"{kind:<22}{statistics.median(values):8.1f}{percentile(values, 0.95):8.1f}"
            f"{len(values):6d}"
        )
    list_p95 = max(percentile(v, 0.95) for k, v in samples.items() if k.startswith("list"))
    return list_p95, percentile(samples["card"], 0.95)


async def main(args: argparse.Namespace) -> None:
    random.seed(7)
    dialects = ["sqlite", "postgresql"] if args.dialect == "both" else [args.dialect]
    worst_list = worst_card = 0.0
    for name in dialects:
        samples = await run_dialect(name, args.pg_url, args)
        list_p95, card_p95 = report(name, samples)
        worst_list, worst_card = max(worst_list, list_p95), max(worst_card, card_p95)
    print(f"\nlist_p95_ms={worst_list:.1f} card_p95_ms={worst_card:.1f}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=80)
    parser.add_argument("--dialect", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("TEST_DATABASE_URL", DEFAULT_PG),
        help="a PostgreSQL database to create the bench's schema in",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
