"""R13: representatives of other bodies invited to a reception, and their refusals.

The applicant is told within 2 working days (001 §19) that the bodies were invited, and
within 2 working days that a body refused to take part (001 §20). We tell them at once, in
the same transaction as the record, and keep the due date for the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from reception.actors import Actor
from reception.clock import local_date
from reception.errors import IllegalTransition, NotFound, ValidationFailed
from reception.notifications import NoticeKind, Notification
from reception.ports import UnitOfWork
from reception.requests import ACTIVE_STATUSES, BookingRequest
from reception.services.context import Rules

MAX_BODY_LENGTH = 500


@dataclass(slots=True)
class Invitation:
    request_id: int
    body: str
    invited_at: datetime
    notice_due: date
    invited_by: int | None = None
    declined_at: datetime | None = None
    decline_reason: str | None = None
    id: int | None = None


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> Invitation: ...
    async def get(self, invitation_id: int) -> Invitation: ...
    async def update(self, invitation: Invitation) -> None: ...
    async def for_requests(self, request_ids: Sequence[int]) -> list[Invitation]: ...


def _bodies(lines: Sequence[str]) -> list[str]:
    bodies = [" ".join(line.split())[:MAX_BODY_LENGTH] for line in lines]
    bodies = [body for body in bodies if body]
    if not bodies:
        raise ValidationFailed("error-invitation-bodies-empty")
    return list(dict.fromkeys(bodies))  # the same body twice is one invitation


def _check_open(request: BookingRequest) -> None:
    if request.status not in ACTIVE_STATUSES:
        raise IllegalTransition(from_status=str(request.status), to_status="invitation")


async def invite_bodies(
    uow: UnitOfWork,
    invitations: InvitationRepository,
    rules: Rules,
    request_id: int,
    bodies: Sequence[str],
    actor: Actor,
) -> list[Invitation]:
    """R13: records the invited bodies and tells the applicant who was invited."""
    request = await uow.requests.get(request_id)
    _check_open(request)
    names = _bodies(bodies)
    now = rules.clock.now()
    due = rules.deadlines.invitation_notice_due(local_date(now))
    added = [
        await invitations.add(Invitation(request_id, name, now, due, invited_by=actor.id))
        for name in names
    ]
    notice = Notification(
        NoticeKind.INVITATION,
        request.citizen_id,
        request_id,
        "notice-invitation",
        {"number": request.number or "", "bodies": ", ".join(names)},
    )
    await uow.outbox.add_notices([notice], now)
    await uow.audit.record(
        actor,
        "request.invite",
        now,
        "request",
        str(request_id),
        details={"bodies": ", ".join(names), "notice_due": due.isoformat()},
    )
    return added


async def record_declined(
    uow: UnitOfWork,
    invitations: InvitationRepository,
    rules: Rules,
    request_id: int,
    invitation_id: int,
    reason: str,
    actor: Actor,
) -> Invitation:
    """R13 (001 §20): a body refused to take part; the applicant is told."""
    invitation = await invitations.get(invitation_id)
    if invitation.request_id != request_id:
        raise NotFound()
    if invitation.declined_at is not None:
        raise ValidationFailed("error-invitation-already-declined")
    if not reason.strip():
        raise ValidationFailed("error-invitation-reason-empty")
    request = await uow.requests.get(request_id)
    now = rules.clock.now()
    invitation.declined_at, invitation.decline_reason = now, reason.strip()
    await invitations.update(invitation)
    notice = Notification(
        NoticeKind.INVITATION,
        request.citizen_id,
        request_id,
        "notice-invitation-declined",
        {"number": request.number or "", "body": invitation.body, "reason": reason.strip()},
    )
    await uow.outbox.add_notices([notice], now)
    await uow.audit.record(
        actor,
        "request.invitation_declined",
        now,
        "request",
        str(request_id),
        details={"invitation": str(invitation_id)},
    )
    return invitation
