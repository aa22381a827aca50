"""Fluent messages in Kazakh and Russian, for the bot and the console.

`Translator(lang, message_id, **args)` formats a message; dates and datetimes among the
arguments are written in the reader's language («23 қараша 2026 ж.» / «23 ноября 2026 г.»).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

LANGUAGES = ("kk", "ru")
DEFAULT_LANGUAGE = "ru"
_ROOT = Path(__file__).resolve().parent
_log = logging.getLogger(__name__)

# fmt: off
_MONTHS = {
    "kk": (
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
        "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
    ),
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
}
_WEEKDAYS = {
    "kk": ("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
}
# fmt: on


def format_date(value: date, lang: str) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    month = _MONTHS[lang][value.month - 1]
    suffix = "ж." if lang == "kk" else "г."
    return f"{value.day} {month} {value.year} {suffix}"


def format_time(value: datetime) -> str:
    return value.strftime("%H:%M")


def format_datetime(value: datetime, lang: str) -> str:
    """A moment in Asia/Almaty: «23 қараша 2026 ж., 10:40»."""
    from reception.clock import ALMATY

    local = value.astimezone(ALMATY) if value.tzinfo else value
    return f"{format_date(local.date(), lang)}, {format_time(local)}"


def weekday(value: date, lang: str) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return _WEEKDAYS[lang][value.weekday()]


# Formatted texts of public facts kept for reuse (Translator.public): a few hundred cover every
# slot label, topic and official a booking shows, so this is ample.
_MAX_FORMATTED = 4096
# Argument types whose equal values are always written the same way (the key holds the fold
# of a datetime as well). Anything else is formatted every time.
_CACHEABLE = frozenset({str, int, date, datetime, type(None)})


class _Uncached(Exception):
    """An argument the cache cannot key safely (a float, a Decimal, an enum, a list)."""


def _key_part(name: str, value: Any) -> tuple[object, ...]:
    kind = value.__class__
    if kind not in _CACHEABLE:
        raise _Uncached
    if kind is datetime:
        return (name, kind, value, value.fold)
    return (name, kind, value)


class Translator:
    """Loads every `locales/<lang>/*.ftl` once; formatting is a dict lookup and a resolve."""

    def __init__(self, root: Path = _ROOT, languages: Iterable[str] = LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._bundles: dict[str, FluentBundle] = {}
        self._plain: dict[tuple[str, str], str] = {}
        self._formatted: dict[tuple[object, ...], str] = {}
        for lang in self.languages:
            bundle = FluentBundle([lang], use_isolating=False)
            for path in sorted((root / lang).glob("*.ftl")):
                errors = bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
                if errors:
                    raise ValueError(f"{path}: {errors}")
            self._bundles[lang] = bundle

    def has(self, lang: str, message_id: str) -> bool:
        return self._bundle(lang).has_message(message_id)

    def message_ids(self, lang: str) -> set[str]:
        return set(self._bundle(lang)._messages)

    def __call__(self, lang: str, message_id: str, **args: Any) -> str:
        if not args:  # most texts take no arguments: formatted once (the bot asks often)
            key = (lang, message_id)
            text = self._plain.get(key)
            if text is None:
                text = self._plain[key] = self._format(lang, message_id, args)
            return text
        return self._format(lang, message_id, args)

    def public(self, lang: str, message_id: str, **args: Any) -> str:
        """As calling the Translator, for texts whose arguments are public facts that recur
        (a slot's time, a topic, an official's name): formatted once and kept. Never for a
        citizen's own data, which must not linger in a process-wide cache. The key holds each
        value's type and fold too: values that compare equal but are written differently (1
        and 1.0, two readings of an ambiguous local time) miss."""
        try:
            key = (lang, message_id, *[_key_part(k, v) for k, v in args.items()])
        except _Uncached:
            return self._format(lang, message_id, args)
        text = self._formatted.get(key)
        if text is None:
            text = self._format(lang, message_id, args, key)
        return text

    def _format(
        self,
        lang: str,
        message_id: str,
        args: dict[str, Any],
        key: tuple[object, ...] | None = None,
    ) -> str:
        """The formatted text; kept under `key` when it formats without errors, so a warning
        is logged every time, as before caching."""
        bundle = self._bundle(lang)
        if not bundle.has_message(message_id):
            _log.warning("missing Fluent message %s in %s", message_id, lang)
            return message_id
        message = bundle.get_message(message_id)
        if message.value is None:
            return message_id
        text, errors = bundle.format_pattern(message.value, self._prepare(lang, args))
        if errors:
            _log.warning("Fluent message %s in %s: %s", message_id, lang, errors)
        elif key is not None and isinstance(text, str):
            if len(self._formatted) >= _MAX_FORMATTED:  # bounded: start afresh when full
                self._formatted.clear()
            self._formatted[key] = text
        return text

    def attribute(self, lang: str, message_id: str, attribute: str, **args: Any) -> str:
        bundle = self._bundle(lang)
        if not bundle.has_message(message_id):
            return message_id
        pattern = bundle.get_message(message_id).attributes.get(attribute)
        if pattern is None:
            return self(lang, message_id, **args)
        text, _ = bundle.format_pattern(pattern, self._prepare(lang, args))
        return text

    def _bundle(self, lang: str) -> FluentBundle:
        return self._bundles.get(lang) or self._bundles[DEFAULT_LANGUAGE]

    @staticmethod
    def _prepare(lang: str, args: dict[str, Any]) -> dict[str, Any]:
        prepared: dict[str, Any] = {}
        for key, value in args.items():
            if isinstance(value, datetime):
                prepared[key] = format_datetime(value, lang)
            elif isinstance(value, date):
                prepared[key] = format_date(value, lang)
            elif isinstance(value, Enum):
                prepared[key] = str(value.value)
            elif value is None:
                prepared[key] = ""
            else:
                prepared[key] = value
        return prepared
