"""Jinja globals of the console's templates. Every text is a Fluent id: `{{ _("id", n=3) }}`.

`_`, `date`, `datetime` and `url` read `lang` and `request` from the page context that
console.web.render fills, so macros that need them are imported `with context`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as date_type
from datetime import datetime as datetime_type
from typing import Any

import jinja2
from aiohttp import web

from console.rbac import admits
from console.web import CONSOLE_APP, USER, console_url
from locales import Translator, format_date, format_datetime

STATIC_PREFIX = "/console/static/"

# The main menu: (route name, Fluent id). An entry shows when the route exists and admits the
# user's role, so the menu follows the routes' own declarations.
NAV = (
    ("inbox", "console-nav-inbox"),
    ("requests", "console-nav-requests"),
    ("intake", "console-nav-intake"),
    ("daylist", "console-nav-daylist"),
    ("protocols", "console-nav-protocols"),
    ("control", "console-nav-control"),
    ("digest", "console-nav-digest"),
    ("reports", "console-nav-reports"),
    ("schedules", "console-nav-schedules"),
    ("undelivered", "console-nav-undelivered"),
    ("users", "console-nav-users"),
    ("audit", "console-nav-audit"),
)
# A count shown next to a menu entry (0: none), by route name; a view module registers its
# own in its setup(console), e.g. console/views/undelivered.py. Read synchronously while the
# page renders, so each is a cached number, never a query.
NAV_BADGES: web.AppKey[dict[str, Callable[[Any], int]]] = web.AppKey("console_nav_badges", dict)


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    message_id: str
    current: bool
    badge: int = 0


def nav_items(request: Any) -> list[NavItem]:
    user = request.get(USER)
    if user is None:
        return []
    router = request.config_dict[CONSOLE_APP].router
    badges = request.config_dict.get(NAV_BADGES, {})
    items = []
    for name, message_id in NAV:
        if name not in router:
            continue
        resource = router[name]
        handler = next((r.handler for r in resource if r.method == "GET"), None)
        if handler is None or not admits(handler, user):
            continue
        href = str(resource.url_for())
        badge = badges[name](request) if name in badges else 0
        items.append(NavItem(href, message_id, request.path.startswith(href), badge))
    return items


class CachedTranslator:
    """Fluent formatting costs ~20 µs a message and a list page shows hundreds (statuses,
    channels, badges): the same (language, id, arguments) is formatted once. Messages are
    read-only after start-up, so the cache never goes stale; it is bounded all the same."""

    MAX_ENTRIES = 20_000

    def __init__(self, translator: Translator) -> None:
        self._translator = translator
        self._cache: dict[tuple[Any, ...], str] = {}

    def __call__(self, lang: str, message_id: str, **args: Any) -> str:
        try:
            key: tuple[Any, ...] = (lang, message_id, *sorted(args.items()))
            return self._cache[key]
        except KeyError:
            pass
        except TypeError:  # an argument that cannot be a key (a list): format it every time
            return self._translator(lang, message_id, **args)
        text = self._translator(lang, message_id, **args)
        if len(self._cache) >= self.MAX_ENTRIES:
            self._cache.clear()
        self._cache[key] = text
        return text


def install_globals(env: jinja2.Environment, translator: Translator) -> None:
    cached = CachedTranslator(translator)

    @jinja2.pass_context
    def translate(context: Any, message_id: str, **args: Any) -> str:
        return cached(context.get("lang", "ru"), message_id, **args)

    @jinja2.pass_context
    def has_message(context: Any, message_id: str) -> bool:
        return translator.has(context.get("lang", "ru"), message_id)

    @jinja2.pass_context
    def show_date(context: Any, value: date_type | None) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime_type):
            return format_datetime(value, context.get("lang", "ru"))
        return format_date(value, context.get("lang", "ru"))

    @jinja2.pass_context
    def url(context: Any, name: str, query: dict[str, Any] | None = None, **parts: Any) -> str:
        return console_url(context["request"], name, query=query, **parts)

    def static(path: str) -> str:
        return STATIC_PREFIX + path

    def status_id(status: Any) -> str:
        """Fluent ids of statuses use hyphens: status-needs-fix for needs_fix."""
        return "status-" + str(status).replace("_", "-")

    env.globals.update(
        _=translate,
        has_message=has_message,
        show_date=show_date,
        url=url,
        static=static,
        nav_items=nav_items,
        status_id=status_id,
    )
