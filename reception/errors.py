"""Domain errors. Each carries a Fluent message id; the edges turn it into text."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    message_id = "error-domain"

    def __init__(self, message_id: str | None = None, **args: Any) -> None:
        self.message_id = message_id or type(self).message_id
        self.args_for_message = args
        super().__init__(self.message_id, args)


class IllegalTransition(DomainError):
    message_id = "error-illegal-transition"


class DeadlineNotReached(DomainError):
    """E.g. a refusal before the hearing window ends (R24)."""

    message_id = "error-deadline-not-reached"


class DeadlineExceeded(DomainError):
    """E.g. an extension beyond the profile's limit (R23)."""

    message_id = "error-deadline-exceeded"


class SlotTaken(DomainError):
    message_id = "error-slot-taken"


class SlotUnavailable(DomainError):
    message_id = "error-slot-unavailable"


class ActiveRequestExists(DomainError):
    """A citizen has at most one active request per official."""

    message_id = "error-active-request-exists"


class MissingFinalAnswer(DomainError):
    """R26: nothing closes without the final motivated answer."""

    message_id = "error-final-answer-required"


class ExecutorNotAllowed(DomainError):
    """R28: a request from a reception goes to another worker."""

    message_id = "error-executor-not-allowed"


class NotFound(DomainError):
    message_id = "error-not-found"


class ConsentRequired(DomainError):
    """R36: no personal data before consent."""

    message_id = "error-consent-required"


class ValidationFailed(DomainError):
    message_id = "error-validation"


class ConcurrentUpdate(DomainError):
    """Someone else changed the record since it was read (optimistic concurrency)."""

    message_id = "error-concurrent-update"
