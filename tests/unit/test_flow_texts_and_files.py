"""Every text the dialog can say exists in Kazakh and Russian; files are judged by their bytes;
the web chat's visitor cookie cannot be forged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.files import REFUSED_EMPTY, REFUSED_TOO_LARGE, REFUSED_WRONG_TYPE, DocumentStore, sniff
from bot.flow.events import IncomingFile
from bot.flow.identity import ID_DOCUMENT_TYPES
from bot.webchat.page import frame_ancestors
from bot.webchat.visitor import VisitorSigner, new_visitor_id
from locales import Translator
from reception.profile import KNOWN_GROUNDS, load_profile
from reception.requests import ReceptionFormat, Representation, Status

ROOT = Path(__file__).resolve().parents[2]
_LITERAL_ID = re.compile(
    r'"((?:booking|consent|menu|nav|my|summary|schedule|handoff|file|language|webchat|bot|id-type)-[a-z0-9-]+)"'
)


def ids_in_code() -> set[str]:
    found: set[str] = set()
    for path in [
        *(ROOT / "bot" / "flow").glob("*.py"),
        ROOT / "bot" / "files.py",
        ROOT / "bot" / "pipeline.py",
        ROOT / "reception" / "services" / "handoff.py",
    ]:
        text = path.read_text(encoding="utf-8")
        found |= {m for m in _LITERAL_ID.findall(text) if not m.endswith("-") and m[-1].isalpha()}
    # Ids built from a value at run time.
    found |= {"status-" + str(s).replace("_", "-") for s in Status}
    found |= {"my-next-" + str(s).replace("_", "-") for s in Status}
    found |= {"booking-format-" + str(f).replace("_", "-") for f in ReceptionFormat}
    found |= {"booking-for-" + str(r) for r in Representation}
    found |= {"summary-principal-" + str(r) for r in Representation if r is not Representation.SELF}
    found |= {"id-type-" + kind for kind in ID_DOCUMENT_TYPES}
    found |= {"booking-advice-" + ground for ground in KNOWN_GROUNDS}
    found |= {"booking-reception-kk", "booking-reception-ru"}
    found |= {
        "webchat-" + w
        for w in (
            "title",
            "intro",
            "placeholder",
            "send",
            "attach",
            "offline",
            "sending",
            "upload-failed",
        )
    }
    return found


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_text_of_the_dialog_exists_in_both_languages(lang: str) -> None:
    missing = ids_in_code() - Translator().message_ids(lang)
    assert not missing


def test_kazakh_texts_are_written_with_kazakh_letters() -> None:
    text = (ROOT / "locales" / "kk" / "bot.ftl").read_text(encoding="utf-8")
    assert all(letter in text for letter in "әғқңөұүі")


def store(max_mb: int = 1) -> DocumentStore:
    documents = load_profile("typical-2023").documents
    return DocumentStore(Path("/nonexistent"), type(documents)(max_mb, documents.allowed_types))


def test_files_are_judged_by_their_first_bytes_not_their_name() -> None:
    assert sniff(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff(b"\xff\xd8\xff\xdb") == "image/jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"MZ\x90\x00") is None  # a program named .pdf
    assert (
        store().refusal(IncomingFile("x.pdf", "application/pdf", 4, b"MZ\x90\x00"))
        == REFUSED_WRONG_TYPE
    )
    assert store().refusal(IncomingFile("x.gif", "image/gif", 6, b"GIF89a")) == REFUSED_WRONG_TYPE


def test_file_size_and_emptiness_are_checked_and_a_channel_refusal_kept() -> None:
    big = b"%PDF-" + bytes(1024 * 1024)
    assert (
        store(1).refusal(IncomingFile("a.pdf", "application/pdf", len(big), big))
        == REFUSED_TOO_LARGE
    )
    assert store(2).refusal(IncomingFile("a.pdf", "application/pdf", len(big), big)) is None
    assert store().refusal(IncomingFile("a.pdf", "application/pdf", 0, b"")) == REFUSED_EMPTY
    refused = IncomingFile("a.pdf", "application/pdf", 30 << 20, None, "file-too-large")
    assert store().refusal(refused) == "file-too-large"
    assert store(10).refusal_args() == {"max_mb": 10, "types": "JPG, PNG, PDF"}


def test_visitor_cookie_is_signed_and_a_changed_one_refused() -> None:
    signer = VisitorSigner("k" * 40)
    visitor = new_visitor_id()
    cookie = signer.sign(visitor)
    assert signer.verify(cookie) == visitor
    assert VisitorSigner("x" * 40).verify(cookie) is None  # another key
    other = new_visitor_id()
    assert signer.verify(f"{other}.{cookie.split('.')[1]}") is None
    assert signer.verify(cookie + "x") is None
    assert signer.verify("") is None and signer.verify(None) is None
    assert signer.verify("a.b.c") is None


def test_frame_ancestors_accepts_sources_and_refuses_what_would_break_the_policy() -> None:
    assert frame_ancestors("'self'  https://www.gov.kz") == "'self' https://www.gov.kz"
    assert frame_ancestors("https://*.akimat.kz:8443") == "https://*.akimat.kz:8443"
    assert frame_ancestors("self https://gov.kz") == "'self' https://gov.kz"  # quotes eaten
    for bad in ("", "'self'; script-src *", "javascript:", "'none' 'self'", "https://a.kz/path"):
        with pytest.raises(ValueError, match="RECEPTION_WEBCHAT_FRAME_ANCESTORS"):
            frame_ancestors(bad)


def test_web_chat_history_shows_taps_as_labels_and_notices_in_words() -> None:
    from datetime import UTC, datetime

    from bot.webchat.socket import history_messages
    from reception.ports import MessageRecord

    at = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    prompt = {"text": "Выберите язык", "buttons": [[["lang:ru", "Русский", None]]]}
    records = [
        MessageRecord("web", "v", "in", at, "citizen", text="/start", id=1),
        # the tap was logged before the prompt: the sender logs a reply after sending it
        MessageRecord("web", "v", "in", at, "citizen", payload={"button": "lang:ru"}, id=2),
        MessageRecord("web", "v", "out", at, "bot", text="Выберите язык", payload=prompt, id=3),
        MessageRecord(
            "web", "v", "out", at, "staff", payload={"message_id": "handoff-returned"}, id=4
        ),
    ]
    shown = history_messages(records, lambda message_id: f"<{message_id}>")
    assert [m.get("text") for m in shown] == ["Русский", "Выберите язык", "<handoff-returned>"]
    assert shown[1]["buttons"] == [[{"id": "lang:ru", "label": "Русский"}]]
