"""Every term of the regulation as a method (R12-R13, R17, R19-R25, R31-R32).

Working-day terms run from the day after the event (``add_working_days``); calendar-day and
month terms that end on a non-working day end on the next working day (R32, 004 §168).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from reception.calendar import WorkingCalendar, add_months
from reception.clock import local_date
from reception.errors import DeadlineExceeded, IllegalTransition, ValidationFailed
from reception.profile import AnswerVariant, Profile

CONTROL_TERM_OUT_OF_RANGE = "error-control-term-out-of-range"
CONTROL_EXTENSION_LIMIT = "error-control-extension-limit"
EXTENSION_LETTER_NOT_PROVIDED = "error-extension-letter-not-provided"


class ControlCategory(StrEnum):
    """Kinds of control of an instruction (R31, 004 §155)."""

    VERY_URGENT = "very-urgent"  # "весьма срочно": within 3 working days
    URGENT = "urgent"  # "срочно", "ускорить": up to 10 working days
    SHORT = "short"  # краткосрочный: 10 working days to one month
    MEDIUM = "medium"  # среднесрочный: one to six months
    LONG = "long"  # долгосрочный: over six months
    NONE = "none"  # no term given: one month from receipt


class Deadlines:
    def __init__(self, calendar: WorkingCalendar, profile: Profile) -> None:
        self.calendar = calendar
        self.profile = profile
        self.terms = profile.terms
        self.control = profile.control

    def _ends_on_working_day(self, day: date) -> date:
        # R32 (004 §168): a term whose last day is a non-working day ends on the next one.
        return self.calendar.next_working_day(day)

    # -- registration and answer (R20, R21) ------------------------------------------------

    def registration_due(self, received_at: datetime) -> date:
        """R20: the day it arrives (2023, 001 §25); 2020: within 3 working days (000 §25),
        counted from the day of arrival in Almaty time."""
        registered = self.calendar.registration_date(received_at)
        if self.terms.registration_working_days == 0:
            return registered
        days = self.terms.registration_working_days
        return self.calendar.add_working_days(local_date(received_at), days)

    def answer_due(self, registration_date: date) -> date:
        """R21: 15 working days after registration (001 §29). For list-then-date-time this is
        the notice of inclusion in the list (003 §25)."""
        return self.calendar.add_working_days(registration_date, self.terms.answer_working_days)

    def list_notice_due(self, registration_date: date) -> date | None:
        """R21 Almaty 2025 (003 §25): the list notice within 15 working days; else None."""
        if self.terms.answer_variant is not AnswerVariant.LIST_THEN_DATE_TIME:
            return None
        return self.answer_due(registration_date)

    def date_notice_due(
        self, registration_date: date, list_notified_on: date | None = None
    ) -> date:
        """R21: when the applicant must have the date and time of reception.

        Almaty 2025 (003 §25): 2 more working days after the list notice (the notice actually
        sent, when given, else its due date). Others: the answer due date.
        """
        list_due = self.list_notice_due(registration_date)
        if list_due is None:
            return self.answer_due(registration_date)
        base = list_notified_on if list_notified_on is not None else list_due
        return self.calendar.add_working_days(base, self.terms.date_after_list_working_days)

    # -- extension, hearing (R23, R24) -----------------------------------------------------

    @property
    def has_extension_letter(self) -> bool:
        """R23: the 2020 regulation extends only by a motivated decision (000 §30)."""
        return self.terms.extension_letter_calendar_days > 0

    def extension_letter_limit(self, registration_date: date) -> date:
        """R23 (001 §30): at most 30 calendar days from registration; R32 applies.

        Raises IllegalTransition when the profile has no letter step (2020).
        """
        if not self.has_extension_letter:
            raise IllegalTransition(EXTENSION_LETTER_NOT_PROVIDED, profile=self.profile.id)
        days = timedelta(days=self.terms.extension_letter_calendar_days)
        return self._ends_on_working_day(registration_date + days)

    def extension_decision_limit(self, registration_date: date) -> date:
        """R23 (001 §30): a motivated decision, at most two months from registration; R32."""
        limit = add_months(registration_date, self.terms.extension_decision_months)
        return self._ends_on_working_day(limit)

    def extension_notice_due(self, decided_on: date) -> date:
        """R23: the applicant is told within 3 working days of the extension."""
        return self.calendar.add_working_days(decided_on, self.terms.extension_notice_working_days)

    def refusal_earliest(self, draft_sent_on: date) -> date:
        """R24 (001 §32): the draft goes out no later than 3 working days before the refusal,
        so the refusal is issued on the 3rd working day after the draft at the earliest."""
        return self.calendar.add_working_days(draft_sent_on, self.terms.hearing_working_days)

    # -- around the request (R13, R17, R19) ------------------------------------------------

    def forward_due(self, registration_date: date) -> date:
        """R19 (004 §179): forwarded to the competent body within 3 working days."""
        return self.calendar.add_working_days(registration_date, self.terms.forward_working_days)

    def invitation_notice_due(self, invited_on: date) -> date:
        """R13 (001 §19): the applicant hears of the invitation within 2 working days."""
        days = self.terms.invitation_notice_working_days
        return self.calendar.add_working_days(invited_on, days)

    def fix_due(self, requested_on: date, working_days: int | None = None) -> date:
        """R17 (001 §6): a reasonable period to fix the request; the profile's by default."""
        days = self.terms.fix_period_working_days if working_days is None else working_days
        if days < 1:
            raise ValidationFailed("error-fix-period-too-short", working_days=days)
        return self.calendar.add_working_days(requested_on, days)

    # -- before a reception day (R12, R22, R25) --------------------------------------------

    def cancellation_notice_latest(self, reception_day: date) -> date:
        """R12 (001 §16): the official tells the responsible worker 2 working days before
        (or, failing that, on the day itself)."""
        days = self.terms.cancellation_notice_working_days
        return self.calendar.subtract_working_days(reception_day, days)

    def day_list_due(self, reception_day: date) -> date:
        """R25 (004 §183): the list of booked persons reaches the official 1 working day
        before."""
        days = self.terms.day_list_working_days_before
        return self.calendar.subtract_working_days(reception_day, days)

    def reference_note_due(self, reception_day: date) -> date:
        """R22 (001 §26): the reference note 5 working days before the reception."""
        days = self.terms.reference_note_working_days_before
        return self.calendar.subtract_working_days(reception_day, days)

    # -- control of instructions (R31, R32) ------------------------------------------------

    def control_range(self, category: ControlCategory, assigned_on: date) -> tuple[date, date]:
        """The earliest and latest term a category allows (R31, 004 §155); for a long term
        the latest is date.max. An explicit term must lie within it."""
        c, cal = self.control, self.calendar
        after_assigned = assigned_on + timedelta(days=1)
        in_months = {
            months: self._ends_on_working_day(add_months(assigned_on, months))
            for months in {c.short_months, c.medium_months, c.default_months}
        }
        match category:
            case ControlCategory.VERY_URGENT:
                return after_assigned, cal.add_working_days(assigned_on, c.very_urgent_working_days)
            case ControlCategory.URGENT:
                return after_assigned, cal.add_working_days(assigned_on, c.urgent_working_days)
            case ControlCategory.SHORT:
                earliest = cal.add_working_days(assigned_on, c.urgent_working_days)
                return earliest, in_months[c.short_months]
            case ControlCategory.MEDIUM:
                return add_months(assigned_on, c.short_months), in_months[c.medium_months]
            case ControlCategory.LONG:
                return add_months(assigned_on, c.medium_months) + timedelta(days=1), date.max
            case ControlCategory.NONE:
                term = in_months[c.default_months]
                return term, term

    def control_term(
        self, category: ControlCategory, assigned_on: date, explicit: date | None = None
    ) -> date:
        """R31: the term of an instruction; R32: a non-working last day moves forward.

        Without ``explicit``: very urgent +3 wd, urgent +10 wd, short +1 month, medium
        +6 months, long +12 months, no term +1 month. With it: the date, when it lies within
        the category's range, else ValidationFailed(error-control-term-out-of-range).
        """
        category = ControlCategory(category)
        earliest, latest = self.control_range(category, assigned_on)
        if explicit is None:
            return self._default_control_term(category, assigned_on)
        if category is ControlCategory.NONE:
            # "no term given" and an explicit date contradict each other.
            raise ValidationFailed(CONTROL_TERM_OUT_OF_RANGE, earliest=earliest, latest=latest)
        term = self._ends_on_working_day(explicit)
        if explicit < earliest or term > latest:
            raise ValidationFailed(CONTROL_TERM_OUT_OF_RANGE, earliest=earliest, latest=latest)
        return term

    def _default_control_term(self, category: ControlCategory, assigned_on: date) -> date:
        c = self.control
        if category is ControlCategory.VERY_URGENT:
            return self.calendar.add_working_days(assigned_on, c.very_urgent_working_days)
        if category is ControlCategory.URGENT:
            return self.calendar.add_working_days(assigned_on, c.urgent_working_days)
        months = {
            ControlCategory.SHORT: c.short_months,
            ControlCategory.MEDIUM: c.medium_months,
            ControlCategory.LONG: c.long_months,
            ControlCategory.NONE: c.default_months,
        }[category]
        return self._ends_on_working_day(add_months(assigned_on, months))

    def control_reminder_date(self, term: date) -> date:
        """R31 (004 §157): executors are reminded 3 working days before the term."""
        return self.calendar.subtract_working_days(term, self.control.remind_working_days_before)

    def extend_control_term(
        self, current_term: date, new_term: date, extensions_so_far: int
    ) -> date:
        """R31 (004 §160): a term is extended at most once; the new term must be later.

        ``extensions_so_far`` may be a bool (``Instruction.extended_once``). Returns the new
        term moved to a working day (R32).
        """
        if int(extensions_so_far) >= self.control.max_extensions:
            raise DeadlineExceeded(
                CONTROL_EXTENSION_LIMIT, max_extensions=self.control.max_extensions
            )
        term = self._ends_on_working_day(new_term)
        if term <= current_term:
            raise ValidationFailed(CONTROL_TERM_OUT_OF_RANGE, earliest=current_term, latest=None)
        return term
