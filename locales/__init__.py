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


class Translator:
    """Loads every `locales/<lang>/*.ftl` once; formatting is a dict lookup and a resolve."""

    def __init__(self, root: Path = _ROOT, languages: Iterable[str] = LANGUAGES) -> None:
        self.languages = tuple(languages)
        self._bundles: dict[str, FluentBundle] = {}
        self._plain: dict[tuple[str, str], str] = {}
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

    def _format(self, lang: str, message_id: str, args: dict[str, Any]) -> str:
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
