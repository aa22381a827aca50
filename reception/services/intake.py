"""Requests heard by phone or in person, registered by staff (R4, R20, R36).

The same use case as the bot registers them (`register_request`); the channel is recorded
(R4) and an oral request is written into a protocol of its own (R20, 004 §180), numbered
within the year like every protocol (R33).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reception.actors import Actor
from reception.citizens import Citizen, Consent
from reception.clock import local_date
from reception.errors import ValidationFailed
from reception.iin import validate_iin
from reception.ports import Page, RequestFilter, UnitOfWork
from reception.protocols import Protocol, ProtocolItem
from reception.requests import BookingRequest, Channel, ReceptionFormat
from reception.services.context import Rules
from reception.services.requests import register_request

# R4: what a staff member may hear a request through; the bot's channels register themselves.
STAFF_CHANNELS: frozenset[Channel] = frozenset(
    {Channel.PHONE, Channel.IN_PERSON, Channel.CALL_CENTRE, Channel.PAPER}
)
# R20: "oral requests (in person or by phone) are written into a separate protocol".
ORAL_CHANNELS: frozenset[Channel] = frozenset(
    {Channel.PHONE, Channel.IN_PERSON, Channel.CALL_CENTRE}
)
# The version of the consent text staff read out; the bot's texts have their own versions.
ORAL_CONSENT_VERSION = "oral-1"


@dataclass(frozen=True, slots=True)
class StaffIntake:
    """What a staff member writes down while the applicant speaks."""

    channel: Channel
    applicant_name: str
    applicant_iin: str
    question: str
    official_id: int
    consent_given: bool  # R36: asked aloud before anything personal is written down
    applicant_phone: str | None = None
    topic_id: int | None = None
    language: str = "ru"  # R11
    reception_format: ReceptionFormat = ReceptionFormat.IN_PERSON
    priority_category: str | None = None  # R9
    interpreter_needed: bool = False  # R8


@dataclass(frozen=True, slots=True)
class IntakeResult:
    request: BookingRequest
    protocol: Protocol | None  # the oral request's own protocol (R20)


async def register_staff_request(
    uow: UnitOfWork,
    rules: Rules,
    intake: StaffIntake,
    actor: Actor,
    staff_name: str,
    oral_decision: Callable[[BookingRequest], str],
) -> IntakeResult:
    """Registers the request through the bot's use case; `oral_decision` words the
    protocol's decision in the staff member's language (e.g. "registered as No ...")."""
    if intake.channel not in STAFF_CHANNELS:
        raise ValidationFailed("error-intake-channel")
    if not intake.consent_given:
        raise ValidationFailed("error-intake-consent")  # R36
    if not intake.applicant_name.strip():
        raise ValidationFailed("error-intake-name-empty")
    if intake.language not in ("kk", "ru"):
        raise ValidationFailed("error-validation")
    if (
        intake.priority_category
        and rules.profile.priority_category(intake.priority_category) is None
    ):
        raise ValidationFailed("error-validation")
    iin = validate_iin(intake.applicant_iin)  # R37, before anything is stored
    await uow.schedule.get_official(intake.official_id)
    citizen = await _citizen_for(uow, rules, intake, iin)
    draft = BookingRequest(
        citizen_id=citizen.id or 0,
        official_id=intake.official_id,
        channel=intake.channel,
        question=intake.question.strip(),
        applicant_name=intake.applicant_name.strip(),
        applicant_iin=iin,
        applicant_phone=(intake.applicant_phone or "").strip() or None,
        topic_id=intake.topic_id,
        priority_category=intake.priority_category or None,
        reception_format=intake.reception_format,
        reception_language=intake.language,
        interpreter_needed=intake.interpreter_needed,
    )
    request, _ = await register_request(uow, rules, draft, actor)
    protocol = None
    if intake.channel in ORAL_CHANNELS:
        protocol = await _oral_protocol(
            uow, rules, request, actor, staff_name, oral_decision(request)
        )
        await uow.audit.record(
            actor,
            "protocol.oral_request",
            rules.clock.now(),
            "protocol",
            str(protocol.id),
            details={"request": request.id},
        )
    return IntakeResult(request, protocol)


async def _citizen_for(uow: UnitOfWork, rules: Rules, intake: StaffIntake, iin: str) -> Citizen:
    """The applicant's earlier record when they filed before with this IIN, so the rule of one
    active request per official keeps holding; a new one otherwise. Consent is recorded (R36)."""
    now = rules.clock.now()
    earlier, _ = await uow.requests.search(RequestFilter(text=iin), Page(limit=20))
    citizen_id = next((r.citizen_id for r in earlier if r.applicant_iin == iin), None)
    if citizen_id is not None:
        citizen = await uow.citizens.get(citizen_id)
    else:
        citizen = await uow.citizens.add(Citizen(language=intake.language, created_at=now))
    citizen.full_name = citizen.full_name or intake.applicant_name.strip()
    citizen.iin = citizen.iin or iin
    citizen.phone = (intake.applicant_phone or "").strip() or citizen.phone
    if not citizen.has_consent:
        citizen.consent_at = now
        citizen.consent_version = ORAL_CONSENT_VERSION
    await uow.citizens.update(citizen)
    assert citizen.id is not None
    await uow.citizens.add_consent(
        Consent(citizen.id, ORAL_CONSENT_VERSION, str(intake.channel), now)
    )
    return citizen


async def _oral_protocol(
    uow: UnitOfWork,
    rules: Rules,
    request: BookingRequest,
    actor: Actor,
    staff_name: str,
    decision: str,
) -> Protocol:
    """R20 (004 §180): the oral request in its own protocol, dated the day it was heard."""
    held_on = local_date(rules.clock.now())
    number = await uow.protocols.next_number(held_on.year)
    assert request.id is not None
    protocol = Protocol(
        official_id=request.official_id,
        reception_day_id=None,
        held_on=held_on,
        year=held_on.year,
        number=number,
        chair=staff_name,
        secretary=staff_name,
        place=rules.profile.body.name_kk
        if request.reception_language == "kk"
        else rules.profile.body.name_ru,
        created_by=actor.id,
        items=[ProtocolItem(request_id=request.id, heard=request.question, decision=decision)],
    )
    return await uow.protocols.add(protocol)
