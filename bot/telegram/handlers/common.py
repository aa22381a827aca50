"""What every handler shares: the services it is given by name, and the one call it ends with.

Handlers declare the services they use as parameters; aiogram fills them from the
Dispatcher's workflow_data (bot.telegram.runtime.build_dispatcher).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.flow.events import Incoming

# bot.pipeline.process(uow_factory, dialog, event, on_commit=None) -> bool
Process = Callable[..., Awaitable[bool]]
OnCommit = Callable[..., Any] | None


async def hand_over(
    event: Incoming, process: Process, uow_factory: Any, dialog: Any, on_commit: OnCommit
) -> bool:
    """False when the update was a duplicate: already handled, nothing new stored."""
    return await process(uow_factory, dialog, event, on_commit=on_commit)
