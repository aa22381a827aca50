"""Schedules: officials, topics and competence, reception days and slots, cancelling a day
(R12), and the one-time code an official uses to link their Telegram account (R25)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, TypeVar

from reception.actors import Actor
from reception.clock import Clock, local_date
from reception.daylist import DayCancellation, cancel_day
from reception.errors import NotFound, ValidationFailed
from reception.notifications import Notification
from reception.ports import UnitOfWork
from reception.requests import ReceptionFormat
from reception.schedule import Official, ReceptionDay, Topic
from reception.services.context import Rules
from reception.services.reminders import schedule_for_notices
from reception.slots import generate_slots

LINK_CODE_DIGITS = 8
LINK_CODE_LIFETIME = timedelta(minutes=30)
OFFERED_SLOTS = 5  # R12: the new slots a rescheduled applicant is offered
COMPETENCES = ("local", "central", "other")  # R18.1, R2
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[a-z0-9-]{2,64}$")


def _required(value: str, message_id: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValidationFailed(message_id)
    return value


_Entity = TypeVar("_Entity", Official, Topic)


async def _create_or_update(
    uow: Any,
    clock: Clock,
    actor: Actor,
    entity: str,
    entity_id: int | None,
    values: dict[str, Any],
    *,
    make: Callable[..., _Entity],
    add: Callable[[_Entity], Awaitable[_Entity]],
    get: Callable[[int], Awaitable[_Entity]],
    update: Callable[[_Entity], Awaitable[None]],
) -> _Entity:
    """A new `entity` made of `values`, or the one of `entity_id` changed to them; audited
    as `<entity>.create` or `<entity>.update`."""
    if entity_id is None:
        saved = await add(make(**values))
        action = f"{entity}.create"
    else:
        saved = await get(entity_id)
        for name, value in values.items():
            setattr(saved, name, value)
        await update(saved)
        action = f"{entity}.update"
    await uow.audit.record(actor, action, clock.now(), entity, str(saved.id))
    return saved


@dataclass(frozen=True, slots=True)
class OfficialForm:
    name_kk: str
    name_ru: str
    position_kk: str
    position_ru: str
    group: int = 1
    language: str = "kk"
    phone: str = ""
    email: str = ""
    active: bool = True


async def save_official(
    uow: UnitOfWork, clock: Clock, actor: Actor, form: OfficialForm, official_id: int | None = None
) -> Official:
    """R1 (group), R6 (name and position in both languages; the office contact published)."""
    if form.group not in (1, 2, 3, 4):
        raise ValidationFailed("error-official-group")
    if form.email and not _EMAIL.match(form.email.strip()):
        raise ValidationFailed("error-official-email")
    values: dict[str, Any] = {
        "name_kk": _required(form.name_kk, "error-official-name-empty"),
        "name_ru": _required(form.name_ru, "error-official-name-empty"),
        "position_kk": _required(form.position_kk, "error-official-position-empty"),
        "position_ru": _required(form.position_ru, "error-official-position-empty"),
        "group": form.group,
        "language": form.language if form.language in ("kk", "ru") else "kk",
        "phone": form.phone.strip() or None,
        "email": form.email.strip() or None,
        "active": form.active,
    }
    return await _create_or_update(
        uow,
        clock,
        actor,
        "official",
        official_id,
        values,
        make=Official,
        add=uow.schedule.add_official,
        get=uow.schedule.get_official,
        update=uow.schedule.update_official,
    )


@dataclass(frozen=True, slots=True)
class TopicForm:
    code: str
    name_kk: str
    name_ru: str
    competence: str = "local"
    official_id: int | None = None
    redirect_kk: str = ""
    redirect_ru: str = ""
    active: bool = True


async def save_topic(
    uow: Any, clock: Clock, actor: Actor, form: TopicForm, topic_id: int | None = None
) -> Topic:
    """R18.1, R2: a topic carries its competence; outside local competence it says where
    to turn, in both languages."""
    code = form.code.strip().lower()
    if not _CODE.match(code):
        raise ValidationFailed("error-topic-code")
    if form.competence not in COMPETENCES:
        raise ValidationFailed("error-topic-competence")
    if form.competence != "local" and not (form.redirect_kk.strip() and form.redirect_ru.strip()):
        raise ValidationFailed("error-topic-redirect-empty")
    if form.official_id is not None:
        await uow.schedule.get_official(form.official_id)
    values: dict[str, Any] = {
        "code": code,
        "name_kk": _required(form.name_kk, "error-topic-name-empty"),
        "name_ru": _required(form.name_ru, "error-topic-name-empty"),
        "competence": form.competence,
        "official_id": form.official_id,
        "redirect_kk": form.redirect_kk.strip() or None,
        "redirect_ru": form.redirect_ru.strip() or None,
        "active": form.active,
    }
    existing = {t.code: t for t in await uow.schedule.topics(active_only=False)}
    if code in existing and existing[code].id != topic_id:
        raise ValidationFailed("error-topic-code-taken", code=code)
    return await _create_or_update(
        uow,
        clock,
        actor,
        "topic",
        topic_id,
        values,
        make=Topic,
        add=uow.schedule.add_topic,
        get=uow.schedule.get_topic,
        update=uow.schedule.update_topic,
    )


@dataclass(frozen=True, slots=True)
class DayForm:
    official_id: int
    day: date
    starts: time
    ends: time
    place_kk: str
    place_ru: str
    format: ReceptionFormat = ReceptionFormat.IN_PERSON
    slot_minutes: int = 20
    video_link: str = ""


async def add_reception_day(
    uow: UnitOfWork, rules: Rules, actor: Actor, form: DayForm
) -> ReceptionDay:
    """R5: a day of the approved schedule, cut into slots inside working hours (R34)."""
    official = await uow.schedule.get_official(form.official_id)
    if form.day < local_date(rules.clock.now()):
        raise ValidationFailed("error-day-past", day=form.day)
    if form.format is ReceptionFormat.VIDEO and not form.video_link.strip():
        raise ValidationFailed("error-day-video-link-empty")
    existing = await uow.schedule.days(official.id, form.day, form.day)
    if any(d.starts < form.ends and form.starts < d.ends for d in existing):
        raise ValidationFailed("error-day-overlaps", day=form.day)
    day = ReceptionDay(
        official_id=form.official_id,
        day=form.day,
        starts=form.starts,
        ends=form.ends,
        place_kk=_required(form.place_kk, "error-day-place-empty"),
        place_ru=_required(form.place_ru, "error-day-place-empty"),
        format=form.format,
        slot_minutes=form.slot_minutes,
        video_link=form.video_link.strip() or None,
    )
    slots = generate_slots(day, rules.profile, rules.calendar)
    await uow.schedule.add_day(day, slots)
    await uow.audit.record(
        actor,
        "day.create",
        rules.clock.now(),
        "reception_day",
        str(day.id),
        details={
            "official": str(form.official_id),
            "day": form.day.isoformat(),
            "slots": str(len(slots)),
        },
    )
    return day


async def cancel_reception_day(
    uow: UnitOfWork, rules: Rules, actor: Actor, day_id: int, reason: str
) -> DayCancellation:
    """R12: the official cannot receive. Each booked applicant is told and offered the next
    free slots of the same official (in the notice, for the bot to offer as buttons)."""
    day = await uow.schedule.get_day(day_id)
    slot_ids = [s.id for s in await uow.schedule.slots_of_day(day_id) if s.id is not None]
    holders = await uow.requests.for_slot_ids(slot_ids)
    now = rules.clock.now()
    result = cancel_day(day, holders, actor, now, reason, rules.deadlines)
    await uow.schedule.update_day(day)
    for request in [*result.rescheduled, *result.released]:
        await uow.requests.save(request)
    offered = await uow.schedule.free_slots(day.official_id, now, OFFERED_SLOTS)
    offer = [{"slot_id": s.id, "starts_at": s.starts_at.isoformat()} for s in offered]
    notices = [_with_offer(n, offer) for n in result.notices]
    if notices:
        await uow.outbox.add_notices(notices, now)
        await schedule_for_notices(uow, rules, notices)  # R12: the slot offers (issue 5)
    await uow.audit.record(
        actor,
        "day.cancel",
        now,
        "reception_day",
        str(day_id),
        details={
            "reason": reason,
            "rescheduled": str(len(result.rescheduled)),
            "in_time": str(result.in_time),
        },
    )
    return result


def _with_offer(notice: Notification, offer: list[dict[str, Any]]) -> Notification:
    return Notification(
        notice.kind,
        notice.citizen_id,
        notice.request_id,
        notice.message_id,
        {**notice.args, "offered_slots": offer},
    )


# -- linking an official's Telegram account (R25) ------------------------------------------


class LinkCodeRepository(Protocol):
    async def replace(
        self,
        official_id: int,
        code_hash: str,
        created_at: datetime,
        expires_at: datetime,
        created_by: int | None,
    ) -> None:
        """Stores the code, dropping any earlier unused code of this official."""
        ...

    async def redeem(self, code_hash: str, now: datetime) -> int | None:
        """The official of a live, unused code, marking it used; None otherwise."""
        ...


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


async def issue_link_code(
    uow: UnitOfWork, codes: LinkCodeRepository, clock: Clock, actor: Actor, official_id: int
) -> tuple[str, datetime]:
    """A one-time code, shown once; only its hash is stored, valid for 30 minutes."""
    await uow.schedule.get_official(official_id)
    code = f"{secrets.randbelow(10**LINK_CODE_DIGITS):0{LINK_CODE_DIGITS}d}"
    now = clock.now()
    expires_at = now + LINK_CODE_LIFETIME
    await codes.replace(official_id, hash_code(code), now, expires_at, actor.id)
    await uow.audit.record(actor, "official.link_code", now, "official", str(official_id))
    return code, expires_at


async def redeem_link_code(
    uow: UnitOfWork, codes: LinkCodeRepository, clock: Clock, code: str, telegram_chat_id: int
) -> Official:
    """The bot calls this when an official sends the code: their chat is linked."""
    official_id = await codes.redeem(hash_code(code), clock.now())
    if official_id is None:
        raise NotFound("error-link-code-invalid")
    official = await uow.schedule.get_official(official_id)
    official.telegram_chat_id = telegram_chat_id
    await uow.schedule.update_official(official)
    await uow.audit.record(
        Actor.system(), "official.telegram_linked", clock.now(), "official", str(official_id)
    )
    return official
