"""Use cases over the citizen behind a chat: language, consent (R36), contact details.

A citizen record is made when a chat first chooses its language: it holds the language and
the chat it writes from, nothing personal. Name, IIN and phone are stored only after consent
(R36); `remember_applicant` refuses them before.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reception.actors import Actor
from reception.citizens import Citizen, Consent
from reception.errors import ConsentRequired, ValidationFailed

LANGUAGES = ("kk", "ru")


async def citizen_for_chat(
    uow: Any, channel: str, chat_id: str, language: str, at: datetime
) -> Citizen:
    """The citizen who writes from this chat, made on first contact, in `language` (R11)."""
    if language not in LANGUAGES:
        raise ValidationFailed("error-validation")
    citizen: Citizen | None = await uow.citizens.by_channel(channel, chat_id)
    if citizen is None:
        citizen = await uow.citizens.add(Citizen(language=language, created_at=at))
        assert citizen.id is not None
        await uow.citizens.link_channel(citizen.id, channel, chat_id, at)
    elif citizen.language != language:
        citizen.language = language
        await uow.citizens.update(citizen)
    return citizen


async def set_language(uow: Any, citizen_id: int, language: str) -> Citizen:
    if language not in LANGUAGES:
        raise ValidationFailed("error-validation")
    citizen: Citizen = await uow.citizens.get(citizen_id)
    if citizen.language != language:
        citizen.language = language
        await uow.citizens.update(citizen)
    return citizen


async def record_consent(
    uow: Any, citizen_id: int, granted: bool, text_version: str, channel: str, at: datetime
) -> Citizen:
    """R36: the answer is kept either way (text version, time, channel). Declining after
    agreeing withdraws the consent: nothing more is collected."""
    citizen: Citizen = await uow.citizens.get(citizen_id)
    await uow.citizens.add_consent(Consent(citizen_id, text_version, channel, at, granted))
    if granted:
        citizen.consent_at, citizen.consent_version = at, text_version
    else:
        citizen.consent_at, citizen.consent_version = None, None
    await uow.citizens.update(citizen)
    await uow.audit.record(
        Actor.citizen(citizen_id),
        "citizen.consent" if granted else "citizen.consent_declined",
        at,
        "citizen",
        str(citizen_id),
        details={"version": text_version, "channel": channel},
    )
    return citizen


async def remember_applicant(
    uow: Any, citizen_id: int, full_name: str, iin: str, phone: str | None
) -> Citizen:
    """The applicant's own details, kept for their next booking; only after consent (R36)."""
    citizen: Citizen = await uow.citizens.get(citizen_id)
    if not citizen.has_consent:
        raise ConsentRequired()
    citizen.full_name, citizen.iin = full_name, iin
    citizen.phone = phone or citizen.phone
    await uow.citizens.update(citizen)
    return citizen
