"""Reading form fields and query parameters; bad input becomes a localized ValidationFailed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from reception.errors import ValidationFailed

MAX_FIELD = 4000


def field(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


def form_int(form: Mapping[str, Any], name: str) -> int | None:
    value = field(form, name)
    try:
        return int(value) if value else None
    except ValueError:
        return None


def form_date(form: Mapping[str, Any], name: str) -> date:
    try:
        return date.fromisoformat(field(form, name))
    except ValueError:
        raise ValidationFailed("console-error-date") from None


def form_time(form: Mapping[str, Any], name: str, default: time) -> time:
    value = field(form, name)
    if not value:
        return default
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("console-error-time") from None


def checked(form: Mapping[str, Any], name: str) -> bool:
    return field(form, name) in ("1", "on", "true")


def required_int(form: Mapping[str, Any], name: str) -> int:
    value = form_int(form, name)
    if value is None:
        raise ValidationFailed("error-validation")
    return value
