"""Citizens, their consent (R36), documents and staff users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(slots=True)
class Citizen:
    language: str = "ru"  # kk | ru
    id: int | None = None
    full_name: str | None = None
    iin: str | None = None
    phone: str | None = None
    consent_at: datetime | None = None  # R36: nothing personal is collected before this
    consent_version: str | None = None
    created_at: datetime | None = None

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None


@dataclass(frozen=True, slots=True)
class Consent:
    """R36: the text version agreed to, when and by which channel."""

    citizen_id: int
    text_version: str
    channel: str
    given_at: datetime
    granted: bool = True


class DocumentKind(StrEnum):
    POWER_OF_ATTORNEY = "power_of_attorney"  # R7
    IDENTITY = "identity"  # R7, only when the profile asks for a scan
    PRIORITY_PROOF = "priority_proof"  # R9
    ATTACHMENT = "attachment"  # anything sent in reply to a fix request or a hearing


@dataclass(slots=True)
class Document:
    citizen_id: int
    kind: DocumentKind
    file_name: str
    mime_type: str
    size: int
    sha256: str
    path: str  # relative to the data folder
    id: int | None = None
    request_id: int | None = None
    channel: str | None = None
    uploaded_at: datetime | None = None


class Role(StrEnum):
    OPERATOR = "operator"
    RECEPTION = "reception"
    OFFICIAL = "official"
    ADMIN = "admin"


@dataclass(slots=True)
class StaffUser:
    username: str
    full_name: str
    role: Role
    password_hash: str
    id: int | None = None
    language: str = "ru"
    official_id: int | None = None  # for role official: whose receptions they see
    telegram_chat_id: int | None = None
    active: bool = True
    created_at: datetime | None = None
