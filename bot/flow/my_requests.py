"""My requests: status in words, dates and next step (R40); withdrawal (R40). Answering staff
in the chat (R17, R24) is in bot.flow.staff_replies."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.turn import Nav, Step, Turn
from reception.errors import DomainError, NotFound
from reception.requests import BookingRequest, Status
from reception.services.requests import withdraw_by_citizen

LISTED = 10
# R17, R24: statuses in which staff wait for the citizen's answer.
AWAITING_CITIZEN = frozenset({Status.NEEDS_FIX, Status.REFUSAL_DRAFT})
WITHDRAWABLE = frozenset(
    {
        Status.REGISTERED,
        Status.NEEDS_FIX,
        Status.UNDER_REVIEW,
        Status.EXTENDED,
        Status.REFUSAL_DRAFT,
        Status.BOOKED,
        Status.RESCHEDULED,
    }
)


def status_words(turn: Turn, status: Status) -> str:
    return turn.t("status-" + str(status).replace("_", "-"))


async def _mine(turn: Turn) -> list[BookingRequest]:
    requests = await turn.uow.requests.for_citizen(turn.citizen_id)
    return sorted(requests, key=lambda r: r.id or 0, reverse=True)


async def current_request(turn: Turn) -> BookingRequest | None:
    request_id = turn.data.get("request")
    if request_id is None:
        return None
    try:
        request: BookingRequest = await turn.uow.requests.get(int(request_id))
    except NotFound:
        return None
    return request if request.citizen_id == turn.citizen_id else None


async def awaiting_citizen(turn: Turn) -> BookingRequest | None:
    """The latest request in which staff wait for the citizen (R17, R24), if any."""
    return next((r for r in await _mine(turn) if r.status in AWAITING_CITIZEN), None)


# -- the list ------------------------------------------------------------------------------


async def ask_list(turn: Turn) -> Reply:
    requests = (await _mine(turn))[:LISTED]
    if not requests:
        return Reply(turn.t("my-requests-none"), ((turn.btn(b.BOOK, "menu-book"),),))
    lines = [
        turn.t(
            "my-requests-line",
            number=r.number or "—",
            status=status_words(turn, r.status),
            registered=r.registration_date,
        )
        for r in requests
    ]
    rows = tuple(
        (turn.btn(b.REQUEST + str(r.id), "my-requests-button", number=r.number or "—"),)
        for r in requests
    )
    return Reply(turn.t("my-requests-title") + "\n" + "\n".join(lines), rows)


async def answer_list(turn: Turn) -> None:
    if turn.button == b.BOOK:
        from bot.flow.menu import start_booking

        await start_booking(turn)
        return
    request_id = b.number_after(turn.button, b.REQUEST)
    if request_id is None:
        await turn.reask("my-requests-choose")
        return
    turn.data["request"] = request_id
    if await current_request(turn) is None:
        await turn.reask("my-requests-choose")
        return
    await turn.go(states.MY_REQUEST)


# -- one request ---------------------------------------------------------------------------


async def ask_request(turn: Turn) -> Reply:
    request = await current_request(turn)
    if request is None:
        return Reply(turn.t("my-requests-choose"))
    official = await turn.uow.schedule.get_official(request.official_id)
    lines = [
        turn.t("my-request-number", number=request.number or "—"),
        turn.t("my-request-status", status=status_words(turn, request.status)),
        turn.t("my-request-official", official=official.name(turn.lang)),
        turn.t("my-request-registered", date=request.registration_date),
    ]
    if request.answer_due and not request.is_final:
        lines.append(turn.t("my-request-answer-due", date=request.answer_due))  # R21
    if request.slot_id is not None:
        slot = await turn.uow.schedule.get_slot(request.slot_id)
        lines.append(turn.t("my-request-slot", when=slot.starts_at))
    if request.status is Status.NEEDS_FIX:  # R17
        lines.append(
            turn.t(
                "my-request-fix",
                requirements=", ".join(request.fix_requirements),
                until=request.fix_due,
            )
        )
    if request.status is Status.REFUSAL_DRAFT:  # R24
        lines.append(
            turn.t("my-request-hearing", text=request.refusal_text, until=request.refusal_earliest)
        )
    if request.final_answer:
        lines.append(turn.t("my-request-final", text=request.final_answer))
    lines.append(turn.t("my-next-" + str(request.status).replace("_", "-")))
    rows = []
    if request.status in AWAITING_CITIZEN:
        rows.append((turn.btn(b.REPLY, "my-request-reply"),))
    if request.status in WITHDRAWABLE:
        rows.append((turn.btn(b.WITHDRAW, "my-request-withdraw"),))
    rows.append((turn.btn(b.REQUESTS_LIST, "my-request-all"),))
    return Reply("\n".join(lines), tuple(rows))


async def answer_request(turn: Turn) -> None:
    request = await current_request(turn)
    if request is None or turn.button == b.REQUESTS_LIST:
        await turn.show(states.MY_REQUESTS)
    elif turn.button == b.WITHDRAW and request.status in WITHDRAWABLE:
        await turn.go(states.WITHDRAW)
    elif turn.button == b.REPLY and request.status in AWAITING_CITIZEN:
        await turn.go(states.REQUEST_REPLY)
    elif (turn.text or turn.file) and request.status in AWAITING_CITIZEN:
        from bot.flow.staff_replies import start_reply

        await start_reply(turn, request)
    else:
        await turn.reask("my-request-choose-action")


# -- withdrawal (R40) ----------------------------------------------------------------------


async def ask_withdraw(turn: Turn) -> Reply:
    request = await current_request(turn)
    number = request.number if request else "—"
    return Reply(
        turn.t("my-withdraw-confirm", number=number),
        ((turn.btn(b.YES, "my-withdraw-yes"), turn.btn(b.NO, "my-withdraw-no")),),
    )


async def answer_withdraw(turn: Turn) -> None:
    request = await current_request(turn)
    if request is None or turn.button == b.NO:
        await turn.back()
        return
    if turn.button != b.YES:
        await turn.reask("my-withdraw-choose")
        return
    assert request.id is not None
    try:
        await withdraw_by_citizen(turn.uow, turn.env.rules, turn.citizen_id, request.id)
    except DomainError as error:  # e.g. the reception took place meanwhile
        turn.say(error.message_id, **error.args_for_message)
    # The domain's notice tells the citizen it is withdrawn; the card shows the new status.
    turn.data.get("trail", []).clear()
    await turn.show(states.MY_REQUEST)


STEPS = {
    states.MY_REQUESTS: Step(ask_list, answer_list, Nav.SUB),
    states.MY_REQUEST: Step(ask_request, answer_request, Nav.SUB),
    states.WITHDRAW: Step(ask_withdraw, answer_withdraw, Nav.NONE),
}
