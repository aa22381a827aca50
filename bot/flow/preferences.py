"""Booking: priority category with proof (R9), format (R10), language of reception (R11),
interpreter (R8)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.inputs import take_file, yes_no, yes_no_rows
from bot.flow.route import advance
from bot.flow.turn import Rows, Step, Turn
from reception.citizens import DocumentKind
from reception.requests import ReceptionFormat


async def ask_priority(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-priority"), turn.once(_priority_rows))


def _priority_rows(turn: Turn) -> Rows:
    # The categories are the profile's, which stays the same while the bot runs.
    lang = turn.lang
    rows = [(turn.btn(b.NO_PRIORITY, "booking-priority-none"),)]
    rows += [
        (
            turn.btn(
                b.PRIORITY + c.id,
                "booking-priority-category",
                name=c.name_kk if lang == "kk" else c.name_ru,
            ),
        )
        for c in turn.env.rules.profile.priority_categories
    ]
    return tuple(rows)


async def answer_priority(turn: Turn) -> None:
    if turn.button == b.NO_PRIORITY:
        turn.draft["priority"] = None
        await advance(turn)
        return
    category = b.suffix(turn.button, b.PRIORITY)
    if category is None or turn.env.rules.profile.priority_category(category) is None:
        await turn.reask("booking-error-choose")
        return
    turn.draft["priority"] = category  # R9: received out of turn, with proof
    await advance(turn)


async def ask_priority_proof(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-priority-proof", **turn.env.files.refusal_args()))


async def answer_priority_proof(turn: Turn) -> None:
    document_id = await take_file(turn, DocumentKind.PRIORITY_PROOF)
    if document_id is not None:
        turn.draft["priority_document"] = document_id
        await advance(turn)


_FORMATS = frozenset(str(f) for f in ReceptionFormat)


async def ask_format(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-format"), turn.once(_format_rows))


def _format_rows(turn: Turn) -> Rows:
    return tuple(
        (turn.btn(b.FORMAT + str(f), "booking-format-" + str(f).replace("_", "-")),)
        for f in ReceptionFormat
    )


async def answer_format(turn: Turn) -> None:
    chosen = b.suffix(turn.button, b.FORMAT)
    if chosen not in _FORMATS:
        await turn.reask("booking-error-choose")
        return
    turn.draft["format"] = chosen  # R10: video-conference only with the applicant's consent
    await advance(turn)


async def ask_reception_language(turn: Turn) -> Reply:
    rows = turn.once(_reception_language_rows)
    return Reply(turn.t("booking-ask-reception-language"), rows)


def _reception_language_rows(turn: Turn) -> Rows:
    return (
        (
            turn.btn(b.RECEPTION_LANGUAGE + "kk", "booking-reception-kk"),
            turn.btn(b.RECEPTION_LANGUAGE + "ru", "booking-reception-ru"),
        ),
    )


async def answer_reception_language(turn: Turn) -> None:
    chosen = b.suffix(turn.button, b.RECEPTION_LANGUAGE)
    if chosen not in ("kk", "ru"):
        await turn.reask("booking-error-choose")
        return
    turn.draft["reception_language"] = chosen  # R11
    await advance(turn)


async def ask_interpreter(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-interpreter"), turn.once(yes_no_rows))


async def answer_interpreter(turn: Turn) -> None:
    needed = yes_no(turn)
    if needed is None:
        await turn.reask("booking-error-yes-no")
        return
    turn.draft["interpreter"] = needed  # R8
    await advance(turn)


STEPS = {
    states.PRIORITY: Step(ask_priority, answer_priority),
    states.PRIORITY_PROOF: Step(ask_priority_proof, answer_priority_proof),
    states.FORMAT: Step(ask_format, answer_format),
    states.RECEPTION_LANGUAGE: Step(ask_reception_language, answer_reception_language),
    states.INTERPRETER: Step(ask_interpreter, answer_interpreter),
}
