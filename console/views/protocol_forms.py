"""Reading the protocol form into the use case's drafts; the rules are checked by the domain.

Field names: `include-<request>` (checkbox), `heard-<request>`, `spoke-<request>`,
`decision-<request>`; instruction rows `executor-<request>-<n>`, `text-<request>-<n>`,
`category-<request>-<n>`, `due-<request>-<n>`. A row left wholly empty is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from aiohttp import web

from reception.deadlines import ControlCategory
from reception.errors import ValidationFailed
from reception.services.protocols import InstructionDraft, ItemDraft, ProtocolHeader

MAX_INSTRUCTIONS = 20  # rows per applicant the form may carry (the page adds them on demand)
CATEGORIES = tuple(ControlCategory)


def path_id(request: web.Request, name: str) -> int:
    """A numeric id from the path; anything else is "not found"."""
    value = request.match_info[name]
    if not value.isdigit():
        raise web.HTTPNotFound()
    return int(value)


def text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def optional_date(value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("error-validation") from None


def header_from(form: Mapping[str, Any]) -> ProtocolHeader:
    attendees = [line.strip() for line in text(form, "attendees").splitlines() if line.strip()]
    return ProtocolHeader(
        chair=text(form, "chair"),
        secretary=text(form, "secretary"),
        place=text(form, "place"),
        attendees=tuple(attendees),
    )


def items_from(form: Mapping[str, Any], request_ids: Sequence[int]) -> list[ItemDraft]:
    """Only the applicants the form offered (the day's attended requests) are read."""
    items = []
    for request_id in request_ids:
        if not text(form, f"include-{request_id}"):
            continue
        items.append(
            ItemDraft(
                request_id=request_id,
                heard=text(form, f"heard-{request_id}"),
                spoke=text(form, f"spoke-{request_id}"),
                decision=text(form, f"decision-{request_id}"),
                instructions=tuple(_instructions(form, request_id)),
            )
        )
    return items


def _instructions(form: Mapping[str, Any], request_id: int) -> list[InstructionDraft]:
    drafts = []
    for n in range(MAX_INSTRUCTIONS):
        prefix = f"-{request_id}-{n}"
        executor, body = text(form, "executor" + prefix), text(form, "text" + prefix)
        due = text(form, "due" + prefix)
        if not (executor or body or due):
            continue
        category = text(form, "category" + prefix) or ControlCategory.NONE.value
        if category not in {c.value for c in CATEGORIES}:
            raise web.HTTPBadRequest()
        drafts.append(
            InstructionDraft(
                executor=executor,
                text=body,
                category=ControlCategory(category),
                explicit_due=optional_date(due),
            )
        )
    return drafts
