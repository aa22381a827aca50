"""The booking request and its life (DESIGN.md "Life of a booking request").

Every transition is a method that refuses an illegal move with a domain error, stamps the actor
and the time in the history (R39) and returns the notices it causes, for the outbox.
Nothing else changes `status`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from reception.actors import Actor
from reception.clock import local_date
from reception.errors import (
    DeadlineExceeded,
    DeadlineNotReached,
    ExecutorNotAllowed,
    IllegalTransition,
    MissingFinalAnswer,
    ValidationFailed,
)
from reception.notifications import NoticeKind, Notification

if TYPE_CHECKING:
    from reception.deadlines import Deadlines


class Status(StrEnum):
    DRAFT = "draft"
    REGISTERED = "registered"
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration"
    NEEDS_FIX = "needs_fix"
    RETURNED = "returned"
    FORWARDED = "forwarded"
    UNDER_REVIEW = "under_review"
    EXTENDED = "extended"
    REFUSAL_DRAFT = "refusal_draft"
    REFUSED = "refused"
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# A request in one of these holds its slot and counts as the citizen's active request with the
# official; the partial unique indexes in storage use the same list.
ACTIVE_STATUSES: frozenset[Status] = frozenset(
    {
        Status.REGISTERED,
        Status.NEEDS_FIX,
        Status.UNDER_REVIEW,
        Status.EXTENDED,
        Status.REFUSAL_DRAFT,
        Status.BOOKED,
        Status.RESCHEDULED,
    }
)
SLOT_HOLDING_STATUSES: frozenset[Status] = frozenset(
    {Status.REGISTERED, Status.NEEDS_FIX, Status.UNDER_REVIEW, Status.EXTENDED, Status.BOOKED}
)
FINAL_STATUSES: frozenset[Status] = frozenset(
    {
        Status.LEFT_WITHOUT_CONSIDERATION,
        Status.RETURNED,
        Status.FORWARDED,
        Status.REFUSED,
        Status.NO_SHOW,
        Status.CLOSED,
        Status.WITHDRAWN,
    }
)
# Review-stage statuses from which staff act on the substance.
_REVIEWABLE = frozenset({Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED})


class Channel(StrEnum):
    """R4: every request keeps the channel it came by."""

    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    WEB = "web"
    PHONE = "phone"
    IN_PERSON = "in_person"
    PAPER = "paper"
    EGOV = "egov"
    EOTINISH = "eotinish"
    CALL_CENTRE = "call_centre"


class Representation(StrEnum):
    SELF = "self"
    PERSON = "person"
    ORGANISATION = "organisation"


class ReceptionFormat(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"


class ExtensionKind(StrEnum):
    LETTER = "letter"  # R23: up to 30 calendar days from registration
    DECISION = "decision"  # R23: motivated decision, up to two months


@dataclass(slots=True)
class StatusChange:
    from_status: Status
    to_status: Status
    actor: Actor
    at: datetime
    note: str | None = None


@dataclass(slots=True)
class BookingRequest:
    citizen_id: int
    official_id: int
    channel: Channel
    question: str
    applicant_name: str
    applicant_iin: str
    applicant_phone: str | None = None
    id: int | None = None
    number: str | None = None
    topic_id: int | None = None
    representation: Representation = Representation.SELF
    principal_name: str | None = None
    principal_id_number: str | None = None  # IIN of a person or BIN of an organisation (R7)
    poa_document_id: int | None = None
    id_doc_type: str | None = None
    id_doc_number: str | None = None
    priority_category: str | None = None  # R9, an id of the profile's categories
    priority_document_id: int | None = None
    reception_format: ReceptionFormat = ReceptionFormat.IN_PERSON
    reception_language: str = "ru"  # R11
    interpreter_needed: bool = False  # R8
    admissibility_answers: dict[str, bool] = field(default_factory=dict)
    grounds: list[str] = field(default_factory=list)  # R18 grounds found at intake
    slot_id: int | None = None
    status: Status = Status.DRAFT
    created_at: datetime | None = None
    registered_at: datetime | None = None
    registration_date: date | None = None
    answer_due: date | None = None
    date_notice_due: date | None = None
    fix_requirements: list[str] = field(default_factory=list)
    fix_due: date | None = None
    forwarded_to: str | None = None
    forward_due: date | None = None
    extension_kind: ExtensionKind | None = None
    extended_until: date | None = None
    extension_reason: str | None = None
    extension_notice_due: date | None = None
    refusal_text: str | None = None
    draft_sent_on: date | None = None
    refusal_earliest: date | None = None
    final_answer: str | None = None
    closed_at: datetime | None = None
    from_personal_reception: bool = False  # R27
    source_request_id: int | None = None  # the reception request this one came from (R27)
    executor_id: int | None = None
    previous_executor_id: int | None = None  # R28
    version: int = 0
    history: list[StatusChange] = field(default_factory=list)

    # -- helpers -------------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    def _move(
        self,
        allowed: frozenset[Status] | set[Status],
        to: Status,
        actor: Actor,
        at: datetime,
        note: str | None = None,
    ) -> None:
        if at.tzinfo is None:
            raise ValueError("transitions need an aware datetime")
        if self.status not in allowed:
            raise IllegalTransition(from_status=str(self.status), to_status=str(to))
        self.history.append(StatusChange(self.status, to, actor, at, note))
        self.status = to

    def _notice(self, kind: NoticeKind, **args: object) -> Notification:
        base: dict[str, object] = {"number": self.number or ""}
        base.update(args)
        return Notification(kind, self.citizen_id, self.id, f"notice-{kind}", base)

    # -- intake ----------------------------------------------------------------------------

    def register(
        self, number: str, actor: Actor, at: datetime, deadlines: Deadlines
    ) -> list[Notification]:
        """R20 registration date, R21 answer due (Almaty: list then date, +2)."""
        if not self.question.strip():
            raise ValidationFailed("error-question-empty")
        self._move({Status.DRAFT}, Status.REGISTERED, actor, at)
        self.number = number
        self.registered_at = at
        self.created_at = self.created_at or at
        self.registration_date = deadlines.calendar.registration_date(at)
        self.answer_due = deadlines.answer_due(self.registration_date)
        self.date_notice_due = deadlines.date_notice_due(self.registration_date)
        self.forward_due = deadlines.forward_due(self.registration_date)
        return [
            self._notice(
                NoticeKind.REGISTERED,
                registration_date=self.registration_date,
                answer_due=self.answer_due,
            )
        ]

    def leave_without_consideration(self, actor: Actor, at: datetime) -> list[Notification]:
        """R16: no substance of the question; the applicant is told so."""
        self._move(_REVIEWABLE, Status.LEFT_WITHOUT_CONSIDERATION, actor, at)
        return [self._notice(NoticeKind.LEFT_WITHOUT_CONSIDERATION)]

    def request_fix(
        self,
        requirements: list[str],
        actor: Actor,
        at: datetime,
        deadlines: Deadlines,
        working_days: int | None = None,
    ) -> list[Notification]:
        """R17: say which requirement is unmet and give a reasonable period to fix it."""
        if not requirements:
            raise ValidationFailed("error-fix-requirements-empty")
        self._move(_REVIEWABLE, Status.NEEDS_FIX, actor, at)
        self.fix_requirements = list(requirements)
        self.fix_due = deadlines.fix_due(local_date(at), working_days)
        return [
            self._notice(
                NoticeKind.FIX_REQUEST, requirements=", ".join(requirements), fix_due=self.fix_due
            )
        ]

    def fix_received(self, actor: Actor, at: datetime) -> list[Notification]:
        """R17: the applicant fixed it in time; the request goes back to registered."""
        self._move({Status.NEEDS_FIX}, Status.REGISTERED, actor, at, note="fixed")
        self.fix_requirements = []
        return []

    def return_unfixed(self, actor: Actor, at: datetime) -> list[Notification]:
        """R17: not fixed in time, the request is returned; only once the period has passed."""
        if self.status is Status.NEEDS_FIX and self.fix_due and local_date(at) <= self.fix_due:
            raise DeadlineNotReached(until=self.fix_due)
        self._move({Status.NEEDS_FIX}, Status.RETURNED, actor, at)
        self.slot_id = None
        return [self._notice(NoticeKind.RETURNED, requirements=", ".join(self.fix_requirements))]

    def forward(self, body: str, actor: Actor, at: datetime) -> list[Notification]:
        """R19: outside competence, forwarded within 3 working days, the applicant notified."""
        if not body.strip():
            raise ValidationFailed("error-forward-body-empty")
        self._move(_REVIEWABLE, Status.FORWARDED, actor, at)
        self.forwarded_to = body
        self.slot_id = None
        return [self._notice(NoticeKind.FORWARDED, body=body)]

    # -- review ------------------------------------------------------------------------------

    def start_review(self, actor: Actor, at: datetime) -> list[Notification]:
        self._move({Status.REGISTERED, Status.EXTENDED}, Status.UNDER_REVIEW, actor, at)
        return []

    def extend(
        self,
        kind: ExtensionKind,
        until: date,
        reason: str,
        actor: Actor,
        at: datetime,
        deadlines: Deadlines,
    ) -> list[Notification]:
        """R23: a letter up to 30 calendar days from registration; a motivated decision up to
        two months, the applicant notified within 3 working days."""
        if not reason.strip():
            raise ValidationFailed("error-extension-reason-empty")
        if self.registration_date is None:
            raise IllegalTransition(from_status=str(self.status), to_status=str(Status.EXTENDED))
        if kind is ExtensionKind.LETTER:
            limit = deadlines.extension_letter_limit(self.registration_date)
        else:
            limit = deadlines.extension_decision_limit(self.registration_date)
        if until > limit:
            raise DeadlineExceeded("error-extension-beyond-limit", limit=limit)
        if self.extended_until and until <= self.extended_until:
            raise ValidationFailed("error-extension-not-later", until=self.extended_until)
        if until <= (self.answer_due or until):
            raise ValidationFailed("error-extension-not-later", until=self.answer_due)
        self._move(
            {Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED},
            Status.EXTENDED,
            actor,
            at,
            note=reason,
        )
        self.extension_kind = kind
        self.extended_until = until
        self.extension_reason = reason
        self.extension_notice_due = deadlines.extension_notice_due(local_date(at))
        # The argument is not named "kind": that is _notice's own first parameter.
        return [
            self._notice(NoticeKind.EXTENSION, until=until, reason=reason, extension_kind=str(kind))
        ]

    def draft_refusal(
        self, text: str, actor: Actor, at: datetime, deadlines: Deadlines
    ) -> list[Notification]:
        """R24: the draft goes to the applicant for a hearing before any refusal."""
        if not text.strip():
            raise ValidationFailed("error-refusal-text-empty")
        self._move(_REVIEWABLE, Status.REFUSAL_DRAFT, actor, at)
        self.refusal_text = text
        self.draft_sent_on = local_date(at)
        self.refusal_earliest = deadlines.refusal_earliest(self.draft_sent_on)
        return [self._notice(NoticeKind.HEARING, text=text, until=self.refusal_earliest)]

    def refuse(self, motivation: str, actor: Actor, at: datetime) -> list[Notification]:
        """R24: not earlier than 3 working days after the draft was sent; final and motivated."""
        if not motivation.strip():
            raise ValidationFailed("error-refusal-text-empty")
        if self.status is Status.REFUSAL_DRAFT and self.refusal_earliest is not None:
            if local_date(at) < self.refusal_earliest:
                raise DeadlineNotReached(until=self.refusal_earliest)
        self._move({Status.REFUSAL_DRAFT}, Status.REFUSED, actor, at, note=motivation)
        self.final_answer = motivation
        self.closed_at = at
        self.slot_id = None
        return [self._notice(NoticeKind.REFUSED, text=motivation)]

    def uphold_objection(self, note: str, actor: Actor, at: datetime) -> list[Notification]:
        """R24: the objection is upheld; back under review."""
        self._move({Status.REFUSAL_DRAFT}, Status.UNDER_REVIEW, actor, at, note=note)
        self.refusal_earliest = None
        return [self._notice(NoticeKind.UNDER_REVIEW)]

    # -- the reception ----------------------------------------------------------------------

    def book(
        self, slot_id: int, when: datetime, place: str, actor: Actor, at: datetime
    ) -> list[Notification]:
        """The slot is confirmed; the applicant is told date, time and place or the VC link."""
        self._move(
            {
                Status.REGISTERED,
                Status.UNDER_REVIEW,
                Status.EXTENDED,
                Status.BOOKED,
                Status.RESCHEDULED,
            },
            Status.BOOKED,
            actor,
            at,
        )
        self.slot_id = slot_id
        return [
            self._notice(
                NoticeKind.BOOKED, when=when, place=place, format=str(self.reception_format)
            )
        ]

    def reschedule(self, reason: str, actor: Actor, at: datetime) -> list[Notification]:
        """R12: the official cannot receive; the applicant is offered new slots."""
        self._move(
            {Status.BOOKED, Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED},
            Status.RESCHEDULED,
            actor,
            at,
            note=reason,
        )
        self.slot_id = None
        return [self._notice(NoticeKind.RESCHEDULED, reason=reason)]

    def attend(self, actor: Actor, at: datetime, reception_day: date) -> list[Notification]:
        if local_date(at) < reception_day:
            raise DeadlineNotReached(until=reception_day)
        self._move({Status.BOOKED}, Status.ATTENDED, actor, at)
        return [self._notice(NoticeKind.ATTENDED)]

    def mark_no_show(self, actor: Actor, at: datetime, reception_day: date) -> list[Notification]:
        if local_date(at) < reception_day:
            raise DeadlineNotReached(until=reception_day)
        self._move({Status.BOOKED}, Status.NO_SHOW, actor, at)
        return [self._notice(NoticeKind.NO_SHOW)]

    def close(self, final_answer: str, actor: Actor, at: datetime) -> list[Notification]:
        """R26: removed from control only on a final motivated answer."""
        if not final_answer.strip():
            raise MissingFinalAnswer()
        self._move({Status.ATTENDED}, Status.CLOSED, actor, at)
        self.final_answer = final_answer
        self.closed_at = at
        return [self._notice(NoticeKind.FINAL_ANSWER, text=final_answer)]

    def withdraw(self, actor: Actor, at: datetime, reason: str | None = None) -> list[Notification]:
        """R40: at any point before the reception took place."""
        allowed = ACTIVE_STATUSES | {Status.DRAFT}
        self._move(allowed, Status.WITHDRAWN, actor, at, note=reason)
        self.slot_id = None
        return [self._notice(NoticeKind.WITHDRAWN)]

    # -- executors (R28) ----------------------------------------------------------------------

    def assign_executor(self, executor_id: int) -> None:
        """R28: a request from a reception must not go to the worker who had it before."""
        if self.from_personal_reception and executor_id == self.previous_executor_id:
            raise ExecutorNotAllowed(executor_id=executor_id)
        # For a request from a reception previous_executor_id names the barred worker (set by
        # request_from_reception); a later reassignment must not overwrite it and lift R28.
        if (
            self.executor_id is not None
            and self.executor_id != executor_id
            and not self.from_personal_reception
        ):
            self.previous_executor_id = self.executor_id
        self.executor_id = executor_id


def request_from_reception(
    source: BookingRequest, question: str, channel: Channel = Channel.IN_PERSON
) -> BookingRequest:
    """R27: a request handed in at a reception carries the mark "from personal reception";
    R28: it remembers the worker who had the source request, who may not get it again."""
    return BookingRequest(
        citizen_id=source.citizen_id,
        official_id=source.official_id,
        channel=channel,
        question=question,
        applicant_name=source.applicant_name,
        applicant_iin=source.applicant_iin,
        applicant_phone=source.applicant_phone,
        topic_id=source.topic_id,
        representation=source.representation,
        principal_name=source.principal_name,
        principal_id_number=source.principal_id_number,
        reception_language=source.reception_language,
        from_personal_reception=True,
        source_request_id=source.id,
        previous_executor_id=source.executor_id,
    )
