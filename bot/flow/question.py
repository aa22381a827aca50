"""Booking: the substance of the question (R16) and the admissibility questions (R18).

A ground that applies is named, with where to turn; the applicant may still register (R17):
staff decide, through the hearing of R24. The grounds found are stored on the request.
"""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.inputs import yes_no, yes_no_rows
from bot.flow.route import advance
from bot.flow.turn import Rows, Step, Turn
from reception.admissibility import Assessment, assess, questions, substance_ok
from reception.errors import NotFound
from reception.schedule import Topic

MAX_QUESTION = 4000


async def ask_question(turn: Turn) -> Reply:
    return Reply(turn.t("booking-ask-question"))


async def answer_question(turn: Turn) -> None:
    text = turn.text
    if not text:
        await turn.reask("booking-error-question-empty")  # R16
        return
    if not substance_ok(text):
        await turn.reask("booking-error-question-short")  # R16
        return
    if len(text) > MAX_QUESTION:
        await turn.reask("booking-error-question-long", limit=MAX_QUESTION)
        return
    turn.draft["question"] = text
    turn.draft["answers"] = {}
    await advance(turn)


async def ask_admissibility(turn: Turn) -> Reply:
    grounds = questions(turn.env.rules.profile)
    ground = grounds[min(len(turn.draft.get("answers", {})), len(grounds) - 1)]
    return Reply(turn.t(ground.question_message_id), turn.once(yes_no_rows))


async def answer_admissibility(turn: Turn) -> None:
    answer = yes_no(turn)
    if answer is None:
        await turn.reask("booking-error-yes-no")
        return
    grounds = questions(turn.env.rules.profile)
    answers: dict[str, bool] = turn.draft.setdefault("answers", {})
    answers[grounds[min(len(answers), len(grounds) - 1)].id] = answer
    if len(answers) < len(grounds):
        await turn.ask()  # the next question, same step
        return
    assessment = await assessment_of(turn)
    if assessment.grounds:
        await turn.go(states.GROUNDS)
    else:
        await advance(turn)


async def assessment_of(turn: Turn) -> Assessment:
    """R18: the grounds the answers and the topic show."""
    topic: Topic | None = None
    if turn.draft.get("topic"):
        try:
            topic = await turn.uow.schedule.get_topic(int(turn.draft["topic"]))
        except NotFound:
            topic = None
    return assessment_with(turn, topic)


def assessment_with(turn: Turn, topic: Topic | None) -> Assessment:
    """R18: as `assessment_of`, with the draft's topic already read."""
    return assess(turn.env.rules.profile, turn.draft.get("answers", {}), topic)


async def ask_grounds(turn: Turn) -> Reply:
    assessment = await assessment_of(turn)
    lines = [
        turn.t(
            "booking-ground-line",
            ground=turn.t(g.message_id),
            advice=turn.t("booking-advice-" + g.id),
        )
        for g in assessment.grounds
    ]
    return Reply(
        turn.t("booking-grounds", grounds="\n".join(lines)),
        turn.once(_grounds_rows),
    )


def _grounds_rows(turn: Turn) -> Rows:
    return ((turn.btn(b.CONTINUE, "booking-apply-anyway"),),)


async def answer_grounds(turn: Turn) -> None:
    if turn.button != b.CONTINUE:
        await turn.reask("booking-error-choose")
        return
    await advance(turn)  # R17: never refused at intake


STEPS = {
    states.QUESTION: Step(ask_question, answer_question),
    states.ADMISSIBILITY: Step(ask_admissibility, answer_admissibility),
    states.GROUNDS: Step(ask_grounds, answer_grounds),
}
