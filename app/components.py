"""Builds the pieces the composition root needs from the other packages.

Storage is imported only when it is needed, so `app` imports cleanly, and `reception --help`
works, on an install without a database layer; asking for a missing piece raises
MissingComponent saying what is missing and why.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reception.profile import Profile, ProfileError
from reception.profile import load_profile as load_profile_file

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from app.config import Settings


class MissingComponent(RuntimeError):
    """A module or function this command needs is not installed (or not written yet)."""


class StartupError(RuntimeError):
    """The configuration names something that cannot be used, e.g. an unknown profile."""


def optional(target: str) -> Any | None:
    """The object at "package.module:name", or None when that module does not exist.

    Only the absence of the module itself (or a parent package) counts as absent: a module that
    exists but fails to import, or lacks the name, raises as usual.
    """
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name + ".").startswith(error.name + "."):
            return None
        raise
    return getattr(module, attribute)


def required(target: str, purpose: str) -> Any:
    module_name, _, attribute = target.partition(":")
    try:
        found = optional(target)
    except AttributeError:
        found = None
    if found is None:
        raise MissingComponent(
            f"{purpose} needs {module_name}.{attribute}, which is not available yet "
            f"(is the {module_name.split('.')[0]} package installed and complete?)"
        )
    return found


def load_profile(settings: Settings) -> Profile:
    try:
        return load_profile_file(settings.profile)
    except ProfileError as error:
        raise StartupError(f"RECEPTION_PROFILE={settings.profile!r}: {error}") from None


def create_engine(settings: Settings) -> AsyncEngine:
    create = required("storage.engine:create_engine", "the database")
    return create(settings.database_url)  # type: ignore[no-any-return]


def make_uow_factory(engine: AsyncEngine) -> Any:
    return required("storage.uow:SqlUnitOfWorkFactory", "the unit of work")(engine)


async def close_engine(engine: AsyncEngine) -> None:
    """At shutdown: the bot's loop-thread SQLite connection first, while the event loop still
    runs (storage.inloop.close_for), then the engine's pool."""
    required("storage.inloop:close_for", "closing the database")(engine)
    await engine.dispose()
