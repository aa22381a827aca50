"""The regulation profile: the numbers and lists that differ between regions (DESIGN.md).

Each region adopts its own copy of the typical regulation. The profile holds what differs
(terms, grounds of R18, the R9 priority list, working hours, reminders) so the code does not.
Profiles ship as TOML in ``reception/profiles/``; ``typical-2023`` (file 001) is the default.
Reading and validating the TOML lives in ``reception.profile_toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from pathlib import Path

from reception.errors import DomainError

DEFAULT_PROFILE = "typical-2023"


class ProfileError(DomainError):
    """A profile file is missing, unreadable, or a field is missing or of the wrong type.

    ``str(error)`` names the file and the dotted field, e.g.
    ``typical-2023.toml: terms.answer_working_days: expected an integer, got 'x'``.
    """

    message_id = "error-profile-invalid"

    def __init__(self, file: str, field: str, problem: str) -> None:
        super().__init__(None, file=file, field=field, problem=problem)
        self.file = file
        self.field = field
        self.problem = problem

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.problem}"


class AnswerVariant(StrEnum):
    """What the applicant gets within the answer term (R21)."""

    DATE_AND_TIME = "date-and-time"  # 2023 typical: date and time of reception (001 §29)
    DATE_TIME_OR_REFUSAL = "date-time-or-refusal"  # 2020: or a motivated refusal (000 §29)
    LIST_THEN_DATE_TIME = "list-then-date-time"  # Almaty 2025: list, then +2 wd (003 §25)


@dataclass(frozen=True, slots=True)
class BodyNames:
    name_kk: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """R34: 09:00-19:00 with lunch 13:00-15:00 (004 §201)."""

    start: time
    end: time
    lunch_start: time
    lunch_end: time


@dataclass(frozen=True, slots=True)
class Terms:
    registration_working_days: int  # R20: 0 = the day it arrives (2023); 3 = within 3 wd (2020)
    answer_working_days: int  # R21: 15
    answer_variant: AnswerVariant
    date_after_list_working_days: int  # R21 Almaty: 2; others 0
    extension_letter_calendar_days: int  # R23: 30; 0 = the regulation has no letter step (2020)
    extension_decision_months: int  # R23: 2
    extension_notice_working_days: int  # R23: 3
    hearing_working_days: int  # R24: 3
    forward_working_days: int  # R19: 3
    invitation_notice_working_days: int  # R13: 2
    cancellation_notice_working_days: int  # R12: 2
    day_list_working_days_before: int  # R25: 1
    reference_note_working_days_before: int  # R22: 5
    fix_period_working_days: int  # R17: the default "reasonable period"


@dataclass(frozen=True, slots=True)
class Ground:
    """A ground of R18 on which no booking is made."""

    id: str
    rule: str  # e.g. "R18.1"

    @property
    def message_id(self) -> str:
        return f"ground-{self.id}"

    @property
    def question_message_id(self) -> str:
        return f"admissibility-ask-{self.id}"


@dataclass(frozen=True, slots=True)
class PriorityCategory:
    """R9: received out of turn."""

    id: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class Reminders:
    day_list_time: time  # R25: the day list goes out at this time, 1 wd before
    official_morning_time: time
    citizen_day_before_time: time
    citizen_hours_before: int
    staff_digest_time: time


@dataclass(frozen=True, slots=True)
class Documents:
    max_file_mb: int
    allowed_types: tuple[str, ...]  # MIME types
    collect_id_scan: bool = False  # R7: the document is shown at reception; a scan is optional


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    """Days the Kazakhstan calendar of the ``holidays`` package does not know yet (R35)."""

    extra_holidays: tuple[date, ...] = ()
    extra_working_days: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlTerms:
    """R31 (004 §155, §157, §160)."""

    very_urgent_working_days: int = 3
    urgent_working_days: int = 10
    short_months: int = 1
    medium_months: int = 6
    long_months: int = 12
    default_months: int = 1
    remind_working_days_before: int = 3
    max_extensions: int = 1


# The grounds of R18 the product knows; admissibility and the locales key on these ids.
KNOWN_GROUNDS = frozenset(
    {
        "outside-competence",  # R18.1
        "administrative-decision",  # R18.2
        "court-act",  # R18.3
        "returned",  # R18.4
        "withdrawn",  # R18.5
        "already-answered",  # 2020 (000 §14): already received or answered on the same question
    }
)


@dataclass(frozen=True, slots=True)
class Profile:
    id: str
    title: str
    source: str
    body: BodyNames
    hours: WorkingHours
    terms: Terms
    grounds: tuple[Ground, ...]
    priority_categories: tuple[PriorityCategory, ...]
    reminders: Reminders
    restrictive_mode: bool  # R10: reception only by video-conference
    documents: Documents
    calendar: CalendarOverrides = CalendarOverrides()
    control: ControlTerms = ControlTerms()

    @property
    def ground_ids(self) -> tuple[str, ...]:
        return tuple(ground.id for ground in self.grounds)

    def ground(self, ground_id: str) -> Ground | None:
        return next((g for g in self.grounds if g.id == ground_id), None)

    def priority_category(self, category_id: str) -> PriorityCategory | None:
        return next((c for c in self.priority_categories if c.id == category_id), None)


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a shipped profile by name (``"almaty-2025"``) or any TOML file by path.

    A kebab-case string is a name; anything else (a Path, ``"site.toml"``, ``"./x"``) a path.
    Shipped profiles are read once per process.

    Raises ProfileError naming the file and the dotted field when anything is wrong.
    """
    from reception import profile_toml  # the parser imports this module's dataclasses

    return profile_toml.load(name_or_path)


def available_profiles() -> tuple[str, ...]:
    """The names of the profiles shipped with the code."""
    from reception import profile_toml

    return profile_toml.shipped_names()
