"""Notices a transition causes. Written to the outbox in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class NoticeKind(StrEnum):
    """Kinds also select the WhatsApp template outside the 24-hour window (R38)."""

    REGISTERED = "registered"
    LEFT_WITHOUT_CONSIDERATION = "left-without-consideration"
    FIX_REQUEST = "fix-request"
    RETURNED = "returned"
    FORWARDED = "forwarded"
    UNDER_REVIEW = "under-review"
    EXTENSION = "extension"
    HEARING = "hearing"
    REFUSED = "refused"
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    INVITATION = "invitation"
    ATTENDED = "attended"
    NO_SHOW = "no-show"
    FINAL_ANSWER = "final-answer"
    WITHDRAWN = "withdrawn"
    REMINDER = "reminder"
    SATISFACTION = "satisfaction"


@dataclass(frozen=True, slots=True)
class Notification:
    kind: NoticeKind
    citizen_id: int
    request_id: int | None
    message_id: str
    args: dict[str, Any] = field(default_factory=dict)
