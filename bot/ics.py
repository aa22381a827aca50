"""An .ics calendar file for a booked reception (RFC 5545), with the standard library only.

Times are written in UTC ("...Z"), which every calendar application shows in its own zone;
a TZID=Asia/Almaty form would need a VTIMEZONE block with the zone's rules. Text values are
escaped (backslash, semicolon, comma, newline) and lines folded at 75 octets without
splitting a UTF-8 character, with CRLF line ends, as RFC 5545 §3.1 and §3.3.11 ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PRODUCT_ID = "-//akimat reception//personal reception bot//EN"
FOLD_OCTETS = 75
CALENDAR_FOLDER = "calendar"  # under the data folder


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str  # stable per booking: re-sending the file updates the same event
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    stamp: datetime  # DTSTAMP: when the file was made
    url: str | None = None  # the video-conference link (R10)
    alarm_minutes: int | None = None  # a reminder in the citizen's calendar


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Splits a content line into lines of at most 75 octets; continuations start with a
    space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= FOLD_OCTETS:
        return line
    parts: list[str] = []
    current, size, limit = [], 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, FOLD_OCTETS - 1  # the leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def render_event(event: CalendarEvent) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_stamp(event.stamp)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
    ]
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.alarm_minutes:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(event.summary)}",
            f"TRIGGER:-PT{event.alarm_minutes}M",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def write_event(data_dir: Path, name: str, event: CalendarEvent) -> str:
    """Writes the file under data_dir/calendar/ and returns its path relative to data_dir
    (what Reply.document_path holds). Written to a temporary name first, then renamed, so a
    sender never reads half a file."""
    folder = data_dir / CALENDAR_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    draft = folder / f".{name}.part"
    draft.write_bytes(render_event(event).encode("utf-8"))
    draft.replace(target)
    return f"{CALENDAR_FOLDER}/{name}"
