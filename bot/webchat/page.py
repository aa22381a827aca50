"""The chat page: its words in the visitor's language, and the headers that guard it.

The page runs no inline script or style (CSP without 'unsafe-inline'); the akimat's sites
that may show it in a frame are listed in RECEPTION_WEBCHAT_FRAME_ANCESTORS.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from string import Template
from typing import Any

from aiohttp import web

TEMPLATE = Path(__file__).resolve().parent / "templates" / "chat.html"
LANGUAGES = ("kk", "ru")
# Words of the page itself (the dialog's come over the socket), from locales/*/bot.ftl.
PAGE_WORDS = (
    "title",
    "intro",
    "placeholder",
    "send",
    "attach",
    "offline",
    "sending",
    "upload-failed",
)
# What a frame-ancestors source may look like: keywords, schemes, hosts with optional port.
_SOURCE = re.compile(
    r"^(?:'self'|'none'|https?:|https?://(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::\d{1,5})?)$"
)


def frame_ancestors(value: str) -> str:
    """The checked list of sources; a bad one (or a ';' that would start another directive)
    stops the start-up rather than weaken or break the policy."""
    # A shell or .env file may have eaten the quotes of 'self' and 'none'.
    sources = [f"'{s}'" if s in ("self", "none") else s for s in value.split()]
    bad = [source for source in sources if not _SOURCE.match(source)]
    if not sources or bad:
        raise ValueError(
            "RECEPTION_WEBCHAT_FRAME_ANCESTORS: expected sources such as 'self' or "
            f"https://example.kz, got {' '.join(bad) or 'nothing'}"
        )
    if "'none'" in sources and len(sources) > 1:
        raise ValueError("RECEPTION_WEBCHAT_FRAME_ANCESTORS: 'none' stands alone")
    return " ".join(sources)


def security_headers(ancestors: str) -> dict[str, str]:
    policy = "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",  # the socket and uploads go to this origin only
            "form-action 'self'",
            "base-uri 'none'",
            f"frame-ancestors {ancestors}",
        )
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def page_language(request: web.Request) -> str:
    """?lang=kk|ru, else the browser's first choice of the two, else Kazakh."""
    asked = request.query.get("lang")
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "kk"


def render_page(translator: Any, lang: str, max_file_bytes: int) -> str:
    words = {
        name.replace("-", "_"): html.escape(translator(lang, f"webchat-{name}"), quote=True)
        for name in PAGE_WORDS
    }
    template = Template(TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(lang=lang, max_file_bytes=max_file_bytes, **words)
