"""Admissibility of a booking request at intake (R16-R19).

The grounds of R18 on which no booking is made come from the profile (2020: two; 2023: five;
Almaty 2025: four). Finding one never refuses the request (R17): the bot explains the ground
and where to turn, and registers the request if the applicant insists; staff then decide
through the hearing of R24. Only a question outside the competence of local bodies changes
the course: it is forwarded (R19) or sent to a reception centre (R2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from reception.profile import Ground, Profile
from reception.schedule import Topic

OUTSIDE_COMPETENCE = "outside-competence"  # R18.1, decided by the topic, never asked

# R16: a statement of the substance needs at least this many letters and two words. The
# shortest real statements in either language ("Жолды жөндеңіздер", "Нет отопления в доме")
# reach it, while a greeting, "на приём" or a single key pressed many times do not.
MIN_SUBSTANCE_LETTERS = 15
MIN_SUBSTANCE_WORDS = 2


class Advice(StrEnum):
    PROCEED = "proceed"  # no ground applies
    WARN = "warn"  # a ground applies; explain it, register if the applicant insists (R17)
    FORWARD = "forward"  # outside local competence: to the competent body (R19) or R2 centre


class Competence(StrEnum):
    """`Topic.competence` values."""

    LOCAL = "local"
    CENTRAL = "central"  # central state bodies: reception centres (R2)
    OTHER = "other"  # another body: forwarded within 3 working days (R19)


class Redirect(StrEnum):
    RECEPTION_CENTRE = "reception-centre"  # R2
    COMPETENT_BODY = "competent-body"  # R19

    @property
    def message_id(self) -> str:
        return f"admissibility-redirect-{self}"


@dataclass(frozen=True, slots=True)
class Assessment:
    grounds: tuple[Ground, ...]  # in the profile's order; each has .rule and .message_id
    advice: Advice
    redirect: Redirect | None = None  # where to turn when the advice is forward

    @property
    def ground_ids(self) -> list[str]:
        """What `BookingRequest.grounds` stores."""
        return [ground.id for ground in self.grounds]


def questions(profile: Profile) -> list[Ground]:
    """The grounds the dialog asks about, in the profile's order; competence is not asked,
    the chosen topic decides it."""
    return [ground for ground in profile.grounds if ground.id != OUTSIDE_COMPETENCE]


def assess(profile: Profile, answers: Mapping[str, bool], topic: Topic | None) -> Assessment:
    """The R18 grounds that apply and what the bot advises.

    `answers` maps a ground id to "yes, this is so". Answers for grounds the profile does not
    have are ignored, so a request can be re-assessed after a deployment changes profile.
    Without a topic (e.g. an oral request typed in by an operator) an explicit answer on
    outside-competence counts.
    """
    redirect = _redirect(topic, answers)
    applies = {ground_id for ground_id, yes in answers.items() if yes}
    grounds = tuple(
        ground
        for ground in profile.grounds
        if (redirect is not None if ground.id == OUTSIDE_COMPETENCE else ground.id in applies)
    )
    if redirect is not None:
        return Assessment(grounds, Advice.FORWARD, redirect)
    return Assessment(grounds, Advice.WARN if grounds else Advice.PROCEED)


def _redirect(topic: Topic | None, answers: Mapping[str, bool]) -> Redirect | None:
    if topic is None:
        return Redirect.COMPETENT_BODY if answers.get(OUTSIDE_COMPETENCE) else None
    competence = Competence(topic.competence)
    if competence is Competence.LOCAL:
        return None
    if competence is Competence.CENTRAL:
        return Redirect.RECEPTION_CENTRE
    return Redirect.COMPETENT_BODY


def substance_ok(
    text: str,
    min_chars: int = MIN_SUBSTANCE_LETTERS,
    min_words: int = MIN_SUBSTANCE_WORDS,
) -> bool:
    """R16: does the text state a question at all? `min_chars` counts letters only, so
    digits, punctuation and spaces do not make up for missing words. This only decides
    whether the bot re-asks; leaving a request without consideration is a staff decision."""
    words = [word for word in text.split() if any(ch.isalpha() for ch in word)]
    letters = sum(ch.isalpha() for ch in text)
    distinct = {ch.casefold() for ch in text if ch.isalpha()}
    # "ааааааа ааааааа" is two words of letters but says nothing.
    return letters >= min_chars and len(words) >= min_words and len(distinct) > 2
