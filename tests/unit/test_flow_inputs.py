"""Reading what citizens type: phones, names, document numbers, commands; the order of steps."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.files import DocumentStore
from bot.flow import states
from bot.flow.dialog import _global_action, all_steps
from bot.flow.events import EventKind, Incoming
from bot.flow.inputs import (
    id_number,
    normalise_phone,
    organisation_name,
    person_name,
    phone_from_chat_id,
    phone_from_contact,
)
from bot.flow.route import next_state
from bot.flow.turn import Env, Turn
from locales import Translator
from reception.clock import ALMATY, FixedClock
from reception.ports import Conversation
from reception.profile import load_profile
from reception.services.context import Rules

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("+7 701 123 45 67", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("77011234567", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("+8 701 123 45 67", "+77011234567"),  # a common slip
        ("+998 90 123 45 67", "+998901234567"),  # a foreigner's number, as given
        ("123", None),
        ("+7 701 123 45 6", None),
        ("8701123456789", None),
        ("phone", None),
        ("٨٧٠١١٢٣٤٥٦٧", None),  # Arabic-Indic digits are not a phone here
    ],
)
def test_typed_phones_are_normalised_to_plus_seven_or_refused(
    typed: str, normalised: str | None
) -> None:
    assert normalise_phone(typed) == normalised


def test_shared_contacts_and_whatsapp_ids_come_as_international_digits() -> None:
    assert phone_from_contact("77011234567") == "+77011234567"
    assert phone_from_contact("+77011234567") == "+77011234567"
    assert phone_from_contact("998901234567") == "+998901234567"
    assert phone_from_chat_id("77017778899") == "+77017778899"


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Ахметов Серик Болатович", "Ахметов Серик Болатович"),
        ("  Сәрсенова   Айгүл  ", "Сәрсенова Айгүл"),
        ("Жанна Д'Арк", "Жанна Д'Арк"),
        ("Мамин-Сибиряк Дмитрий", "Мамин-Сибиряк Дмитрий"),
        ("Серик", None),  # one word is not a full name
        ("Серик 123", None),
        ("", None),
        (None, None),
    ],
)
def test_full_names_are_two_to_six_words_of_letters(typed: str | None, name: str | None) -> None:
    assert person_name(typed) == name


def test_organisation_names_may_hold_quotes_and_digits() -> None:
    assert organisation_name("ТОО  «Жол-1 құрылыс»") == "ТОО «Жол-1 құрылыс»"
    assert organisation_name("123") is None


def test_identity_document_numbers_lose_spaces_and_are_upper_case() -> None:
    assert id_number("n 1234567") == "N1234567"
    assert id_number("№ 045 678 912") == "045678912"
    assert id_number("12") is None
    assert id_number("<script>") is None


@pytest.mark.parametrize(
    ("kind", "text", "button", "action"),
    [
        (EventKind.COMMAND, "/start", None, "start"),
        (EventKind.COMMAND, "/operator@reception_bot", None, "operator"),
        (EventKind.COMMAND, "/help", None, "start"),  # an unknown command starts over
        (EventKind.TEXT, "/menu", None, "menu"),
        (EventKind.TEXT, "/что-то", None, None),
        (EventKind.BUTTON, None, "nav:back", "back"),
        (EventKind.BUTTON, None, "nav:operator", "operator"),
        (EventKind.BUTTON, None, "rep:self", None),
        (EventKind.TEXT, "Меню", None, None),
    ],
)
def test_what_works_from_any_step(
    kind: EventKind, text: str | None, button: str | None, action: str | None
) -> None:
    event = Incoming("telegram", "1", "1", NOW, kind, text=text, button=button)
    assert _global_action(event) == action


def turn_with(
    draft: dict[str, object], channel: str = "web", profile_name: str = "typical-2023"
) -> Turn:
    profile = load_profile(profile_name)
    env = Env(
        Rules.build(profile, FixedClock(NOW)),
        Translator(),
        DocumentStore("/nonexistent", profile.documents),
        all_steps(),
    )
    conversation = Conversation(channel, "1", data={"draft": draft, "lang": "ru"})
    return Turn(env, None, conversation, Incoming(channel, "1", "1", NOW, EventKind.TEXT, text=""))


def test_r7_representatives_are_asked_for_the_principal_and_the_power_of_attorney() -> None:
    assert next_state(turn_with({"representation": "self"}), states.PHONE) == states.ID_TYPE
    assert (
        next_state(turn_with({"representation": "person"}), states.PHONE) == states.PRINCIPAL_NAME
    )
    assert next_state(turn_with({"representation": "organisation"}), states.PRINCIPAL_ID) == (
        states.POWER_OF_ATTORNEY
    )


def test_r8_only_a_foreign_document_brings_the_interpreter_question() -> None:
    citizen = turn_with({"id_type": "id-card"})
    foreigner = turn_with({"id_type": "residence-permit"})
    assert next_state(citizen, states.RECEPTION_LANGUAGE) == states.SLOT
    assert next_state(foreigner, states.RECEPTION_LANGUAGE) == states.INTERPRETER


def test_r9_proof_is_asked_only_with_a_priority_category() -> None:
    assert next_state(turn_with({"priority": None}), states.PRIORITY) == states.FORMAT
    assert next_state(turn_with({"priority": "pregnant"}), states.PRIORITY) == states.PRIORITY_PROOF


def test_every_state_has_a_step_and_every_booking_step_a_successor() -> None:
    steps = all_steps()
    named = {v for k, v in vars(states).items() if k.isupper() and isinstance(v, str)}
    assert named - {states.START} <= set(steps)  # other issues may add steps of their own
    turn = turn_with({"representation": "self", "id_type": "id-card"})
    for state in states.BOOKING_STATES - {states.SUMMARY}:
        assert next_state(turn, state) in steps
