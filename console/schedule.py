"""The part app/parts.py mounts for the public reception schedule at /schedule (R6, R15).

It renders with the console's templates, which the console part (console.app) installs on
the main application; both parts run in every process with the web role.
"""

from __future__ import annotations

from aiohttp import web

from console.views import public


def setup(app: web.Application) -> None:
    public.mount(app)
