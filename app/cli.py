"""The `reception` command: run, migrate, demo-data, create-user."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__, components
from app.components import MissingComponent, StartupError
from app.config import Settings, SettingsError, load_settings
from app.logging import configure_logging
from reception.clock import SystemClock
from reception.profile import Profile

log = logging.getLogger(__name__)

STAFF_ROLES = ("operator", "reception", "official", "admin")
SHUTDOWN_TIMEOUT_SECONDS = 15.0
EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        settings = load_settings(**overrides_from(arguments))
        configure_logging(settings.log_level)
        return int(arguments.command(settings, arguments))
    except (SettingsError, MissingComponent, StartupError) as error:
        print(f"reception: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reception",
        description="Personal reception of citizens: bot, web chat and staff console.",
        epilog="Configuration comes from RECEPTION_*, TELEGRAM_* and WHATSAPP_* variables "
        "and a .env file; see README.md.",
    )
    parser.add_argument("--version", action="version", version=f"reception {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="migrate, then serve everything on one port")
    run.add_argument("--host", help="address to bind (RECEPTION_HOST)")
    run.add_argument("--port", type=int, help="port to bind (RECEPTION_PORT)")
    run.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    run.add_argument("--demo", action="store_true", help="load the demo data before serving")
    for role, what in (
        ("web", "web chat, public schedule, console"),
        ("bot", "Telegram and WhatsApp webhooks or polling"),
        ("worker", "outbox sender and scheduled jobs"),
    ):
        run.add_argument(
            f"--{role}",
            dest="roles",
            action="append_const",
            const=role,
            help=f"run the {role} role: {what} (several allowed; default RECEPTION_ROLES)",
        )
    run.set_defaults(command=command_run)

    migrate = commands.add_parser("migrate", help="apply database migrations up to the newest")
    migrate.set_defaults(command=command_migrate)

    demo = commands.add_parser("demo-data", help="load the demo officials, schedules, requests")
    demo.set_defaults(command=command_demo_data)

    user = commands.add_parser(
        "create-user",
        help="add a staff user (password from RECEPTION_NEW_PASSWORD or a prompt)",
    )
    user.add_argument("username")
    user.add_argument("--role", choices=STAFF_ROLES, required=True)
    user.add_argument("--full-name", required=True)
    user.add_argument("--language", choices=("kk", "ru"), default="ru", help="console language")
    user.add_argument(
        "--official-id", type=int, help="for --role official: the official whose receptions"
    )
    user.set_defaults(command=command_create_user)
    return parser


def overrides_from(arguments: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name in ("host", "port"):
        if getattr(arguments, name, None) is not None:
            overrides[name] = getattr(arguments, name)
    if getattr(arguments, "roles", None):
        overrides["roles"] = frozenset(arguments.roles)
    return overrides


def command_run(settings: Settings, arguments: argparse.Namespace) -> int:
    from aiohttp import web

    from app.keys import PROFILE
    from app.server import build_app

    async def prepared_app() -> web.Application:
        # Runs inside run_app's loop. The app is built first, so a bad profile or a broken
        # part stops the start before the database is touched.
        app = build_app(settings)
        await prepare_database(
            settings,
            app[PROFILE],
            migrate=not arguments.no_migrate,
            demo=arguments.demo,
            demo_if_new=settings.demo,
        )
        app.on_startup.append(_freeze_startup_objects)  # last: once every part has started
        return app

    web.run_app(
        prepared_app(),
        host=settings.host,
        port=settings.port,
        shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS,
        print=None,  # the app logs its own start-up line, with the links
    )
    return 0


async def _freeze_startup_objects(app: Any) -> None:
    from app.memory import freeze_startup_objects

    freeze_startup_objects()


async def prepare_database(
    settings: Settings, profile: Profile, *, migrate: bool, demo: bool, demo_if_new: bool
) -> None:
    """Migrations, then demo data: with --demo always (loading is idempotent), with
    RECEPTION_DEMO=1 only into a database that had no tables before this start, so demo
    officials never land in a real database."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    load_demo_data = demo or (demo_if_new and not await has_schema(settings))
    if migrate:
        await upgrade(settings)
    if load_demo_data:
        await load_demo(settings, profile)


async def has_schema(settings: Settings) -> bool:
    from sqlalchemy import inspect

    engine = components.create_engine(settings)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    finally:
        await engine.dispose()
    return bool(tables)


async def upgrade(settings: Settings) -> None:
    upgrade_to_head = components.required("storage.migrate:upgrade_to_head", "migrate")
    log.info("applying migrations to %s", settings.safe_database_url)
    await upgrade_to_head(settings.database_url)


async def load_demo(settings: Settings, profile: Profile) -> None:
    load_demo_data = components.required("storage.demo:load_demo_data", "demo-data")
    engine = components.create_engine(settings)
    try:
        await load_demo_data(components.make_uow_factory(engine), profile, SystemClock())
    finally:
        await engine.dispose()
    log.info("demo data loaded")


def command_migrate(settings: Settings, arguments: argparse.Namespace) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(upgrade(settings))
    return 0


def command_demo_data(settings: Settings, arguments: argparse.Namespace) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(load_demo(settings, components.load_profile(settings)))
    return 0


def command_create_user(settings: Settings, arguments: argparse.Namespace) -> int:
    # The console's use case: the same name rules, password length and audit record as an
    # admin creating a user in the console.
    create_account = components.required("console.auth:create_account", "create-user")
    password = new_password()
    if password is None:
        return EXIT_CONFIG

    async def create() -> str | None:
        engine = components.create_engine(settings)
        try:
            return await create_account(
                components.make_uow_factory(engine),
                username=arguments.username,
                password=password,
                role=arguments.role,
                full_name=arguments.full_name,
                language=arguments.language,
                official_id=arguments.official_id,
            )
        finally:
            await engine.dispose()

    problem = asyncio.run(create())
    if problem is not None:
        print(f"reception: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    print(f"user {arguments.username} created with role {arguments.role}")
    return 0


def new_password() -> str | None:
    """RECEPTION_NEW_PASSWORD (for scripts), else typed twice at a terminal."""
    password = os.environ.get("RECEPTION_NEW_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        print(
            "reception: no terminal to ask for the password; set RECEPTION_NEW_PASSWORD",
            file=sys.stderr,
        )
        return None
    password = getpass.getpass("Password: ")
    if not password or password != getpass.getpass("Repeat the password: "):
        print("reception: the passwords are empty or differ", file=sys.stderr)
        return None
    return password
