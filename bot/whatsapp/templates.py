"""R38: outside the 24-hour window only a pre-approved template may go to the citizen.

Each notice kind belongs to one template group; WHATSAPP_TEMPLATES (JSON) names the approved
template of each group, its language code per citizen language, and what fills its body
parameters {{1}}, {{2}}, ...: "text" is the whole notice as the citizen would read it,
any other name is that argument of the notice (a date written in the citizen's language):

    {"status_change": {"name": "reception_status", "language": {"kk": "kk", "ru": "ru"},
                       "params": ["number", "text"]},
     "reminder": {"name": "reception_reminder", "language": "ru",
                  "params": ["number", "when", "place"]}}

A group without a template leaves its notices undeliverable on WhatsApp, for staff to
tell the citizen another way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from locales import format_date, format_datetime
from reception.notifications import NoticeKind

TEXT_PARAM = "text"
MAX_PARAM = 1000  # a long final answer is cut; the whole text is in "My requests"
_SPACES = re.compile(r"\s+")  # Meta refuses new lines, tabs and runs of spaces in parameters


class TemplateGroup(StrEnum):
    REMINDER = "reminder"
    STATUS_CHANGE = "status_change"
    FIX_REQUEST = "fix_request"
    HEARING_NOTICE = "hearing_notice"
    FINAL_ANSWER = "final_answer"


_GROUP_OF_KIND = {
    NoticeKind.REMINDER: TemplateGroup.REMINDER,
    NoticeKind.FIX_REQUEST: TemplateGroup.FIX_REQUEST,
    NoticeKind.HEARING: TemplateGroup.HEARING_NOTICE,
    NoticeKind.FINAL_ANSWER: TemplateGroup.FINAL_ANSWER,
    NoticeKind.REFUSED: TemplateGroup.FINAL_ANSWER,  # the final, motivated answer (R24)
}


class TemplateConfigError(ValueError):
    """WHATSAPP_TEMPLATES does not describe templates; the message says what is wrong."""


def group_of(kind: str | None) -> TemplateGroup | None:
    """The template group of a notice kind; None for a dialog or operator reply."""
    if kind is None:
        return None
    try:
        notice = NoticeKind(kind)
    except ValueError:
        return None
    return _GROUP_OF_KIND.get(notice, TemplateGroup.STATUS_CHANGE)


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    languages: dict[str, str]  # citizen language -> Meta's language code
    params: tuple[str, ...] = (TEXT_PARAM,)

    def language_for(self, lang: str) -> str:
        """The citizen's language if approved in it, else the first one configured."""
        return self.languages.get(lang) or next(iter(self.languages.values()))

    def message(self, lang: str, notice_text: str, args: dict[str, Any]) -> dict[str, Any]:
        values = [
            _param(notice_text if name == TEXT_PARAM else args.get(name), lang)
            for name in self.params
        ]
        template: dict[str, Any] = {
            "name": self.name,
            "language": {"code": self.language_for(lang)},
        }
        if values:
            parameters = [{"type": "text", "text": value} for value in values]
            template["components"] = [{"type": "body", "parameters": parameters}]
        return {"type": "template", "template": template}


def _param(value: Any, lang: str) -> str:
    if isinstance(value, datetime):
        text = format_datetime(value, lang)
    elif isinstance(value, date):
        text = format_date(value, lang)
    elif isinstance(value, list | tuple):
        text = ", ".join(str(item) for item in value)
    else:
        text = "" if value is None else str(value)
    text = _SPACES.sub(" ", text).strip() or "—"  # an empty parameter is refused too
    return text if len(text) <= MAX_PARAM else text[: MAX_PARAM - 1].rstrip() + "…"


def parse_templates(raw: dict[str, Any] | None) -> dict[TemplateGroup, Template]:
    templates: dict[TemplateGroup, Template] = {}
    for key, spec in (raw or {}).items():
        try:
            group = TemplateGroup(key)
        except ValueError:
            known = ", ".join(g.value for g in TemplateGroup)
            raise TemplateConfigError(f"unknown template group {key!r}; use {known}") from None
        templates[group] = _template(key, spec)
    return templates


def _template(key: str, spec: Any) -> Template:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
        raise TemplateConfigError(f"{key}: give the template's name")
    language = spec.get("language", "ru")
    if isinstance(language, str) and language:
        languages = {"kk": language, "ru": language}
    elif (
        isinstance(language, dict)
        and language
        and all(isinstance(v, str) and v for v in language.values())
    ):
        languages = {str(k): v for k, v in language.items()}
    else:
        raise TemplateConfigError(f"{key}: language is a code or a map such as {{'kk': 'kk'}}")
    params = spec.get("params", [TEXT_PARAM])
    if not isinstance(params, list) or not all(isinstance(p, str) and p for p in params):
        raise TemplateConfigError(f"{key}: params is a list of names, e.g. ['number', 'text']")
    return Template(spec["name"], languages, tuple(params))
