"""Booking: for oneself, for another person or for an organisation; for representatives the
principal's name and IIN, or the organisation and its BIN, and the power of attorney (R7)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.inputs import organisation_name, person_name, take_file
from bot.flow.route import advance
from bot.flow.turn import Rows, Step, Turn
from reception.citizens import DocumentKind
from reception.iin import InvalidBIN, InvalidIIN, validate_bin, validate_iin
from reception.requests import Representation


def _is_organisation(turn: Turn) -> bool:
    return turn.draft.get("representation") == Representation.ORGANISATION


_KINDS = frozenset(str(r) for r in Representation)


async def ask_representation(turn: Turn) -> Reply:
    rows = turn.once(_representation_rows)
    return Reply(turn.t("booking-ask-representation"), rows)


def _representation_rows(turn: Turn) -> Rows:
    return tuple(
        (turn.btn(b.REPRESENTATION + kind, "booking-for-" + kind),)
        for kind in (Representation.SELF, Representation.PERSON, Representation.ORGANISATION)
    )


async def answer_representation(turn: Turn) -> None:
    kind = b.suffix(turn.button, b.REPRESENTATION)
    if kind not in _KINDS:
        await turn.reask("booking-error-choose")
        return
    turn.draft["representation"] = kind
    await advance(turn)


async def ask_principal_name(turn: Turn) -> Reply:
    key = "booking-ask-organisation" if _is_organisation(turn) else "booking-ask-principal-name"
    return Reply(turn.t(key))


async def answer_principal_name(turn: Turn) -> None:
    if _is_organisation(turn):
        name, error = organisation_name(turn.text), "booking-error-organisation"
    else:
        name, error = person_name(turn.text), "booking-error-name"
    if name is None:
        await turn.reask(error)
        return
    turn.draft["principal_name"] = name
    await advance(turn)


async def ask_principal_id(turn: Turn) -> Reply:
    key = "booking-ask-bin" if _is_organisation(turn) else "booking-ask-principal-iin"
    return Reply(turn.t(key))


async def answer_principal_id(turn: Turn) -> None:
    if turn.text is None:
        await turn.reask("booking-error-expected-text")
        return
    try:
        if _is_organisation(turn):
            number = validate_bin(turn.text)
        else:
            number = validate_iin(turn.text)  # R37
    except (InvalidIIN, InvalidBIN) as error:
        known = turn.known(error.message_id)
        await turn.reask(error.message_id if known else "booking-error-bin")
        return
    turn.draft["principal_id"] = number
    await advance(turn)


async def ask_power_of_attorney(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-poa", **turn.env.files.refusal_args()))


async def answer_power_of_attorney(turn: Turn) -> None:
    document_id = await take_file(turn, DocumentKind.POWER_OF_ATTORNEY)  # R7
    if document_id is not None:
        turn.draft["poa_document"] = document_id
        await advance(turn)


STEPS = {
    states.REPRESENTATION: Step(ask_representation, answer_representation),
    states.PRINCIPAL_NAME: Step(ask_principal_name, answer_principal_name),
    states.PRINCIPAL_ID: Step(ask_principal_id, answer_principal_id),
    states.POWER_OF_ATTORNEY: Step(ask_power_of_attorney, answer_power_of_attorney),
}
