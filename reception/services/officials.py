"""Officials and staff in Telegram (R25, R31): linking an account once with a one-time code,
unlinking, the day list of a reception day, and who receives it.

An official's code comes from the console's schedules page (reception.services.schedules);
a staff member makes their own on the digest page: "s" + digits, so the bot tells the two
apart. An official with no linked account has the day list sent to the reception staff
instead (R25: the list must reach the reception), and the job records that.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from reception.actors import Actor
from reception.citizens import Role, StaffUser
from reception.clock import Clock
from reception.daylist import day_list_order
from reception.errors import NotFound
from reception.ports import UnitOfWork
from reception.requests import Representation, Status
from reception.schedule import Official, ReceptionDay
from reception.services.context import Rules
from reception.services.invitations import InvitationRepository
from reception.services.schedules import (
    LINK_CODE_DIGITS,
    LINK_CODE_LIFETIME,
    LinkCodeRepository,
    hash_code,
    redeem_link_code,
)

STAFF_CODE_PREFIX = "s"
# Staff who stand in for an unlinked official (R25): the responsible workers.
DAY_LIST_STAND_INS = frozenset({Role.RECEPTION})
# Staff who get the daily digest in Telegram (R31).
DIGEST_READERS = frozenset({Role.RECEPTION, Role.ADMIN})


class StaffLinkCodes(Protocol):
    async def replace(
        self,
        staff_user_id: int,
        code_hash: str,
        created_at: datetime,
        expires_at: datetime,
        created_by: int | None = None,
    ) -> None: ...

    async def redeem(self, code_hash: str, now: datetime) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Linked:
    """Whose account a chat became: an official's or a staff member's."""

    kind: str  # official | staff
    id: int
    name: str
    language: str


def is_link_code(text: str) -> bool:
    code = text.strip()
    digits = code[len(STAFF_CODE_PREFIX) :] if code.startswith(STAFF_CODE_PREFIX) else code
    return len(digits) == LINK_CODE_DIGITS and digits.isdigit()


async def issue_staff_link_code(
    uow: UnitOfWork, codes: StaffLinkCodes, clock: Clock, actor: Actor, staff_user_id: int
) -> tuple[str, datetime]:
    """A one-time code for the signed-in staff member; shown once, only its hash stored."""
    await uow.staff.get(staff_user_id)
    code = f"{STAFF_CODE_PREFIX}{secrets.randbelow(10**LINK_CODE_DIGITS):0{LINK_CODE_DIGITS}d}"
    now = clock.now()
    expires_at = now + LINK_CODE_LIFETIME
    await codes.replace(staff_user_id, hash_code(code), now, expires_at, actor.id)
    await uow.audit.record(actor, "staff.link_code", now, "staff_user", str(staff_user_id))
    return code, expires_at


async def link_telegram(
    uow: UnitOfWork,
    official_codes: LinkCodeRepository,
    staff_codes: StaffLinkCodes,
    clock: Clock,
    code: str,
    chat_id: int,
) -> Linked:
    """The bot calls this with the code from `/start <code>`; NotFound if it is not live."""
    code = code.strip()
    if not code.startswith(STAFF_CODE_PREFIX):
        official = await redeem_link_code(uow, official_codes, clock, code, chat_id)
        assert official.id is not None
        return Linked("official", official.id, official.name(official.language), official.language)
    staff_user_id = await staff_codes.redeem(hash_code(code), clock.now())
    if staff_user_id is None:
        raise NotFound("error-link-code-invalid")
    user = await uow.staff.get(staff_user_id)
    user.telegram_chat_id = chat_id
    await uow.staff.update(user)
    await uow.audit.record(
        Actor.staff(staff_user_id),
        "staff.telegram_linked",
        clock.now(),
        "staff_user",
        str(staff_user_id),
    )
    return Linked("staff", staff_user_id, user.full_name, user.language)


async def unlink_telegram(uow: UnitOfWork, clock: Clock, chat_id: int) -> list[Linked]:
    """/unlink: every official and staff account linked to this chat lets go of it."""
    unlinked: list[Linked] = []
    now = clock.now()
    for official in await uow.schedule.officials(active_only=False):
        if official.telegram_chat_id == chat_id and official.id is not None:
            official.telegram_chat_id = None
            await uow.schedule.update_official(official)
            await uow.audit.record(
                Actor.system(), "official.telegram_unlinked", now, "official", str(official.id)
            )
            unlinked.append(
                Linked("official", official.id, official.name(official.language), official.language)
            )
    for user in await uow.staff.all():
        if user.telegram_chat_id == chat_id and user.id is not None:
            user.telegram_chat_id = None
            await uow.staff.update(user)
            await uow.audit.record(
                Actor.staff(user.id), "staff.telegram_unlinked", now, "staff_user", str(user.id)
            )
            unlinked.append(Linked("staff", user.id, user.full_name, user.language))
    return unlinked


# -- the day list (R25) -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    chat_id: str
    language: str
    staff_user_id: int | None = None  # a stand-in for the official, or a digest reader


@dataclass(frozen=True, slots=True)
class DayListEntry:
    position: int
    request_id: int
    number: str
    name: str
    question: str
    starts_at: datetime | None
    priority_category: str | None  # R9, an id of the profile's categories
    invited: str  # R13, R25: other bodies invited
    reception_language: str  # R11
    interpreter: bool  # R8
    principal: str | None  # for a representative (R7): whom they represent


@dataclass(slots=True)
class DayList:
    official: Official
    day: ReceptionDay
    entries: list[DayListEntry] = field(default_factory=list)

    @property
    def request_ids(self) -> list[int]:
        return [entry.request_id for entry in self.entries]


async def day_list(
    uow: UnitOfWork, invitations: InvitationRepository, rules: Rules, day_id: int
) -> DayList:
    """R9, R22, R25: those booked into the day, out of turn first, then the queue."""
    day = await uow.schedule.get_day(day_id)
    official = await uow.schedule.get_official(day.official_id)
    slots = {s.id: s for s in await uow.schedule.slots_of_day(day_id)}
    holders = await uow.requests.for_slot_ids([s for s in slots if s is not None])
    booked = day_list_order([r for r in holders if r.status is Status.BOOKED], rules.profile)
    ids = [r.id for r in booked if r.id is not None]
    invited: dict[int, list[str]] = {}
    for invitation in await invitations.for_requests(ids):
        if invitation.declined_at is None:
            invited.setdefault(invitation.request_id, []).append(invitation.body)
    entries = []
    for position, request in enumerate(booked, start=1):
        assert request.id is not None
        slot = slots.get(request.slot_id)
        represents = request.representation is not Representation.SELF
        entries.append(
            DayListEntry(
                position,
                request.id,
                request.number or "",
                request.applicant_name,
                request.question,
                slot.starts_at if slot else None,
                request.priority_category,
                "; ".join(invited.get(request.id, [])),
                request.reception_language,
                request.interpreter_needed,
                request.principal_name if represents else None,
            )
        )
    return DayList(official, day, entries)


async def day_list_recipients(uow: UnitOfWork, official: Official) -> tuple[list[Recipient], bool]:
    """The official's own chat (linked with the official's code, or the official's console
    account linked with a staff code); without one, the linked reception staff (True:
    redirected to them)."""
    if official.telegram_chat_id is not None:
        return [Recipient(str(official.telegram_chat_id), official.language)], False
    own = [
        recipient
        for recipient, user in await _linked(uow)
        if user.role is Role.OFFICIAL and user.official_id == official.id
    ]
    if own:
        return own, False
    return await linked_staff(uow, DAY_LIST_STAND_INS), True


async def linked_staff(uow: UnitOfWork, roles: frozenset[Role]) -> list[Recipient]:
    return [recipient for recipient, user in await _linked(uow) if user.role in roles]


async def _linked(uow: UnitOfWork) -> list[tuple[Recipient, StaffUser]]:
    users: list[StaffUser] = await uow.staff.all()
    return [
        (Recipient(str(user.telegram_chat_id), user.language, user.id), user)
        for user in users
        if user.active and user.telegram_chat_id is not None
    ]
