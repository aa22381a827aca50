"""Files citizens send (powers of attorney R7, priority proofs R9, identity scans, replies to
staff): checked, then stored under ``<data dir>/documents/<yyyy>/<mm>/<sha256>.<ext>``.

The type is read from the file's first bytes, never trusted from the name or the sender's
MIME type. The profile sets the size limit and the allowed types (`[documents]`); a channel
adds its own limits before it downloads anything (Telegram: 20 MB) and passes its refusal in
`IncomingFile.refused_reason`, with one of the REFUSED_* ids below. The same file stored twice
is one file on disk (its name is its checksum) and two Document rows.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.flow.events import IncomingFile
from reception.citizens import Document, DocumentKind
from reception.clock import local_date
from reception.profile import Documents

# Fluent ids of refusals (locales/*/bot.ftl); a channel adapter uses them too.
REFUSED_TOO_LARGE = "file-too-large"  # args: max_mb
REFUSED_WRONG_TYPE = "file-wrong-type"  # args: types
REFUSED_EMPTY = "file-empty"
REFUSED_UNREADABLE = "file-unreadable"  # the channel could not fetch it

# What each allowed MIME type looks like in its first bytes, and its file extension.
_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "application/pdf": (b"%PDF-", "pdf"),
    "image/gif": (b"GIF8", "gif"),
    "image/webp": (b"RIFF", "webp"),  # + "WEBP" at offset 8, checked below
}
_NAMES = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}
DOCUMENTS_FOLDER = "documents"


def sniff(content: bytes) -> str | None:
    """The MIME type the content's signature shows, or None."""
    for mime, (signature, _) in _SIGNATURES.items():
        if content.startswith(signature):
            if mime == "image/webp" and content[8:12] != b"WEBP":
                continue
            return mime
    return None


class DocumentStore:
    def __init__(self, data_dir: Path, limits: Documents) -> None:
        self.data_dir = Path(data_dir)
        self.limits = limits

    @property
    def max_bytes(self) -> int:
        return self.limits.max_file_mb * 1024 * 1024

    def too_large(self, size: int) -> bool:
        """For a channel to refuse before downloading."""
        return size > self.max_bytes

    def refusal(self, file: IncomingFile) -> str | None:
        """Why the file cannot be taken (a REFUSED_* id), or None when it is fine."""
        if file.refused_reason:
            return file.refused_reason
        if file.content is None:
            return REFUSED_UNREADABLE
        if not file.content:
            return REFUSED_EMPTY
        if self.too_large(len(file.content)):
            return REFUSED_TOO_LARGE
        if sniff(file.content) not in self.limits.allowed_types:
            return REFUSED_WRONG_TYPE
        return None

    def refusal_args(self) -> dict[str, Any]:
        """The arguments every REFUSED_* message may use."""
        types = ", ".join(
            _NAMES.get(t, t.split("/")[-1].upper()) for t in self.limits.allowed_types
        )
        return {"max_mb": self.limits.max_file_mb, "types": types}

    async def save(
        self,
        uow: Any,
        citizen_id: int,
        kind: DocumentKind,
        file: IncomingFile,
        channel: str,
        at: Any,
        request_id: int | None = None,
    ) -> Document:
        """Writes the file (once per checksum) and adds its Document row. Call `refusal` first."""
        content = file.content
        if content is None or self.refusal(file) is not None:
            raise ValueError("refused files are not stored; check refusal() first")
        mime = sniff(content)
        assert mime is not None
        digest = hashlib.sha256(content).hexdigest()
        day = local_date(at)
        relative = f"{DOCUMENTS_FOLDER}/{day:%Y}/{day:%m}/{digest}.{_SIGNATURES[mime][1]}"
        await asyncio.to_thread(_write_once, self.data_dir / relative, content)
        document = Document(
            citizen_id=citizen_id,
            kind=kind,
            file_name=_safe_name(file.file_name, _SIGNATURES[mime][1]),
            mime_type=mime,
            size=len(content),
            sha256=digest,
            path=relative,
            request_id=request_id,
            channel=channel,
            uploaded_at=at,
        )
        stored: Document = await uow.documents.add(document)
        return stored

    def path_of(self, document: Document) -> Path:
        return self.data_dir / document.path


def _write_once(path: Path, content: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside, then renamed: a crash never leaves half a file under the final name.
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise


def _safe_name(name: str, extension: str) -> str:
    """The sender's file name without folders or control characters, for staff to see."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())[:200]
    return base or f"document.{extension}"
