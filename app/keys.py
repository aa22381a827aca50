"""Typed keys for what the server shares with every part (STYLE: pass services by name).

A view reads `request.app[UOW_FACTORY]`; a part mounted as a sub-application reads
`request.config_dict[UOW_FACTORY]`, which also looks in the parent application.

SETTINGS, PROFILE, CALENDAR, CLOCK and TRANSLATOR are set by `build_app`, so a part's
`setup` may use them; ENGINE and UOW_FACTORY exist once the application has started.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from app.config import Settings
    from locales import Translator
    from reception.calendar import WorkingCalendar
    from reception.clock import Clock
    from reception.profile import Profile
    from storage.uow import SqlUnitOfWorkFactory

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
PROFILE: web.AppKey[Profile] = web.AppKey("profile")
CALENDAR: web.AppKey[WorkingCalendar] = web.AppKey("calendar")
CLOCK: web.AppKey[Clock] = web.AppKey("clock")
TRANSLATOR: web.AppKey[Translator] = web.AppKey("translator")
ENGINE: web.AppKey[AsyncEngine] = web.AppKey("engine")
UOW_FACTORY: web.AppKey[SqlUnitOfWorkFactory] = web.AppKey("uow_factory")
