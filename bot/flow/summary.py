"""Booking: the summary, the confirmation and the registration (R17, R20, R21).

`register_request` registers the request and writes the "registered" notice (number,
registration date, answer-due date) to the outbox in the same transaction; the dialog then
shows the menu with what happens next.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.question import assessment_of, assessment_with
from bot.flow.turn import Rows, Step, Turn
from reception.actors import Actor
from reception.errors import ActiveRequestExists, SlotTaken, SlotUnavailable
from reception.requests import BookingRequest, Channel, ReceptionFormat, Representation
from reception.services.citizens import remember_applicant
from reception.services.requests import register_request

QUESTION_SHOWN = 500


async def ask_summary(turn: Turn) -> Reply:
    d, t = turn.draft, turn.t
    lines = [
        t("summary-title"),
        t("summary-applicant", name=d["name"], iin=d["iin"], phone=d["phone"]),
    ]
    representation = d.get("representation", Representation.SELF)
    if representation != Representation.SELF:
        lines.append(
            t(
                "summary-principal-" + representation,
                name=d["principal_name"],
                number=d["principal_id"],
            )
        )
    lines.append(
        t("summary-id-document", document=t("id-type-" + d["id_type"]), number=d["id_number"])
    )
    lang = turn.lang
    topic = None
    if d.get("topic"):  # read once: the topic line and the grounds (R18) both need it
        topic = await turn.uow.schedule.get_topic(int(d["topic"]))
        lines.append(t("summary-topic", topic=topic.name(lang)))
    official = await turn.uow.schedule.get_official(int(d["official"]))
    lines.append(t("summary-official", name=official.name(lang), position=official.position(lang)))
    question = d["question"]
    if len(question) > QUESTION_SHOWN:
        question = question[:QUESTION_SHOWN] + "…"
    lines.append(t("summary-question", question=question))
    grounds = assessment_with(turn, topic).grounds
    if grounds:
        lines.append(t("summary-grounds", grounds="; ".join(t(g.message_id) for g in grounds)))
    if d.get("priority"):
        category = turn.env.rules.profile.priority_category(d["priority"])
        name = (
            (category.name_kk if lang == "kk" else category.name_ru) if category else d["priority"]
        )
        lines.append(t("summary-priority", category=name))
    lines.append(
        t(
            "summary-format",
            format=t("booking-format-" + d.get("format", "in_person").replace("_", "-")),
        )
    )
    lines.append(
        t("summary-reception-language", language=t("booking-reception-" + d["reception_language"]))
    )
    if d.get("interpreter"):
        lines.append(t("summary-interpreter"))
    if d.get("slot"):
        lines.append(t("summary-slot", when=datetime.fromisoformat(d["slot_at"])))
    else:
        lines.append(t("summary-queue"))
    lines.append(t("summary-confirm"))
    return Reply("\n".join(lines), turn.once(_summary_rows))


def _summary_rows(turn: Turn) -> Rows:
    return ((turn.btn(b.CONFIRM, "summary-confirm-button"),),)


async def answer_summary(turn: Turn) -> None:
    if turn.button != b.CONFIRM:
        await turn.reask("summary-choose")
        return
    draft = await _request_from(turn)
    try:
        # A savepoint: a lost race for the slot fails one statement, not the whole update
        # (PostgreSQL aborts a transaction after an error).
        async with turn.uow.connection.begin_nested():
            request, _ = await register_request(
                turn.uow, turn.env.rules, draft, Actor.citizen(turn.citizen_id)
            )
    except (SlotTaken, SlotUnavailable) as error:
        turn.draft.pop("slot", None)
        turn.conversation.state = states.SLOT
        await turn.ask(prefix=turn.t(error.message_id))
        return
    except ActiveRequestExists:
        await turn.menu(notice="booking-active-exists")
        return
    assert request.id is not None
    for key in ("poa_document", "priority_document", "id_scan_document"):
        if turn.draft.get(key):
            await turn.uow.documents.attach(int(turn.draft[key]), request.id)
    d = turn.draft
    await remember_applicant(turn.uow, turn.citizen_id, d["name"], d["iin"], d.get("phone"))
    # The "registered" notice carries number and dates (R20, R21); the menu says what's next.
    await turn.menu(notice="booking-done")


async def _request_from(turn: Turn) -> BookingRequest:
    d: dict[str, Any] = turn.draft
    grounds = (await assessment_of(turn)).ground_ids
    return BookingRequest(
        citizen_id=turn.citizen_id,
        official_id=int(d["official"]),
        channel=Channel(turn.event.channel),
        question=d["question"],
        applicant_name=d["name"],
        applicant_iin=d["iin"],
        applicant_phone=d.get("phone"),
        topic_id=int(d["topic"]) if d.get("topic") else None,
        representation=Representation(d.get("representation", Representation.SELF)),
        principal_name=d.get("principal_name"),
        principal_id_number=d.get("principal_id"),
        poa_document_id=d.get("poa_document"),
        id_doc_type=d.get("id_type"),
        id_doc_number=d.get("id_number"),
        priority_category=d.get("priority"),
        priority_document_id=d.get("priority_document"),
        reception_format=ReceptionFormat(d.get("format", ReceptionFormat.IN_PERSON)),
        reception_language=d.get("reception_language", turn.lang),
        interpreter_needed=bool(d.get("interpreter")),
        admissibility_answers=dict(d.get("answers", {})),
        grounds=grounds,
        slot_id=d.get("slot"),
    )


STEPS = {states.SUMMARY: Step(ask_summary, answer_summary)}
