"""The order of the booking steps (DESIGN.md "The dialog"), in one place.

Some steps depend on earlier answers (a representative is asked for the principal and the
power of attorney, R7; a foreign document brings the interpreter question, R8); some are
answered without asking (WhatsApp's chat id is the phone; restrictive mode fixes the format,
R10). `advance` moves to the next step that needs the citizen.
"""

from __future__ import annotations

from bot.flow import states as s
from bot.flow.channels import capabilities
from bot.flow.inputs import phone_from_chat_id
from bot.flow.turn import Turn
from reception.admissibility import questions
from reception.requests import ReceptionFormat, Representation

# Documents whose holders are citizens of Kazakhstan: they need no interpreter question (R8).
NATIONAL_ID_TYPES = frozenset({"id-card"})


def next_state(turn: Turn, state: str) -> str:
    draft, profile = turn.draft, turn.env.rules.profile
    match state:
        case s.REPRESENTATION:
            return s.NAME
        case s.NAME:
            return s.IIN
        case s.IIN:
            return s.PHONE
        case s.PHONE:
            represents = draft.get("representation", Representation.SELF) != Representation.SELF
            return s.PRINCIPAL_NAME if represents else s.ID_TYPE
        case s.PRINCIPAL_NAME:
            return s.PRINCIPAL_ID
        case s.PRINCIPAL_ID:
            return s.POWER_OF_ATTORNEY
        case s.POWER_OF_ATTORNEY:
            return s.ID_TYPE
        case s.ID_TYPE:
            return s.ID_NUMBER
        case s.ID_NUMBER:
            return s.ID_SCAN if profile.documents.collect_id_scan else s.TOPIC
        case s.ID_SCAN:
            return s.TOPIC
        case s.TOPIC | s.TOPIC_REDIRECT:
            return s.OFFICIAL
        case s.OFFICIAL:
            return s.QUESTION
        case s.QUESTION:
            return s.ADMISSIBILITY if questions(profile) else s.PRIORITY
        case s.ADMISSIBILITY | s.GROUNDS:
            return s.PRIORITY
        case s.PRIORITY:
            return s.PRIORITY_PROOF if draft.get("priority") else s.FORMAT
        case s.PRIORITY_PROOF:
            return s.FORMAT
        case s.FORMAT:
            return s.RECEPTION_LANGUAGE
        case s.RECEPTION_LANGUAGE:
            return s.SLOT if draft.get("id_type") in NATIONAL_ID_TYPES else s.INTERPRETER
        case s.INTERPRETER:
            return s.SLOT
        case s.SLOT:
            return s.SUMMARY
    raise ValueError(f"no step follows {state}")


async def advance(turn: Turn, after: str | None = None) -> None:
    """Goes to the step after `after` (default: the current one), skipping what is known."""
    state = next_state(turn, after or turn.conversation.state)
    while _answered_without_asking(turn, state):
        state = next_state(turn, state)
    await turn.go(state)


def _answered_without_asking(turn: Turn, state: str) -> bool:
    if state == s.PHONE and capabilities(turn.event.channel).phone_is_chat_id:
        phone = phone_from_chat_id(turn.event.chat_id)
        if phone is not None:
            turn.draft["phone"] = phone
            return True
    if state == s.FORMAT and turn.env.rules.profile.restrictive_mode:
        turn.draft["format"] = str(ReceptionFormat.VIDEO)  # R10: only by video-conference
        turn.say("booking-format-video-only")
        return True
    return False
