"""Reading a regulation profile from TOML, strictly: every problem names the file and field."""

from __future__ import annotations

import functools
import re
import tomllib
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from reception.profile import (
    KNOWN_GROUNDS,
    AnswerVariant,
    BodyNames,
    CalendarOverrides,
    ControlTerms,
    Documents,
    Ground,
    PriorityCategory,
    Profile,
    ProfileError,
    Reminders,
    Terms,
    WorkingHours,
)

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MIME = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_MISSING: Any = object()
T = TypeVar("T")


class _Table:
    """One TOML table; each read removes the key, so leftovers are unknown fields."""

    def __init__(self, file: str, prefix: str, raw: object) -> None:
        self.file = file
        self.prefix = prefix
        if not isinstance(raw, dict):
            raise ProfileError(file, prefix, f"expected a table, got {raw!r}")
        self.raw: dict[str, Any] = dict(raw)

    def path(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(self.file, self.path(key), problem)

    def _take(self, key: str, kind: type[T], label: str, default: Any = _MISSING) -> T:
        if key not in self.raw:
            if default is _MISSING:
                raise self.fail(key, "missing")
            return default
        value = self.raw.pop(key)
        # bool is an int in Python; a profile saying `days = true` is a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"expected {label}, got {value!r}")
        return value

    def text(self, key: str) -> str:
        value = self._take(key, str, "a string")
        if not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def count(self, key: str, default: Any = _MISSING, minimum: int = 0) -> int:
        value = self._take(key, int, "an integer", default)
        if value < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {value}")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        return self._take(key, bool, "true or false", default)

    def clock_time(self, key: str) -> time:
        """A TOML local time (``09:00:00``) or a string ``"09:00"``."""
        if key not in self.raw:
            raise self.fail(key, "missing")
        value = self.raw.pop(key)
        if isinstance(value, str) and _HH_MM.match(value):
            return time.fromisoformat(value)
        if isinstance(value, time):
            return value
        raise self.fail(key, f"expected a time like 09:00, got {value!r}")

    def dates(self, key: str) -> tuple[date, ...]:
        values = self._take(key, list, "a list of dates", [])
        for value in values:
            if isinstance(value, datetime) or not isinstance(value, date):
                raise self.fail(key, f"expected dates like 2026-08-31, got {value!r}")
        return tuple(values)

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._take(key, list, "a list of strings")
        if not values or not all(isinstance(v, str) and v for v in values):
            raise self.fail(key, f"expected a non-empty list of strings, got {values!r}")
        return tuple(values)

    def table(self, key: str, required: bool = True) -> _Table:
        if key not in self.raw and not required:
            return _Table(self.file, self.path(key), {})
        return _Table(self.file, self.path(key), self._take(key, dict, "a table"))

    def tables(self, key: str) -> list[_Table]:
        items = self._take(key, list, "an array of tables ([[...]])")
        if not items:
            raise self.fail(key, "must not be empty")
        return [_Table(self.file, f"{self.path(key)}[{i}]", item) for i, item in enumerate(items)]

    def done(self) -> None:
        if self.raw:
            raise self.fail(sorted(self.raw)[0], "unknown field")


def shipped_names() -> tuple[str, ...]:
    folder = resources.files("reception").joinpath("profiles")
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(n.removesuffix(".toml") for n in names if n.endswith(".toml")))


def load(name_or_path: str | Path) -> Profile:
    if isinstance(name_or_path, str) and _NAME.match(name_or_path):
        return _load_shipped(name_or_path)
    path = Path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(str(path), "", f"cannot read: {error.strerror}") from error
    return parse(text, str(path))


@functools.cache
def _load_shipped(name: str) -> Profile:
    # Shipped files do not change while the process runs, and a Profile is immutable.
    resource = resources.files("reception").joinpath("profiles", f"{name}.toml")
    if not resource.is_file():
        known = ", ".join(shipped_names())
        raise ProfileError(f"{name}.toml", "", f"no such profile; known: {known}")
    return parse(resource.read_text(encoding="utf-8"), f"{name}.toml")


def parse(text: str, file: str) -> Profile:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(file, "", f"not valid TOML: {error}") from error
    top = _Table(file, "", raw)
    profile_id = top.text("id")
    if not _NAME.match(profile_id):
        raise top.fail("id", f"expected kebab-case, got {profile_id!r}")
    profile = Profile(
        id=profile_id,
        title=top.text("title"),
        source=top.text("source"),
        body=_body(top.table("body")),
        hours=_hours(top.table("hours")),
        terms=_terms(top.table("terms")),
        grounds=_grounds(top),
        priority_categories=_priority_categories(top),
        reminders=_reminders(top.table("reminders")),
        restrictive_mode=top.flag("restrictive_mode"),
        documents=_documents(top.table("documents")),
        calendar=_calendar(top.table("calendar", required=False)),
        control=_control(top.table("control", required=False)),
    )
    top.done()
    return profile


def _body(t: _Table) -> BodyNames:
    body = BodyNames(name_kk=t.text("name_kk"), name_ru=t.text("name_ru"))
    t.done()
    return body


def _hours(t: _Table) -> WorkingHours:
    hours = WorkingHours(
        start=t.clock_time("start"),
        end=t.clock_time("end"),
        lunch_start=t.clock_time("lunch_start"),
        lunch_end=t.clock_time("lunch_end"),
    )
    t.done()
    if not hours.start <= hours.lunch_start <= hours.lunch_end <= hours.end:
        raise t.fail("lunch_start", "expected start <= lunch_start <= lunch_end <= end")
    if hours.start >= hours.end:
        raise t.fail("end", "must be after start")
    return hours


def _terms(t: _Table) -> Terms:
    variant = t.text("answer_variant")
    try:
        answer_variant = AnswerVariant(variant)
    except ValueError:
        known = ", ".join(AnswerVariant)
        raise t.fail("answer_variant", f"expected one of {known}, got {variant!r}") from None
    terms = Terms(
        registration_working_days=t.count("registration_working_days"),
        answer_working_days=t.count("answer_working_days", minimum=1),
        answer_variant=answer_variant,
        date_after_list_working_days=t.count("date_after_list_working_days"),
        extension_letter_calendar_days=t.count("extension_letter_calendar_days"),
        extension_decision_months=t.count("extension_decision_months", minimum=1),
        extension_notice_working_days=t.count("extension_notice_working_days", minimum=1),
        hearing_working_days=t.count("hearing_working_days", minimum=1),
        forward_working_days=t.count("forward_working_days", minimum=1),
        invitation_notice_working_days=t.count("invitation_notice_working_days", minimum=1),
        cancellation_notice_working_days=t.count("cancellation_notice_working_days"),
        day_list_working_days_before=t.count("day_list_working_days_before", minimum=1),
        reference_note_working_days_before=t.count("reference_note_working_days_before"),
        fix_period_working_days=t.count("fix_period_working_days", minimum=1),
    )
    t.done()
    listed = terms.answer_variant is AnswerVariant.LIST_THEN_DATE_TIME
    if listed != (terms.date_after_list_working_days > 0):
        raise t.fail(
            "date_after_list_working_days",
            "must be above 0 exactly when answer_variant is list-then-date-time",
        )
    return terms


def _grounds(top: _Table) -> tuple[Ground, ...]:
    grounds = []
    for t in top.tables("grounds"):
        ground = Ground(id=t.text("id"), rule=t.text("rule"))
        if ground.id not in KNOWN_GROUNDS:
            raise t.fail("id", f"unknown ground {ground.id!r}; known: {sorted(KNOWN_GROUNDS)}")
        if not re.match(r"^R\d+(\.\d+)?$", ground.rule):
            raise t.fail("rule", f"expected a rule id like R18.1, got {ground.rule!r}")
        t.done()
        grounds.append(ground)
    _unique(top, "grounds", [g.id for g in grounds])
    return tuple(grounds)


def _priority_categories(top: _Table) -> tuple[PriorityCategory, ...]:
    categories = []
    for t in top.tables("priority_categories"):
        category = PriorityCategory(
            id=t.text("id"), name_kk=t.text("name_kk"), name_ru=t.text("name_ru")
        )
        if not _NAME.match(category.id):
            raise t.fail("id", f"expected kebab-case, got {category.id!r}")
        t.done()
        categories.append(category)
    _unique(top, "priority_categories", [c.id for c in categories])
    return tuple(categories)


def _unique(top: _Table, key: str, ids: list[str]) -> None:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise top.fail(key, f"repeated id {repeated[0]!r}")


def _reminders(t: _Table) -> Reminders:
    reminders = Reminders(
        day_list_time=t.clock_time("day_list_time"),
        official_morning_time=t.clock_time("official_morning_time"),
        citizen_day_before_time=t.clock_time("citizen_day_before_time"),
        citizen_hours_before=t.count("citizen_hours_before", minimum=1),
        staff_digest_time=t.clock_time("staff_digest_time"),
    )
    t.done()
    return reminders


def _documents(t: _Table) -> Documents:
    documents = Documents(
        collect_id_scan=t.flag("collect_id_scan", default=False),
        max_file_mb=t.count("max_file_mb", minimum=1),
        allowed_types=t.texts("allowed_types"),
    )
    bad = [m for m in documents.allowed_types if not _MIME.match(m)]
    if bad:
        raise t.fail("allowed_types", f"expected MIME types like application/pdf, got {bad[0]!r}")
    t.done()
    return documents


def _calendar(t: _Table) -> CalendarOverrides:
    overrides = CalendarOverrides(
        extra_holidays=t.dates("extra_holidays"),
        extra_working_days=t.dates("extra_working_days"),
    )
    t.done()
    both = sorted(set(overrides.extra_holidays) & set(overrides.extra_working_days))
    if both:
        raise t.fail("extra_working_days", f"{both[0]} is also in extra_holidays")
    return overrides


def _control(t: _Table) -> ControlTerms:
    d = ControlTerms()
    control = ControlTerms(
        very_urgent_working_days=t.count("very_urgent_working_days", d.very_urgent_working_days, 1),
        urgent_working_days=t.count("urgent_working_days", d.urgent_working_days, 1),
        short_months=t.count("short_months", d.short_months, 1),
        medium_months=t.count("medium_months", d.medium_months, 1),
        long_months=t.count("long_months", d.long_months, 1),
        default_months=t.count("default_months", d.default_months, 1),
        remind_working_days_before=t.count(
            "remind_working_days_before", d.remind_working_days_before
        ),
        max_extensions=t.count("max_extensions", d.max_extensions),
    )
    t.done()
    if not control.short_months <= control.medium_months < control.long_months:
        raise t.fail("medium_months", "expected short_months <= medium_months < long_months")
    return control
