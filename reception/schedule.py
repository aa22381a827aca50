"""Officials, reception days and slots (R1, R5, R6, R9, R10, R12, R22, R34)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from reception.requests import ReceptionFormat


@dataclass(slots=True)
class Official:
    name_kk: str
    name_ru: str
    position_kk: str
    position_ru: str
    id: int | None = None
    group: int = 1  # R1: 1 akim and deputies, 2 apparatus head, 3 subdivision heads, 4 others
    language: str = "kk"
    telegram_chat_id: int | None = None  # linked once with a one-time code (R25)
    phone: str | None = None  # the reception office contact published with the schedule (R6)
    email: str | None = None
    active: bool = True

    def name(self, lang: str) -> str:
        return self.name_kk if lang == "kk" else self.name_ru

    def position(self, lang: str) -> str:
        return self.position_kk if lang == "kk" else self.position_ru


@dataclass(slots=True)
class Topic:
    """R18.1, R2: the topic list carries competence."""

    code: str
    name_kk: str
    name_ru: str
    competence: str = "local"  # local | central (reception centres, R2) | other
    official_id: int | None = None
    redirect_kk: str | None = None  # where to turn when not local
    redirect_ru: str | None = None
    id: int | None = None
    active: bool = True

    def name(self, lang: str) -> str:
        return self.name_kk if lang == "kk" else self.name_ru


@dataclass(slots=True)
class ReceptionDay:
    official_id: int
    day: date
    starts: time
    ends: time
    place_kk: str
    place_ru: str
    format: ReceptionFormat = ReceptionFormat.IN_PERSON
    slot_minutes: int = 20
    video_link: str | None = None
    id: int | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None

    def place(self, lang: str) -> str:
        return self.place_kk if lang == "kk" else self.place_ru


@dataclass(slots=True)
class Slot:
    reception_day_id: int
    starts_at: datetime  # aware, Asia/Almaty
    ends_at: datetime
    id: int | None = None
