"""Booking: who applies — name, IIN (R37), phone — and the identity document (R7)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import EventKind, Reply
from bot.flow.inputs import id_number, normalise_phone, person_name, phone_from_contact, take_file
from bot.flow.route import advance
from bot.flow.turn import Rows, Step, Turn
from reception.citizens import DocumentKind
from reception.iin import InvalidIIN, validate_iin

# R7: the identity documents a citizen, a foreigner or a stateless person shows.
ID_DOCUMENT_TYPES = ("id-card", "passport", "residence-permit", "stateless-certificate")


async def ask_name(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-name"))


async def answer_name(turn: Turn) -> None:
    name = person_name(turn.text)
    if name is None:
        await turn.reask("booking-error-name")
        return
    turn.draft["name"] = name
    await advance(turn)


async def ask_iin(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-iin"))


async def answer_iin(turn: Turn) -> None:
    if turn.text is None:
        await turn.reask("booking-error-expected-text")
        return
    try:
        turn.draft["iin"] = validate_iin(turn.text)  # R37
    except InvalidIIN as error:
        await turn.reask(error.message_id)  # error-iin-<reason>: says what is wrong
        return
    await advance(turn)


async def ask_phone(turn: Turn) -> Reply:
    if turn.channel.shares_contact:
        return Reply(turn.t("booking-ask-phone-or-share"), ask_contact=True)
    return Reply(turn.t("booking-ask-phone"))


async def answer_phone(turn: Turn) -> None:
    event = turn.event
    if event.kind is EventKind.CONTACT and event.contact_phone:
        phone = phone_from_contact(event.contact_phone)
    else:
        phone = normalise_phone(turn.text) if turn.text else None
    if phone is None:
        await turn.reask("booking-error-phone")
        return
    turn.draft["phone"] = phone
    await advance(turn)


async def ask_id_type(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-id-type"), turn.once(_id_type_rows))


def _id_type_rows(turn: Turn) -> Rows:
    return tuple((turn.btn(b.ID_TYPE + kind, "id-type-" + kind),) for kind in ID_DOCUMENT_TYPES)


async def answer_id_type(turn: Turn) -> None:
    kind = b.suffix(turn.button, b.ID_TYPE)
    if kind not in ID_DOCUMENT_TYPES:
        await turn.reask("booking-error-choose")
        return
    turn.draft["id_type"] = kind
    await advance(turn)


async def ask_id_number(turn: Turn) -> Reply:
    kind = turn.draft.get("id_type", "id-card")
    return Reply(turn.t("booking-ask-id-number", document=turn.t("id-type-" + kind)))


async def answer_id_number(turn: Turn) -> None:
    number = id_number(turn.text)
    if number is None:
        await turn.reask("booking-error-id-number")
        return
    turn.draft["id_number"] = number
    await advance(turn)


async def ask_id_scan(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-id-scan", **turn.env.files.refusal_args()))


async def answer_id_scan(turn: Turn) -> None:
    document_id = await take_file(turn, DocumentKind.IDENTITY)
    if document_id is not None:
        turn.draft["id_scan_document"] = document_id
        await advance(turn)


STEPS = {
    states.NAME: Step(ask_name, answer_name),
    states.IIN: Step(ask_iin, answer_iin),
    states.PHONE: Step(ask_phone, answer_phone),
    states.ID_TYPE: Step(ask_id_type, answer_id_type),
    states.ID_NUMBER: Step(ask_id_number, answer_id_number),
    states.ID_SCAN: Step(ask_id_scan, answer_id_scan),
}
