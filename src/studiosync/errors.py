"""The one exception tree of studiosync: errors carry a code and data; only the edges word them.

    StudioSyncError                 .code (ErrorCode) + .params (dict); no user-facing prose
    ├── InputError                  a value a person gave cannot be accepted (CLI exit 2, HTTP 422)
    │   ├── NotFoundError           the named record does not exist            (HTTP 404)
    │   └── DuplicateError          the value already belongs to another record (HTTP 409)
    ├── AccessError                 not logged in (HTTP 401) or not allowed to (HTTP 403)
    ├── ConfigError                 settings, data directory, key or database are missing or wrong
    ├── ProviderError               Google (or another provider) refused or failed
    │   ├── AuthError               no credentials, or revoked / expired (invalid_grant)
    │   ├── AccessDeniedError       403 forbidden, insufficient scope, calendar not writable
    │   ├── RemoteNotFoundError     404: the calendar or item is gone
    │   ├── RemoteDuplicateError    409 duplicate: an item with that id already exists
    │   ├── PreconditionFailedError 412 conditionNotMet: the etag no longer matches
    │   ├── SyncTokenExpiredError   410 / People 400 EXPIRED_SYNC_TOKEN: full resync needed
    │   ├── RateLimitedError        403 rateLimitExceeded or 429: back off and retry
    │   ├── QuotaExceededError      403 quotaExceeded: stop for hours
    │   ├── TransientError          5xx, dropped connection, timeout: retry later
    │   └── BadRemoteDataError      an item we cannot read: skip it and name it in the log
    ├── SyncError                   the engine stopped on purpose (bulk-delete guard, ...)
    └── EmailError                  SMTP could not be reached or refused us

The wording of every code (title, plain cause, fix) lives in ``studiosync.doctor.catalogue``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """Every stable error code studiosync can raise or log; the catalogue words each one."""

    # input
    FIELD_REQUIRED = "input.field_required"
    INVALID_VALUE = "input.invalid_value"
    INVALID_EMAIL = "input.invalid_email"
    INVALID_TIMEZONE = "input.invalid_timezone"
    END_BEFORE_START = "input.end_before_start"
    ENDS_WHEN_IT_STARTS = "input.ends_when_it_starts"
    DOUBLE_BOOKING = "input.double_booking"
    NOT_FOUND = "input.not_found"
    DUPLICATE = "input.duplicate"
    RESOURCE_NOT_USER = "input.resource_not_user"
    RESOURCE_CANNOT_SYNC = "input.resource_cannot_sync"
    WARNINGS_ADDRESS_REQUIRED = "input.warnings_address_required"
    CLIENT_GROUP_REQUIRED = "input.client_group_required"
    ALL_DAY_NEEDS_DATES = "input.all_day_needs_dates"
    INVALID_DATE = "input.invalid_date"
    INVALID_TIME = "input.invalid_time"
    INVALID_NUMBER = "input.invalid_number"
    SELF_LOCKOUT = "input.self_lockout"
    APPOINTMENT_CHANGED = "input.appointment_changed"
    # access: who may see or change what (web pages and the JSON API)
    LOGIN_REQUIRED = "access.login_required"
    LOGIN_FAILED = "access.login_failed"
    LOGIN_THROTTLED = "access.login_throttled"
    TOKEN_INVALID = "access.token_invalid"  # noqa: S105 - a code, not a secret
    ADMIN_ONLY = "access.admin_only"
    NOT_YOUR_ACCOUNT = "access.not_your_account"
    FORM_EXPIRED = "access.form_expired"
    OTHERS_SYNC_HISTORY = "access.others_sync_history"
    # web
    PAGE_NOT_FOUND = "web.page_not_found"
    UNEXPECTED = "web.unexpected"
    # configuration
    NOT_INITIALISED = "config.not_initialised"
    DATABASE_UNREACHABLE = "config.database_unreachable"
    SECRET_KEY_INVALID = "config.secret_key_invalid"  # noqa: S105 - a code, not a secret
    SETTINGS_INVALID = "config.settings_invalid"
    FILES_NOT_PRIVATE = "config.files_not_private"
    SANDBOX_CANNOT_LISTEN = "config.sandbox_cannot_listen"
    SANDBOX_DATA_UNUSABLE = "config.sandbox_data_unusable"
    # email (SMTP)
    EMAIL_NOT_CONFIGURED = "email.not_configured"
    SMTP_DNS = "email.smtp_dns"
    SMTP_REFUSED = "email.smtp_refused"
    SMTP_TIMEOUT = "email.smtp_timeout"
    SMTP_TLS = "email.smtp_tls"
    SMTP_AUTH = "email.smtp_auth"
    SMTP_REJECTED = "email.smtp_rejected"
    SMTP_FAILED = "email.smtp_failed"
    # provider (any calendar or contacts service with Google's semantics)
    GOOGLE_NOT_LINKED = "google.not_linked"
    GOOGLE_ACCOUNT_TAKEN = "google.account_taken"
    GOOGLE_REAUTH_NEEDED = "google.reauth_needed"
    GOOGLE_ACCESS_DENIED = "google.access_denied"
    GOOGLE_LINK_EXPIRED = "google.link_expired"
    GOOGLE_SCOPES_MISSING = "google.scopes_missing"
    GOOGLE_CALENDAR_NOT_SELECTED = "google.calendar_not_selected"
    GOOGLE_CALENDAR_NOT_FOUND = "google.calendar_not_found"
    GOOGLE_CALENDAR_READ_ONLY = "google.calendar_read_only"
    GOOGLE_UNREACHABLE = "google.unreachable"
    SYNC_NOT_ENABLED = "sync.not_enabled"
    SYNC_POPULATE_HINT = "sync.populate_hint"
    EMAIL_UNDELIVERABLE = "input.email_undeliverable"
    SMTP_PASSWORD_IN_ARGUMENTS = "input.smtp_password_in_arguments"  # noqa: S105 - a code
    SMTP_PASSWORD_WITHOUT_USERNAME = "input.smtp_password_without_username"  # noqa: S105
    SMTP_LOGIN_IN_CLEAR = "input.smtp_login_in_clear"
    PROVIDER_RATE_LIMITED = "provider.rate_limited"
    PROVIDER_QUOTA_EXCEEDED = "provider.quota_exceeded"
    PROVIDER_UNAVAILABLE = "provider.unavailable"
    PROVIDER_ETAG_MISMATCH = "provider.etag_mismatch"
    PROVIDER_DUPLICATE_ID = "provider.duplicate_id"
    PROVIDER_ITEM_NOT_FOUND = "provider.item_not_found"
    PROVIDER_SYNC_TOKEN_EXPIRED = "provider.sync_token_expired"  # noqa: S105 - a code
    PROVIDER_BAD_REQUEST = "provider.bad_request"
    PROVIDER_FORBIDDEN = "provider.forbidden"
    # sync engine
    SYNC_BULK_DELETE_GUARD = "sync.bulk_delete_guard"
    SYNC_BAD_EVENT_SKIPPED = "sync.bad_event_skipped"
    SYNC_TENTATIVE_SKIPPED = "sync.tentative_skipped"
    SYNC_NOT_AN_APPOINTMENT = "sync.not_an_appointment"
    SYNC_CONFLICT_RECORDED = "sync.conflict_recorded"
    SYNC_FULL_RESYNC = "sync.full_resync"
    SYNC_PAUSED_FOR_QUOTA = "sync.paused_for_quota"
    SYNC_RETRY_LATER = "sync.retry_later"
    SYNC_ITEM_REFUSED = "sync.item_refused"
    SYNC_STUDIO_REFUSED = "sync.studio_refused"
    SYNC_ADOPTED_EVENT = "sync.adopted_event"
    SYNC_POPULATE_NEEDS_TWO_WAY = "sync.populate_needs_two_way"
    SYNC_CONTACT_SKIPPED = "sync.contact_skipped"
    SYNC_ROUND_SUMMARY = "sync.round_summary"
    SYNC_EVENT_QUARANTINED = "sync.event_quarantined"
    SYNC_SERIES_CAPPED = "sync.series_capped"
    DOCTOR_EVENTS_QUARANTINED = "doctor.events_quarantined"
    GOOGLE_APP_IN_TESTING = "google.app_in_testing"
    # Control Center: jobs, schedules, computers, the processor and its workers
    CONTROL_SCHEDULE_INVALID = "control.schedule_invalid"
    CONTROL_SCHEDULE_NEVER_FIRES = "control.schedule_never_fires"
    CONTROL_SCHEDULE_TOO_OFTEN = "control.schedule_too_often"
    CONTROL_UNKNOWN_COMPUTER = "control.unknown_computer"
    CONTROL_NO_COMPUTER = "control.no_computer"
    CONTROL_JOB_DISABLED = "control.job_disabled"
    CONTROL_SYNC_DISABLED = "control.sync_disabled"
    CONTROL_USER_BUSY = "control.user_busy"
    CONTROL_SYNCER_FAILED = "control.syncer_failed"
    CONTROL_SYNCER_NOT_CONFIGURED = "control.syncer_not_configured"
    CONTROL_USER_NOT_FINISHED = "control.user_not_finished"
    CONTROL_ROUND_ABANDONED = "control.round_abandoned"
    CONTROL_BROKER_UNREACHABLE = "control.broker_unreachable"
    CONTROL_SCALE_OUT_NEEDS_POSTGRES = "control.scale_out_needs_postgres"
    CONTROL_COMPUTER_OFFLINE = "control.computer_offline"
    CONTROL_NEVER_RAN = "control.never_ran"
    PUSH_NO_PUBLIC_ADDRESS = "push.no_public_address"
    PUSH_NOT_OPENED = "push.not_opened"
    PUSH_REFUSED = "push.refused"
    PUSH_EXPIRED = "push.expired"
    PUSH_SILENT = "push.silent"
    # CalDAV and CardDAV servers (iCloud, Fastmail, Nextcloud, Radicale, ...)
    DAV_UNREACHABLE = "dav.unreachable"
    DAV_AUTH_FAILED = "dav.auth_failed"
    DAV_NOT_A_SERVER = "dav.not_a_server"
    DAV_CALENDAR_GONE = "dav.calendar_gone"
    DAV_READ_ONLY = "dav.read_only"
    DAV_NO_SYNC_COLLECTION = "dav.no_sync_collection"
    DAV_NO_ADDRESSBOOK = "dav.no_addressbook"
    DAV_ACCOUNT_TAKEN = "dav.account_taken"
    DAV_BAD_ADDRESS = "dav.bad_address"
    DAV_NOT_LINKED = "dav.not_linked"
    DAV_CALENDAR_NOT_SELECTED = "dav.calendar_not_selected"
    CONNECTION_OTHER_KIND = "connection.other_kind"


class StudioSyncError(Exception):
    """Base of every studiosync error: a stable code plus the data needed to word it."""

    default_code: ClassVar[ErrorCode] = ErrorCode.INVALID_VALUE

    def __init__(self, code: ErrorCode | None = None, /, **params: Any) -> None:
        self.code: ErrorCode = code or self.default_code
        self.params: dict[str, Any] = params
        super().__init__(self.code.value, params)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in sorted(self.params.items()))
        return f"{self.code.value}({details})"


class InputError(StudioSyncError):
    """A value given by a person cannot be accepted; ``params['field']`` names it."""


class NotFoundError(InputError):
    """The named record does not exist; params: ``entity``, ``key``."""

    default_code = ErrorCode.NOT_FOUND


class DuplicateError(InputError):
    """The value already belongs to another record; params: ``entity``, ``field``, ``value``."""

    default_code = ErrorCode.DUPLICATE


class AccessError(StudioSyncError):
    """The person is not logged in, or may not see or change this; params name what."""

    default_code = ErrorCode.LOGIN_REQUIRED


class ConfigError(StudioSyncError):
    """Settings, the data directory, the secret key or the database are missing or wrong."""

    default_code = ErrorCode.SETTINGS_INVALID


class ProviderError(StudioSyncError):
    """A calendar or contacts provider refused a request or failed to answer."""


class AuthError(ProviderError):
    """No credentials, or the provider no longer accepts them."""


class AccessDeniedError(ProviderError):
    """The provider forbids this request for these credentials."""


class RemoteNotFoundError(ProviderError):
    """The remote calendar or item no longer exists."""


class RemoteDuplicateError(ProviderError):
    """An item with the chosen id already exists remotely."""


class PreconditionFailedError(ProviderError):
    """The remote item changed since we read it (etag mismatch)."""


class SyncTokenExpiredError(ProviderError):
    """The provider no longer knows our sync token; a full resync is needed."""


class RateLimitedError(ProviderError):
    """Too many requests right now; ``params['retry_after']`` seconds may be given."""


class QuotaExceededError(ProviderError):
    """The daily or project quota is used up; stop for hours."""


class TransientError(ProviderError):
    """A server error, dropped connection or timeout; retrying later may succeed."""


class BadRemoteDataError(ProviderError):
    """An item from the provider cannot be read; it is skipped and named in the log."""


class SyncError(StudioSyncError):
    """The sync engine stopped on purpose for one user (bulk-delete guard and the like)."""


class EmailError(StudioSyncError):
    """The SMTP server could not be reached or refused us."""
