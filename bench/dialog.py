"""The dialog's throughput against a bare aiogram echo bot, on the same updates (issue 3).

Both bots run the real aiogram Dispatcher (`feed_update`) with a fake Bot API session that
prepares requests and parses answers like aiogram's own (tests/e2e/telegram_fakes.py).

The dialog side is the product as it runs: routers, pipeline (one transaction per update,
SQLite WAL), dialog, and the outbox sender delivering every reply in the same event loop.
Its time runs until the last reply has been sent, so delivery is paid for too.
Each simulated citizen books a reception from /start to "confirm" (22 updates: buttons,
texts, a shared contact), sending the next update once the previous one is handled;
`--concurrency` citizens are in flight at any time. Dialog and echo runs alternate, several
repeats, medians (the machine is noisy, ±20 %). The last line is

    dialog_ups=... echo_ups=... ratio=... p99_ms=...

(p99_ms: the dialog's 99th percentile of one update's handling, feed_update to commit.)

    .venv/bin/python bench/dialog.py [--users 200] [--concurrency 10] [--repeats 5]
    .venv/bin/python bench/dialog.py --profile     # one dialog run under pyinstrument
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from aiogram import Dispatcher, Router  # noqa: E402
from aiogram.types import CallbackQuery, Message  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from app.components import close_engine  # noqa: E402
from app.memory import freeze_startup_objects  # noqa: E402
from bot.outbox import ChannelLimits, OutboxSender  # noqa: E402
from bot.pipeline import shared_writer  # noqa: E402
from bot.telegram.runtime import build_dispatcher  # noqa: E402
from bot.telegram.sender import TelegramSender  # noqa: E402
from reception.clock import FixedClock  # noqa: E402
from reception.profile import load_profile  # noqa: E402
from storage.engine import create_engine  # noqa: E402
from storage.migrate import upgrade_to_head  # noqa: E402
from storage.tables import outbox, requests  # noqa: E402
from storage.uow import SqlUnitOfWorkFactory  # noqa: E402
from tests.e2e.telegram_fakes import (  # noqa: E402
    FakeBotApi,
    FakeTelegram,
    TelegramUser,
    as_update,
    fake_bot,
)
from tests.integration.dialog_support import (  # noqa: E402
    NOW,
    QUESTION,
    World,
    build_world,
    make_dialog,
    translator,
    valid_iin,
)

PROFILE = load_profile("typical-2023")
Feed = Callable[[dict[str, Any]], Awaitable[None]]


# -- the workload ---------------------------------------------------------------------------


def booking_script(user: TelegramUser, world: World, serial: int) -> list[dict[str, Any]]:
    """One citizen's whole booking, as the updates their Telegram sends."""
    lang = "kk" if serial % 2 else "ru"
    user.lang = lang
    return [
        user.text("/start"),
        user.tap("lang:" + lang),
        user.tap("consent:yes"),
        user.tap("menu:book"),
        user.tap("rep:self"),
        user.text("Ахметов Серік Болатұлы"),
        user.text(_iin(serial)),
        user.contact(f"+7701{serial:07d}"),
        user.tap("idtype:id-card"),
        user.text("012345678"),
        user.tap(f"topic:{world.roads_topic_id}"),
        user.tap(f"official:{world.akim_id}"),
        user.text(QUESTION[lang]),
        *[user.tap("no") for _ in range(4)],  # the admissibility questions (R18)
        user.tap("priority:none"),
        user.tap("format:in_person"),
        user.tap("rlang:" + lang),
        user.tap("slot:queue"),  # R22: all in the queue, so no two citizens race for a slot
        user.tap("confirm"),
    ]


def _iin(serial: int) -> str:
    """A distinct fictional IIN with a valid check digit (R37): born 15 March 1985, the
    serial number in digits 8-11; a serial for which no check digit exists gets day 16."""
    for day in range(15, 29):
        try:
            return valid_iin(f"8503{day}{3 if serial % 2 else 4}{serial % 10000:04d}")
        except AssertionError:  # no check digit exists for these eleven digits
            continue
    raise ValueError(f"no IIN for serial {serial}")


@dataclass
class Run:
    updates: int
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU time, all threads
    latencies: list[float]  # seconds per update: feed_update, from arrival to commit

    @property
    def ups(self) -> float:
        return self.updates / self.seconds

    @property
    def cpu_ups(self) -> float:
        """Updates per CPU second: what the rate would be with a core to itself; barely moved
        by other processes on a loaded machine, unlike `ups`."""
        return self.updates / self.cpu_seconds

    def percentile_ms(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)] * 1000


async def drive(scripts: list[list[dict[str, Any]]], feed: Feed, concurrency: int) -> list[float]:
    """Each citizen's updates in order; `concurrency` citizens at a time."""
    latencies: list[float] = []
    waiting = list(reversed(scripts))

    async def citizen_after_citizen() -> None:
        while waiting:
            for raw in waiting.pop():
                begin = time.perf_counter()
                await feed(raw)
                latencies.append(time.perf_counter() - begin)

    await asyncio.gather(*(citizen_after_citizen() for _ in range(concurrency)))
    return latencies


def make_scripts(world: World, users: int) -> list[list[dict[str, Any]]]:
    telegram = FakeTelegram()  # only numbers the updates; each run has its own fake
    return [booking_script(TelegramUser(telegram, 10_000 + n), world, n) for n in range(users)]


# -- the dialog -----------------------------------------------------------------------------


async def prepare_template(folder: Path) -> tuple[Path, World]:
    """A migrated SQLite file with the small akimat of the dialog tests; copied per run."""
    template = folder / "template.db"
    url = f"sqlite+aiosqlite:///{template}"
    await upgrade_to_head(url)
    engine = create_engine(url)
    world = await build_world(SqlUnitOfWorkFactory(engine))
    await engine.dispose()
    return template, world


async def run_dialog(
    template: Path, scripts: list[list[dict[str, Any]]], concurrency: int, folder: Path, tag: str
) -> Run:
    database = folder / f"dialog-{tag}.db"
    shutil.copyfile(template, database)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    uow_factory = SqlUnitOfWorkFactory(engine)
    clock = FixedClock(NOW)
    telegram = FakeTelegram()
    bot = fake_bot(telegram)
    data_dir = folder / f"data-{tag}"
    api = FakeBotApi(telegram)
    channel = TelegramSender(api, translator(), data_dir, ChannelLimits())  # no rate limits
    # As run_sender wires it: on SQLite, the pipeline's loop-thread connection, in turn.
    sender = OutboxSender(shared_writer(uow_factory), [channel], translator(), clock)
    dispatcher = build_dispatcher(
        uow_factory=uow_factory,
        dialog=make_dialog(data_dir, clock),
        documents=PROFILE.documents,
        clock=clock,
        on_commit=sender,  # as the product wires its hub: direct delivery included
        bot_api=api,  # as the product wires it (bot.telegram.webhook.telegram_runtime)
    )
    updates = {raw["update_id"]: as_update(bot, raw) for script in scripts for raw in script}

    async def feed(raw: dict[str, Any]) -> None:
        await dispatcher.feed_update(bot, updates[raw["update_id"]])

    started, cpu_started = time.perf_counter(), time.process_time()
    sending = asyncio.create_task(sender.run())
    try:
        latencies = await drive(scripts, feed, concurrency)
    finally:
        sending.cancel()  # finishes the round in flight
        await asyncio.gather(sending, return_exceptions=True)
    while await sender.run_once() == 0:  # what is still due: until the last reply is out
        pass
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    await _check(uow_factory, len(scripts), telegram)
    await close_engine(engine)  # as the server shuts down: the loop connection, its thread
    return Run(len(updates), seconds, cpu_seconds, latencies)


async def _check(uow_factory: Any, users: int, telegram: FakeTelegram) -> None:
    """The benchmark counts only work that was done right: every citizen registered, every
    reply delivered."""
    async with uow_factory(readonly=True) as uow:
        registered = await uow.connection.scalar(
            select(func.count()).select_from(requests).where(requests.c.status == "registered")
        )
        undelivered = await uow.connection.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.status != "sent")
        )
    if registered != users or undelivered:
        raise SystemExit(f"bench: {registered}/{users} registered, {undelivered} undelivered")
    if not telegram.sent("sendMessage"):
        raise SystemExit("bench: nothing reached the fake Telegram")


# -- the echo bot ---------------------------------------------------------------------------


def echo_dispatcher() -> Dispatcher:
    """A bare aiogram echo bot: aiogram's defaults (FSM with MemoryStorage), one handler per
    update type, each answering through the Bot API like the dialog does."""
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        contact = message.contact.phone_number if message.contact else None
        await message.answer(message.text or contact or "…")

    @router.callback_query()
    async def echo_button(query: CallbackQuery) -> None:
        await query.answer()
        assert query.message is not None
        await query.message.answer(query.data or "…")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def run_echo(scripts: list[list[dict[str, Any]]], concurrency: int) -> Run:
    bot = fake_bot(FakeTelegram())
    dispatcher = echo_dispatcher()
    updates = {raw["update_id"]: as_update(bot, raw) for script in scripts for raw in script}

    async def feed(raw: dict[str, Any]) -> None:
        await dispatcher.feed_update(bot, updates[raw["update_id"]])

    started, cpu_started = time.perf_counter(), time.process_time()
    latencies = await drive(scripts, feed, concurrency)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return Run(len(updates), seconds, cpu_seconds, latencies)


# -- the report -----------------------------------------------------------------------------


async def measure(users: int, concurrency: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-dialog-") as tmp:
        folder = Path(tmp)
        template, world = await prepare_template(folder)
        scripts = make_scripts(world, users)
        warm = scripts[: max(concurrency, 4)]
        await run_dialog(template, warm, concurrency, folder, "warm")  # imports, caches
        await run_echo(warm, concurrency)
        freeze_startup_objects()  # as the server does once started (app/memory.py)
        dialog_runs, echo_runs = [], []
        for repeat in range(repeats):  # interleaved; the order alternates
            order = ("dialog", "echo") if repeat % 2 == 0 else ("echo", "dialog")
            for kind in order:
                if kind == "dialog":
                    run = await run_dialog(template, scripts, concurrency, folder, str(repeat))
                    dialog_runs.append(run)
                else:
                    run = await run_echo(scripts, concurrency)
                    echo_runs.append(run)
                print(
                    f"  {kind:6} run {repeat + 1}: {run.ups:7.0f} updates/s "
                    f"({run.cpu_ups:5.0f} per CPU s), p50 {run.percentile_ms(0.5):6.2f} ms, "
                    f"p99 {run.percentile_ms(0.99):6.2f} ms"
                )
    report(users, concurrency, dialog_runs, echo_runs)


def report(users: int, concurrency: int, dialog_runs: list[Run], echo_runs: list[Run]) -> None:
    def median(runs: list[Run], value: Callable[[Run], float]) -> float:
        return statistics.median(value(run) for run in runs)

    dialog_ups = median(dialog_runs, lambda r: r.ups)
    echo_ups = median(echo_runs, lambda r: r.ups)
    ratios = [d.ups / e.ups for d, e in zip(dialog_runs, echo_runs, strict=True)]
    p99 = median(dialog_runs, lambda r: r.percentile_ms(0.99))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    updates = dialog_runs[0].updates
    print(f"{users} bookings, {updates} updates per run, {concurrency} citizens in flight")
    for name, runs in (("dialog", dialog_runs), ("echo", echo_runs)):
        print(
            f"{name:6}: {median(runs, lambda r: r.ups):7.0f} updates/s (median of {len(runs)}), "
            f"p50 {median(runs, lambda r: r.percentile_ms(0.5)):.2f} ms, "
            f"p99 {median(runs, lambda r: r.percentile_ms(0.99)):.2f} ms"
        )
    print(f"ratio per repeat: {', '.join(f'{r:.2f}' for r in ratios)}")
    cpu_ratios = [d.cpu_ups / e.cpu_ups for d, e in zip(dialog_runs, echo_runs, strict=True)]
    print(
        f"per CPU second: dialog {median(dialog_runs, lambda r: r.cpu_ups):.0f}, "
        f"echo {median(echo_runs, lambda r: r.cpu_ups):.0f}, "
        f"ratio {statistics.median(cpu_ratios):.2f} (robust to other processes' load)"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")
    ratio = statistics.median(ratios)
    print(f"dialog_ups={dialog_ups:.0f} echo_ups={echo_ups:.0f} ratio={ratio:.2f} p99_ms={p99:.1f}")


async def profile(users: int, concurrency: int) -> None:
    from pyinstrument import Profiler

    with tempfile.TemporaryDirectory(prefix="bench-dialog-") as tmp:
        folder = Path(tmp)
        template, world = await prepare_template(folder)
        scripts = make_scripts(world, users)
        await run_dialog(template, scripts[:concurrency], concurrency, folder, "warm")
        freeze_startup_objects()
        # Samples of the main thread only, as it is (async_mode off): time spent in the event
        # loop's select() is the loop idling, waiting for aiosqlite's thread or a lock.
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        run = await run_dialog(template, scripts, concurrency, folder, "profiled")
        profiler.stop()
    print(f"profiled run: {run.ups:.0f} updates/s (slower under the profiler)")
    print(where_the_time_goes(profiler))
    print(profiler.output_text(unicode=True, color=False, flat=True)[:6000])


GROUPS = (  # by file path or function: the first match names the group
    ("/aiosqlite/", "aiosqlite (thread hop per call)"),
    ("/sqlalchemy/", "SQLAlchemy Core (compile, execute, rows)"),
    ("sqlite3", "sqlite3 (the database engine)"),
    ("/aiogram/", "aiogram (dispatch, methods, session)"),
    ("/pydantic", "pydantic (aiogram's models)"),
    ("/fluent", "fluent.runtime (texts)"),
    ("/bot/outbox/", "our outbox sender"),
    ("/bot/telegram/", "our Telegram adapter"),
    ("/bot/flow/", "our dialog"),
    ("/bot/pipeline", "our pipeline"),
    ("/storage/", "our storage"),
    ("/reception/", "our domain"),
    ("/locales/", "our locales"),
    ("/tests/", "the fake Telegram"),
    ("/asyncio/", "asyncio (event loop, tasks)"),
    ("/json/", "json"),
)


def where_the_time_goes(profiler: Any) -> str:
    """Self time of the main thread by package; built-ins and pyinstrument's [self] frames
    count for the package that called them."""
    totals: dict[str, float] = {}
    root = profiler.last_session.root_frame(trim_stem=False)
    stack = [(root, "other")] if root else []
    while stack:
        frame, parent_group = stack.pop()
        group = _group(frame, parent_group)
        totals[group] = totals.get(group, 0.0) + frame.total_self_time
        stack.extend((child, group) for child in frame.children)
    total = sum(totals.values()) or 1.0
    lines = ["where the main thread's time goes (self time by package):"]
    for group, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        lines.append(f"  {seconds / total:6.1%}  {group}")
    return "\n".join(lines)


def _group(frame: Any, parent_group: str) -> str:
    path, function = frame.file_path or "", frame.function or ""
    if path == "<built-in>":
        if function.startswith(("epoll.", "select.", "poll.")):
            return IDLE
        if function.startswith(("Cursor.", "Connection.")) and "sqlalchemy" in parent_group:
            return SQLITE
        return parent_group
    if not path:  # pyinstrument's [self] and other synthetic frames
        return parent_group
    folder = path.rsplit("/", 2)[-2] if path.count("/") >= 2 else path
    return next((name for key, name in GROUPS if key in path), "other: " + folder)


IDLE = "idle: the loop waits (aiosqlite's thread, the writer lock)"
SQLITE = "sqlite3 calls made on the loop thread"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="bookings per run")
    parser.add_argument("--concurrency", type=int, default=10, help="citizens in flight")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile one dialog run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("aiogram").setLevel(logging.WARNING)
    if args.profile:
        asyncio.run(profile(args.users, args.concurrency))
    else:
        asyncio.run(measure(args.users, args.concurrency, args.repeats))


if __name__ == "__main__":
    main()
