"""Domain errors.

Every failure a person can cause is a subclass of :class:`DomainError`, so the edge (HTTP, WebSocket, CLI)
can map it to a status or close code in one place without knowing which use case raised it.
"""

from __future__ import annotations

import uuid

from domain.sizes import readable_size


class DomainError(Exception):
    """Base of every error a use case raises on purpose; its message is safe to show to the user."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist *for this user*: foreign ids are reported exactly like missing ones."""

    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class MessageReplaced(Conflict):
    """The question was replaced by an edit or a regenerate (from any tab): it is no longer in the chat."""

    code = "message_replaced"


class DuplicateDocument(Conflict):
    """The owner already uploaded this exact file (same bytes); ``document_id`` is the existing copy."""

    code = "duplicate_document"

    def __init__(self, message: str, document_id: uuid.UUID) -> None:
        super().__init__(message)
        self.document_id = document_id


class EmailAlreadyRegistered(Conflict):
    code = "email_taken"


class InvalidCredentials(DomainError):
    """Wrong password and unknown email share this error (and its message) to avoid account enumeration."""

    code = "invalid_credentials"


class InvalidToken(DomainError):
    code = "invalid_token"


class InvalidInput(DomainError):
    """Input that passed type validation but breaks a business rule (too long, empty, out of range)."""

    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnsupportedDocumentType(DomainError):
    code = "unsupported_media_type"


class DocumentTooLarge(DomainError):
    code = "payload_too_large"

    @classmethod
    def over(cls, limit_bytes: int) -> DocumentTooLarge:
        """The message names the limit, so the person knows what size would be accepted."""
        return cls(f"the file is larger than the {readable_size(limit_bytes)} limit")


class InvalidTransition(DomainError):
    """A state machine (document status, chat stage) was asked for a move it does not allow."""

    code = "invalid_transition"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after_seconds: float) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class ServiceUnavailable(DomainError):
    """A dependency (model, database) cannot serve now; the caller may retry later."""

    code = "unavailable"


class Forbidden(DomainError):
    """The caller is known but may not do this (not the administrator, sign-up closed)."""

    code = "forbidden"


class AccountDisabled(DomainError):
    """The account exists and the credentials are right, but an administrator disabled it."""

    code = "account_disabled"


class SignupClosed(Forbidden):
    code = "signup_closed"


class InvitationRequired(Forbidden):
    code = "invitation_required"


class UrlRefused(InvalidInput):
    """A web address that may not be fetched: not http(s), or it leads to a private, loopback, link-local,
    metadata or otherwise non-public address (checked after DNS resolution, on every redirect)."""

    code = "url_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message, field="url")


class PageUnavailable(DomainError):
    """The web page could not be fetched (no answer, an error status, too slow, too many redirects, a content
    type that is not a document); the message says which."""

    code = "page_unavailable"
