"""The main menu: book · my requests · reception schedule · operator · language."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Reply
from bot.flow.my_requests import awaiting_citizen
from bot.flow.staff_replies import start_reply
from bot.flow.turn import Nav, Rows, Step, Turn
from reception.services import handoff


def has_consent(turn: Turn) -> bool:
    return turn.data.get("consent") is True


async def ask_menu(turn: Turn) -> Reply:
    if has_consent(turn):
        rows = turn.once(_menu_rows)
    else:  # R36: nothing that collects personal data until the citizen agrees
        rows = turn.once(_menu_rows_without_consent)
    return Reply(turn.t("menu-ask"), rows)


def _menu_rows(turn: Turn) -> Rows:
    first = ((turn.btn(b.BOOK, "menu-book"),), (turn.btn(b.MY_REQUESTS, "menu-my-requests"),))
    return (*first, *_menu_rest(turn))


def _menu_rows_without_consent(turn: Turn) -> Rows:
    return ((turn.btn(b.GIVE_CONSENT, "menu-give-consent"),), *_menu_rest(turn))


def _menu_rest(turn: Turn) -> Rows:
    return (
        (turn.btn(b.SCHEDULE, "menu-schedule"),),
        (turn.btn(b.OPERATOR, "menu-operator"),),
        (turn.btn(b.CHANGE_LANGUAGE, "menu-language"),),
    )


async def answer_menu(turn: Turn) -> None:
    button = turn.button
    if button == b.BOOK:
        await start_booking(turn)
    elif button == b.MY_REQUESTS and has_consent(turn):
        await turn.go(states.MY_REQUESTS)
    elif button == b.SCHEDULE:
        await turn.go(states.SCHEDULE)
    elif button == b.CHANGE_LANGUAGE:
        await turn.go(states.LANGUAGE)
    elif button == b.GIVE_CONSENT:
        await turn.go(states.CONSENT)
    elif (turn.text or turn.file) and has_consent(turn) and await _reply_to_staff(turn):
        return
    elif turn.text and turn.text.casefold() in _OPERATOR_WORDS:
        await turn.hand_to_operator(handoff.REASON_COMMAND)
    else:  # free text the bot cannot place: three in a row reach an operator
        await turn.reask("menu-not-understood")


async def start_booking(turn: Turn) -> None:
    if not has_consent(turn):  # R36
        await turn.go(states.CONSENT)
        return
    turn.data["draft"] = {}
    await turn.go(states.REPRESENTATION)


async def _reply_to_staff(turn: Turn) -> bool:
    """R17, R24: a message after a fix request or a draft refusal is the answer to it."""
    request = await awaiting_citizen(turn)
    if request is None:
        return False
    await start_reply(turn, request)
    return True


_OPERATOR_WORDS = frozenset({"оператор", "operator", "оператормен", "адам", "человек"})

STEPS = {states.MENU: Step(ask_menu, answer_menu, Nav.NONE)}
