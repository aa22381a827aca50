"""The channel-free dialog: `Dialog` turns an `Incoming` event into `Reply`s.

Imported lazily, so `bot.flow.events` (which every channel and the outbox use) stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.flow.dialog import Dialog, Outcome

__all__ = ["Dialog", "Outcome"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bot.flow import dialog

        return getattr(dialog, name)
    raise AttributeError(name)
