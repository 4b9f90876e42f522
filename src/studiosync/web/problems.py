"""How an error reaches a person on the web: its HTTP status, its words and the field it is on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studiosync.doctor.catalogue import Surface, explain
from studiosync.errors import (
    AccessError,
    ConfigError,
    DuplicateError,
    ErrorCode,
    InputError,
    NotFoundError,
    StudioSyncError,
)

UNAUTHORISED_CODES = frozenset(
    {ErrorCode.LOGIN_REQUIRED, ErrorCode.LOGIN_FAILED, ErrorCode.TOKEN_INVALID}
)
STATUS_BY_CODE = {
    ErrorCode.APPOINTMENT_CHANGED: 409,
    ErrorCode.LOGIN_THROTTLED: 429,
    ErrorCode.GOOGLE_NOT_LINKED: 409,  # the account's state, not Google failing
    ErrorCode.GOOGLE_REAUTH_NEEDED: 409,
    ErrorCode.PAGE_NOT_FOUND: 404,
    ErrorCode.UNEXPECTED: 500,
    ErrorCode.DAV_AUTH_FAILED: 422,  # the user name and password typed (or stored) are refused
    ErrorCode.DAV_NOT_A_SERVER: 422,  # the address typed is not a calendar server
    ErrorCode.DAV_NOT_LINKED: 409,
}


def status_for(error: StudioSyncError) -> int:
    """422 a value refused, 404 not found, 409 taken or changed, 401/403 access, 502 mail or
    the calendar service."""
    if error.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[error.code]
    if isinstance(error, AccessError):
        return 401 if error.code in UNAUTHORISED_CODES else 403
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, DuplicateError):
        return 409
    if isinstance(error, InputError):
        return 422
    if isinstance(error, ConfigError):
        return 503
    return 502 if error.code.value.startswith(("email.", "provider.", "google.", "dav.")) else 500


def field_key(label: object) -> str | None:
    """The form field an error belongs to: 'warnings email' is shown at the warnings_email input."""
    if not isinstance(label, str) or not label.strip():
        return None
    return "_".join(label.strip().lower().replace("-", " ").split())


@dataclass(frozen=True)
class Shown:
    """An error as a page or the API shows it."""

    code: str
    title: str
    message: str
    fix: str
    field: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "title": self.title,
                "message": self.message,
                "fix": self.fix,
                "field": self.field,
            }
        }


def shown(error: StudioSyncError) -> Shown:
    worded = explain(error, Surface.WEB)
    return Shown(
        code=error.code.value,
        title=worded.title,
        message=worded.cause,
        fix=worded.fix,
        field=field_key(error.params.get("field")),
    )


@dataclass
class FormProblems:
    """The errors of one form: each next to its field, the rest above the form."""

    by_field: dict[str, Shown]
    general: list[Shown]

    @classmethod
    def none(cls) -> FormProblems:
        return cls({}, [])

    @classmethod
    def of(cls, error: StudioSyncError, fields: set[str] | frozenset[str]) -> FormProblems:
        """Place ``error`` next to its field when the form has that field, else above it."""
        problem = shown(error)
        if problem.field and problem.field in fields:
            return cls({problem.field: problem}, [])
        return cls({}, [problem])

    def __bool__(self) -> bool:
        return bool(self.by_field or self.general)
