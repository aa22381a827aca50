"""The staff console: an aiohttp sub-application under /console/ (the public /schedule is
the part console.schedule, rendered with the same templates).

Every module in console/views/ that defines `routes = web.RouteTableDef()` is mounted
(paths relative to /console); a module may also define `setup(console: web.Application)`
for its own cleanup_ctx or signals. Each route declares its roles (console.rbac.roles).

Middlewares, outermost first: errors (localized pages), auth (session, roles), csrf.
The security headers are set in on_response_prepare, so error pages get them too.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from app.keys import CLOCK, PROFILE, TRANSLATOR
from console import auth, views
from console.errors import error_middleware
from console.rbac import ALL_STAFF, roles
from console.security import csrf_middleware, on_response_prepare
from console.templating import install_globals
from console.web import CONSOLE_APP, JINJA, RULES, console_url, current_user, redirect
from reception.citizens import Role
from reception.services.context import Rules

PACKAGE_DIR = Path(__file__).resolve().parent
PREFIX = "/console"


def setup(app: web.Application) -> None:
    """The part app/parts.py mounts: the console under /console/."""
    console = build_console(app)
    app.add_subapp(PREFIX, console)
    app[CONSOLE_APP] = console
    # The public schedule (console.schedule, its own part) lives on the main application and
    # renders with the console's templates.
    app[JINJA], app[RULES] = console[JINJA], console[RULES]


def build_console(parent: web.Application) -> web.Application:
    console = web.Application(middlewares=[error_middleware, auth.auth_middleware, csrf_middleware])
    console[RULES] = Rules.build(parent[PROFILE], parent[CLOCK])
    env = aiohttp_jinja2.setup(
        console,
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
        app_key=JINJA,
        default_helpers=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_globals(env, parent[TRANSLATOR])
    console.on_response_prepare.append(on_response_prepare)
    console.router.add_routes(auth.routes)
    console.router.add_get("/", home, name="home")
    console.router.add_static("/static/", PACKAGE_DIR / "static", name="static")
    for module in view_modules():
        routes = getattr(module, "routes", None)
        if routes is not None:
            console.router.add_routes(routes)
        extra_setup = getattr(module, "setup", None)
        if extra_setup is not None:
            extra_setup(console)
    return console


def view_modules() -> list[Any]:
    """Every module of console/views, in name order, so the route table is reproducible."""
    names = sorted(info.name for info in pkgutil.iter_modules(views.__path__))
    return [importlib.import_module(f"{views.__name__}.{name}") for name in names]


_HOME = {
    Role.OPERATOR: ("inbox", "requests"),
    Role.RECEPTION: ("requests",),
    Role.OFFICIAL: ("requests",),
    Role.ADMIN: ("requests",),
}


@roles(ALL_STAFF)
async def home(request: web.Request) -> web.StreamResponse:
    """Each role starts on its own first screen (an operator on the inbox when it exists)."""
    router = request.app.router
    for name in _HOME[current_user(request).role]:
        if name in router:
            return redirect(console_url(request, name))
    return redirect(console_url(request, "requests"))
