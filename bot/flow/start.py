"""Language (kk/ru, kept on the citizen) and consent to personal data (R36)."""

from __future__ import annotations

from bot.flow import buttons as b
from bot.flow import states
from bot.flow.events import Button, Reply
from bot.flow.turn import Nav, Rows, Step, Turn
from reception.services.citizens import citizen_for_chat, record_consent

# The version of the consent text in locales/*/bot.ftl (consent-text); a changed text gets a
# new version, so each stored consent says which words the citizen agreed to (R36).
CONSENT_VERSION = "bot-2025-1"

# Typed answers to the language question, for channels where a button may be typed instead.
_TYPED_LANGUAGES = {
    "kk": "kk",
    "қаз": "kk",
    "қазақша": "kk",
    "қазақ": "kk",
    "kz": "kk",
    "ru": "ru",
    "рус": "ru",
    "русский": "ru",
    "орысша": "ru",
}


# Both languages, in their own names: the citizen has not chosen one yet.
_LANGUAGE_ROWS = ((Button(b.LANGUAGE + "kk", "Қазақша"), Button(b.LANGUAGE + "ru", "Русский")),)


async def ask_language(turn: Turn) -> Reply:
    return Reply(
        turn.env.translator("kk", "language-ask")
        + "\n"
        + turn.env.translator("ru", "language-ask"),
        _LANGUAGE_ROWS,
    )


async def answer_language(turn: Turn) -> None:
    chosen = b.suffix(turn.button, b.LANGUAGE)
    if chosen is None and turn.text:
        chosen = _TYPED_LANGUAGES.get(turn.text.casefold())
    if chosen not in ("kk", "ru"):
        await turn.reask("language-not-understood")
        return
    event = turn.event
    citizen = await citizen_for_chat(turn.uow, event.channel, event.chat_id, chosen, turn.now)
    turn.conversation.citizen_id = citizen.id
    turn.data["lang"] = chosen
    if citizen.has_consent:
        turn.data["consent"] = True
    if "consent" in turn.data:
        await turn.menu()
    else:
        await turn.show(states.CONSENT)


async def ask_consent(turn: Turn) -> Reply:
    return Reply(turn.t("consent-text"), turn.once(_consent_rows))


def _consent_rows(turn: Turn) -> Rows:
    return (
        (turn.btn(b.CONSENT_YES, "consent-agree"),),
        (turn.btn(b.CONSENT_NO, "consent-decline"),),
    )


async def answer_consent(turn: Turn) -> None:
    if turn.button not in (b.CONSENT_YES, b.CONSENT_NO):
        await turn.reask("consent-not-understood")
        return
    granted = turn.button == b.CONSENT_YES
    await record_consent(
        turn.uow, turn.citizen_id, granted, CONSENT_VERSION, turn.event.channel, turn.now
    )
    turn.data["consent"] = granted
    # R36: declining stops collection; the menu then offers only what needs no personal data.
    await turn.menu(notice="consent-thanks" if granted else "consent-declined")


STEPS = {
    states.LANGUAGE: Step(ask_language, answer_language, Nav.NONE),
    states.CONSENT: Step(ask_consent, answer_consent, Nav.NONE),
}
