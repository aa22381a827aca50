"""The words of reminders, day lists and the digest, in the reader's language (Fluent ids in
locales/*/reminders.ftl). Dates and moments are written by the Translator, in Almaty time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from locales import Translator, format_time, weekday
from reception.clock import ALMATY
from reception.profile import Profile
from reception.requests import BookingRequest, ReceptionFormat, Representation
from reception.schedule import ReceptionDay
from reception.services.digest import Digest
from reception.services.officials import DayList, DayListEntry

MAX_QUESTION = 400  # characters of a question shown in a day list; the console has it all
DETAIL_INDENT = "    "  # under each applicant's line


def local_time(moment: datetime) -> str:
    return format_time(moment.astimezone(ALMATY))


def where(t: Translator, lang: str, request: BookingRequest, day: ReceptionDay) -> str:
    """R10: the place, or the video-conference link for a reception by video."""
    if request.reception_format is ReceptionFormat.VIDEO and day.video_link:
        return t(lang, "reminder-where-video", link=day.video_link)
    return t(lang, "reminder-where-place", place=day.place(lang))


def what_to_bring(t: Translator, lang: str, request: BookingRequest) -> str:
    """R7: an identity document; a representative also the proof of authority."""
    if request.representation is Representation.SELF:
        return t(lang, "reminder-bring-self")
    return t(lang, "reminder-bring-representative", principal=request.principal_name or "")


def day_list_text(
    t: Translator, lang: str, listing: DayList, profile: Profile, redirected: bool
) -> str:
    """R25: full names, questions, priority marks, invited persons, format and place."""
    official, day = listing.official, listing.day
    lines = []
    if redirected:
        lines += [t(lang, "reminder-daylist-redirected", official=official.name(lang)), ""]
    lines += [
        t(lang, "reminder-daylist-title", weekday=weekday(day.day, lang), date=day.day),
        t(
            lang,
            "reminder-daylist-official",
            official=official.name(lang),
            position=official.position(lang),
        ),
        _place_line(t, lang, day),
        t(lang, "reminder-daylist-count", count=len(listing.entries)),
    ]
    if not listing.entries:
        lines.append(t(lang, "reminder-daylist-empty"))
    for entry in listing.entries:
        lines += ["", *entry_lines(t, lang, entry, profile)]
    return "\n".join(lines)


def entry_lines(t: Translator, lang: str, entry: DayListEntry, profile: Profile) -> list[str]:
    time = local_time(entry.starts_at) if entry.starts_at else "—"
    lines = [t(lang, "reminder-daylist-row", position=entry.position, time=time, name=entry.name)]
    category = profile.priority_category(entry.priority_category or "")
    if category is not None:  # R9
        name = category.name_kk if lang == "kk" else category.name_ru
        lines.append(t(lang, "reminder-daylist-priority", category=name))
    if entry.principal:  # R7
        lines.append(t(lang, "reminder-daylist-principal", principal=entry.principal))
    question = " ".join(entry.question.split())
    if len(question) > MAX_QUESTION:
        question = question[: MAX_QUESTION - 1] + "…"
    lines.append(t(lang, "reminder-daylist-question", question=question))
    if entry.invited:  # R13
        lines.append(t(lang, "reminder-daylist-invited", invited=entry.invited))
    lines.append(
        t(
            lang,
            "reminder-daylist-language",
            language=entry.reception_language,
            interpreter="yes" if entry.interpreter else "no",
        )
    )  # R8, R11
    return [lines[0], *(DETAIL_INDENT + line for line in lines[1:])]


def _place_line(t: Translator, lang: str, day: ReceptionDay) -> str:
    hours = {"starts": day.starts.strftime("%H:%M"), "ends": day.ends.strftime("%H:%M")}
    if day.format is ReceptionFormat.VIDEO and day.video_link:
        return t(lang, "reminder-daylist-video", link=day.video_link, **hours)
    return t(lang, "reminder-daylist-place", place=day.place(lang), **hours)


def update_text(
    t: Translator,
    lang: str,
    listing: DayList,
    added: Iterable[DayListEntry],
    removed: Iterable[str],
    profile: Profile,
    redirected: bool,
) -> str:
    day = listing.day
    lines = []
    if redirected:
        lines += [t(lang, "reminder-daylist-redirected", official=listing.official.name(lang)), ""]
    lines.append(
        t(lang, "reminder-daylist-update-title", weekday=weekday(day.day, lang), date=day.day)
    )
    for name in removed:
        lines.append(t(lang, "reminder-daylist-removed", name=name))
    for entry in added:
        lines += ["", t(lang, "reminder-daylist-added"), *entry_lines(t, lang, entry, profile)]
    lines += ["", t(lang, "reminder-daylist-count", count=len(listing.entries))]
    return "\n".join(lines)


def morning_text(t: Translator, lang: str, listing: DayList, profile: Profile) -> str:
    day = listing.day
    lines = [
        t(lang, "reminder-morning-title", date=day.day, count=len(listing.entries)),
        _place_line(t, lang, day),
    ]
    for entry in listing.entries:
        time = local_time(entry.starts_at) if entry.starts_at else "—"
        priority = profile.priority_category(entry.priority_category or "") is not None
        lines.append(
            t(
                lang,
                "reminder-morning-row",
                time=time,
                name=entry.name,
                priority="yes" if priority else "no",
            )
        )
    return "\n".join(lines)


def digest_text(t: Translator, lang: str, digest: Digest) -> str:
    """R31: what is due within 3 working days and what is overdue."""
    lines = [t(lang, "reminder-digest-title", date=digest.day, until=digest.until)]
    if digest.is_empty:
        lines.append(t(lang, "reminder-digest-empty"))
    for section, items in digest.sections():
        if not items:
            continue
        lines += ["", t(lang, f"reminder-digest-{section}")]
        for item in items:
            row = t(
                lang,
                "reminder-digest-row",
                number=item.number,
                name=item.applicant_name,
                due=item.due,
            )
            lines.append(f"• {row}" + (f" — {item.detail}" if item.detail else ""))
    return "\n".join(lines)
