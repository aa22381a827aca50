"""Every text of the operations screens exists in Kazakh and Russian (Fluent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from console.views.chat_view import CANNED_REPLIES
from locales import Translator
from reception.deadlines import ControlCategory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "console" / "templates"
VIEWS = ROOT / "console" / "views"
SOURCES = [
    path
    for folder in ("operators", "protocols", "daylist", "reports")
    for path in sorted((TEMPLATES / folder).glob("*.html"))
] + [
    VIEWS / name
    for name in (
        "operators.py",
        "operator_stream.py",
        "chat_view.py",
        "intake.py",
        "protocols.py",
        "protocol_control.py",
        "protocol_docs.py",
        "reports.py",
        "daylist.py",
    )
]
LITERAL_ID = re.compile(
    r"""["']((?:ops|console-done-ops|error-chat|error-intake|error-protocol)-[a-z0-9-]*[a-z0-9])["']"""
)
TRANSLATOR = Translator()


def used_ids() -> set[str]:
    found = set()
    for path in SOURCES:
        found.update(LITERAL_ID.findall(path.read_text(encoding="utf-8")))
    found.update(f"ops-canned-{name}" for name in CANNED_REPLIES)
    found.update(f"ops-canned-{name}-label" for name in CANNED_REPLIES)
    found.update(f"ops-control-category-{category.value}" for category in ControlCategory)
    found.update(("ops-language-kk", "ops-language-ru", "ops-canned-closing"))
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_text_the_screens_use_exists(lang: str) -> None:
    missing = sorted(i for i in used_ids() if not TRANSLATOR.has(lang, i))
    assert missing == []


def test_kazakh_and_russian_have_the_same_messages() -> None:
    def ids(lang: str) -> set[str]:
        text = (ROOT / "locales" / lang / "console-ops.ftl").read_text(encoding="utf-8")
        return set(re.findall(r"^([a-z][a-z0-9-]*) =", text, flags=re.MULTILINE))

    assert ids("kk") == ids("ru")


def test_kazakh_texts_are_written_with_kazakh_letters() -> None:
    text = (ROOT / "locales" / "kk" / "console-ops.ftl").read_text(encoding="utf-8")
    assert set("әғқңөұүі") <= set(text)
