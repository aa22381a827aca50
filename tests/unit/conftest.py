"""Fixtures of the domain tests: the default profile, its calendar and terms, a fixed moment.

`NOW` is Monday 3 November 2025, 10:00 in Almaty: an ordinary working week, far from Nauryz,
with the 16 December holiday within reach of the longer terms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

import pytest

from reception.actors import Actor
from reception.calendar import WorkingCalendar
from reception.clock import ALMATY
from reception.deadlines import Deadlines
from reception.profile import Profile, load_profile
from reception.requests import BookingRequest, Channel

NOW = datetime(2025, 11, 3, 10, 0, tzinfo=ALMATY)
PROFILES = ("typical-2023", "turkestan-2020", "zhetisu-2023", "almaty-2025")
STAFF = Actor.staff(7)
CITIZEN = Actor.citizen(1)


@cache
def rules_for(name: str) -> tuple[Profile, WorkingCalendar, Deadlines]:
    """Profiles and calendars are immutable; building each once keeps the suite fast."""
    profile = load_profile(name)
    calendar = WorkingCalendar(profile)
    return profile, calendar, Deadlines(calendar, profile)


@pytest.fixture
def profile() -> Profile:
    return rules_for("typical-2023")[0]


@pytest.fixture
def calendar() -> WorkingCalendar:
    return rules_for("typical-2023")[1]


@pytest.fixture
def deadlines() -> Deadlines:
    return rules_for("typical-2023")[2]


@pytest.fixture
def now() -> datetime:
    return NOW


def new_request(**fields: Any) -> BookingRequest:
    values: dict[str, Any] = {
        "citizen_id": 1,
        "official_id": 10,
        "channel": Channel.TELEGRAM,
        "question": "Прошу отремонтировать дорогу на улице Абая",
        "applicant_name": "Әлия Серікқызы",
        "applicant_iin": "900101400123",
        "id": 100,
    }
    values.update(fields)
    return BookingRequest(**values)


@pytest.fixture
def make_request() -> Callable[..., BookingRequest]:
    return new_request


@pytest.fixture
def registered(deadlines: Deadlines, now: datetime) -> BookingRequest:
    request = new_request()
    request.register("2025-000100", CITIZEN, now, deadlines)
    return request
