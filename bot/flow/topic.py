"""Booking: the topic (it carries competence, R18.1; central bodies' topics point to the
reception centres, R2) and the official to see (R1)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Button, Reply
from bot.flow.route import advance
from bot.flow.turn import Step, Turn
from reception.admissibility import Competence, Redirect
from reception.errors import NotFound
from reception.schedule import Official, Topic


async def ask_topic(turn: Turn) -> Reply:
    topics = await turn.uow.schedule.topics()
    if not topics:
        return Reply(turn.t("booking-ask-topic-none"), ((turn.btn(b.CONTINUE, "booking-next"),),))
    lang = turn.lang
    rows = tuple(
        (Button(b.TOPIC + str(t.id), turn.public("booking-topic", name=t.name(lang))),)
        for t in topics
    )
    return Reply(turn.t("booking-ask-topic"), rows)


async def answer_topic(turn: Turn) -> None:
    if turn.button == b.CONTINUE and not await turn.uow.schedule.topics():
        turn.draft["topic"] = None
        await advance(turn)
        return
    topic = await _topic(turn, b.number_after(turn.button, b.TOPIC))
    if topic is None:
        await turn.reask("booking-error-choose")
        return
    turn.draft["topic"] = topic.id
    turn.draft["suggested_official"] = topic.official_id
    if Competence(topic.competence) is Competence.LOCAL:
        await advance(turn)
    else:  # R2, R19: say where such questions go; the citizen may still apply (R17)
        await turn.go(states.TOPIC_REDIRECT)


async def _topic(turn: Turn, topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    try:
        topic: Topic = await turn.uow.schedule.get_topic(topic_id)
    except NotFound:
        return None
    return topic if topic.active else None


async def ask_redirect(turn: Turn) -> Reply:
    topic = await _topic(turn, turn.draft.get("topic"))
    where = ""
    if topic is not None:
        where = (topic.redirect_kk if turn.lang == "kk" else topic.redirect_ru) or ""
        if not where:
            central = Competence(topic.competence) is Competence.CENTRAL
            redirect = Redirect.RECEPTION_CENTRE if central else Redirect.COMPETENT_BODY
            where = turn.t("booking-" + redirect.message_id)
    return Reply(
        turn.t("booking-topic-redirect", where=where),
        (
            (turn.btn(b.OTHER_TOPIC, "booking-other-topic"),),
            (turn.btn(b.CONTINUE, "booking-apply-anyway"),),
        ),
    )


async def answer_redirect(turn: Turn) -> None:
    if turn.button == b.OTHER_TOPIC:
        await turn.back()
    elif turn.button == b.CONTINUE:
        await advance(turn)
    else:
        await turn.reask("booking-error-choose")


async def _officials(turn: Turn) -> list[Official]:
    officials: list[Official] = await turn.uow.schedule.officials()
    suggested = turn.draft.get("suggested_official")
    # The official the topic belongs to comes first; the rest in the administration's order.
    return sorted(officials, key=lambda o: o.id != suggested)


async def ask_official(turn: Turn) -> Reply:
    officials = await _officials(turn)
    lang = turn.lang
    lines = [
        turn.public("booking-official-line", name=o.name(lang), position=o.position(lang))
        for o in officials
    ]
    rows = tuple(
        (Button(b.OFFICIAL + str(o.id), turn.public("booking-official", name=o.name(lang))),)
        for o in officials
    )
    return Reply(turn.t("booking-ask-official") + "\n" + "\n".join(lines), rows)


async def answer_official(turn: Turn) -> None:
    official_id = b.number_after(turn.button, b.OFFICIAL)
    if official_id is None or official_id not in {o.id for o in await _officials(turn)}:
        await turn.reask("booking-error-choose")
        return
    turn.draft["official"] = official_id
    await advance(turn)


STEPS = {
    states.TOPIC: Step(ask_topic, answer_topic),
    states.TOPIC_REDIRECT: Step(ask_redirect, answer_redirect),
    states.OFFICIAL: Step(ask_official, answer_official),
}
