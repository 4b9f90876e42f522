"""The JSON API's request and response shapes (Pydantic); secrets are accepted, never returned."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from studiosync.studio.models import (
    AppointmentStatus,
    AssignmentRole,
    Origin,
    ResourceKind,
    Role,
    SmtpSecurity,
)
from studiosync.studio.validation import FIRST_YEAR, LAST_YEAR
from studiosync.web.forms import MAX_ID


def _storable(value: str) -> str:
    """Text every database can keep: no NUL characters, valid Unicode."""
    if "\x00" in value:
        raise ValueError("it contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("it is not valid Unicode text") from exc
    return value


def in_years(value: Any) -> Any:
    if isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    return value


Title = Annotated[str, Field(max_length=300), AfterValidator(_storable)]
TypeName = Annotated[str, Field(max_length=100), AfterValidator(_storable)]
Short = Annotated[str, Field(max_length=200), AfterValidator(_storable)]
Long = Annotated[str, Field(max_length=5000), AfterValidator(_storable)]
Login = Annotated[str, Field(max_length=64), AfterValidator(_storable)]
Secret = Annotated[str, Field(max_length=1024), AfterValidator(_storable)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, AfterValidator(in_years)]
Moment = Annotated[dt.datetime, AfterValidator(in_years)]
Port = Annotated[int, Field(ge=1, le=65535)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    title: str
    message: str
    fix: str
    field: str | None


class ErrorBody(BaseModel):
    """Every refused call answers this: the catalogue's words for what went wrong."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": words}
    for status, words in (
        (401, "Not logged in: no token, or the token was refused."),
        (403, "The token's user may not do this."),
        (404, "No such record."),
        (409, "The value belongs to another record, or the record changed meanwhile."),
        (422, "A value cannot be accepted."),
    )
}


class TokenRequest(Strict):
    login: Login
    password: Secret


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2.0 token type name
    expires_in: int


class UserOut(BaseModel):
    id: int
    login: str
    display_name: str
    email: str | None
    role: Role
    active: bool


class UserCreate(Strict):
    login: Login
    display_name: Short | None = None
    email: Short | None = None
    role: Role = Role.STAFF
    password: Secret | None = None
    active: bool = True


class UserPatch(Strict):
    login: Login | None = None
    display_name: Short | None = None
    email: Short | None = None
    role: Role | None = None
    password: Secret | None = None
    active: bool | None = None


class ResourceOut(BaseModel):
    id: int
    name: str
    kind: ResourceKind


class ResourceCreate(Strict):
    name: Short
    kind: ResourceKind


class ResourcePatch(Strict):
    name: Short | None = None
    kind: ResourceKind | None = None


class ClientOut(BaseModel):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    address: str | None
    notes: str | None
    groups: list[int]


class ClientCreate(Strict):
    name: Short
    emails: list[Short] = Field(default_factory=list, max_length=50)
    phones: list[Short] = Field(default_factory=list, max_length=50)
    address: Long | None = None
    notes: Long | None = None
    groups: list[Id] = Field(default_factory=list, max_length=200)


class ClientPatch(Strict):
    name: Short | None = None
    emails: list[Short] | None = Field(default=None, max_length=50)
    phones: list[Short] | None = Field(default=None, max_length=50)
    address: Long | None = None
    notes: Long | None = None
    groups: list[Id] | None = Field(default=None, max_length=200)


class GroupOut(BaseModel):
    id: int
    name: str
    clients: int


class GroupIn(Strict):
    name: Short


class AssignmentIn(Strict):
    user_id: Id
    role: AssignmentRole = AssignmentRole.OTHER


class AssignmentOut(BaseModel):
    user_id: int
    login: str
    role: AssignmentRole


class AppointmentOut(BaseModel):
    id: int
    title: str
    type: str
    client_id: int | None
    all_day: bool
    start: dt.datetime
    end: dt.datetime
    start_date: dt.date | None = Field(description="All-day only: the first day.")
    end_date: dt.date | None = Field(description="All-day only: the day after the last day.")
    time_zone: str
    status: AppointmentStatus
    location: str | None
    notes: str | None
    origin: Origin = Field(description="Where it was made: in the studio or in Google.")
    users: list[AssignmentOut]
    resources: list[int]
    version: int


class AppointmentCreate(Strict):
    """A timed appointment gives start and end; an all-day one start_date and end_date."""

    title: Title
    type: TypeName = "Session"
    client_id: Id | None = None
    all_day: bool = False
    start: Moment | None = Field(default=None, description="Without an offset: studio time.")
    end: Moment | None = None
    start_date: Day | None = None
    end_date: Day | None = Field(default=None, description="The day after the last day.")
    time_zone: Short | None = None
    status: AppointmentStatus = AppointmentStatus.CONFIRMED
    location: Short | None = None
    notes: Long | None = None
    users: list[AssignmentIn] = Field(default_factory=list, max_length=100)
    resources: list[Id] = Field(default_factory=list, max_length=100)


class AppointmentPatch(Strict):
    """Only the fields given change; ``version`` (from a read) refuses a stale edit."""

    title: Title | None = None
    type: TypeName | None = None
    client_id: Id | None = None
    all_day: bool | None = None
    start: Moment | None = None
    end: Moment | None = None
    start_date: Day | None = None
    end_date: Day | None = None
    status: AppointmentStatus | None = None
    location: Short | None = None
    notes: Long | None = None
    users: list[AssignmentIn] | None = Field(default=None, max_length=100)
    resources: list[Id] | None = Field(default=None, max_length=100)
    version: int | None = None


DetailedLogsChoice = Literal["daily", "each-round", "off"]  # studio.google_options.DetailedLogs


class GoogleOptionsOut(BaseModel):
    user_id: int
    login: str
    enabled: bool
    google_account: str | None = Field(description="The linked Google account, if any.")
    calendar_id: str | None
    populate_google: bool
    populate_studio: bool
    populate_since: dt.date | None
    two_way: bool
    download_tentative: bool
    import_contacts: bool
    contacts_group_id: int | None
    email_warnings: bool
    warnings_email: str | None
    email_detailed_logs: bool
    detailed_logs: DetailedLogsChoice = Field(
        description="How often the detailed sync log is emailed: daily (one digest a day), "
        "each-round (after each round that changed something) or off."
    )


class GoogleOptionsPatch(Strict):
    enabled: bool | None = None
    populate_google: bool | None = None
    populate_studio: bool | None = None
    populate_since: Day | None = None
    two_way: bool | None = None
    download_tentative: bool | None = None
    import_contacts: bool | None = None
    contacts_group_id: Id | None = None
    email_warnings: bool | None = None
    warnings_email: Short | None = None
    email_detailed_logs: bool | None = None
    detailed_logs: DetailedLogsChoice | None = None


class CompanyOut(BaseModel):
    name: str
    time_zone: str


class CompanyPatch(Strict):
    name: Short | None = None
    time_zone: Short | None = None


class EmailSettingsOut(BaseModel):
    host: str | None
    port: int | None
    security: SmtpSecurity
    username: str | None
    password_set: bool = Field(description="The password itself is never returned.")
    from_address: str | None


class EmailSettingsPatch(Strict):
    """Only the fields given change; a null or empty password clears it."""

    host: Short | None = None
    port: Port | None = None
    security: SmtpSecurity | None = None
    username: Short | None = None
    password: Secret | None = None
    from_address: Short | None = None


class TestEmailRequest(Strict):
    to: Short


class TestEmailOut(BaseModel):
    sent_to: str
    accepted: bool = True
