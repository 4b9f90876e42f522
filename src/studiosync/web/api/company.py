"""API: company preferences (administrators): name, time zone, the Email and Google tabs."""

from __future__ import annotations

from pydantic import BaseModel
from pydantic import Field as PydanticField

from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import send
from studiosync.studio import company as service
from studiosync.studio.models import Company
from studiosync.sync.fields import Field, Owner
from studiosync.syncstate import field_settings
from studiosync.web.api.common import api_router, given, sent
from studiosync.web.api.schemas import (
    CompanyOut,
    CompanyPatch,
    EmailSettingsOut,
    EmailSettingsPatch,
    Strict,
    TestEmailOut,
    TestEmailRequest,
)
from studiosync.web.deps import ApiAdmin, Db, StudioDep
from studiosync.web.pages.company_prefs import smtp_config

router = api_router("/company", "company preferences", admin=True)


@router.get("")
def get_company(db: Db, me: ApiAdmin) -> CompanyOut:
    company = service.get_company(db)
    return CompanyOut(name=company.name, time_zone=company.time_zone)


@router.patch("")
def change_company(db: Db, me: ApiAdmin, body: CompanyPatch) -> CompanyOut:
    company = service.update_company(db, name=sent(body, "name"), time_zone=sent(body, "time_zone"))
    return CompanyOut(name=company.name, time_zone=company.time_zone)


def _email_out(db: Db) -> EmailSettingsOut:
    company = service.get_company(db)
    return EmailSettingsOut(
        host=company.smtp_host,
        port=company.smtp_port,
        security=company.smtp_security,
        username=company.smtp_username,
        password_set=company.smtp_password_encrypted is not None,
        from_address=company.email_from,
    )


@router.get("/email")
def get_email_settings(db: Db, me: ApiAdmin) -> EmailSettingsOut:
    """The Email tab; the password is never returned, only whether one is set."""
    return _email_out(db)


@router.patch("/email")
def change_email_settings(
    db: Db, studio: StudioDep, me: ApiAdmin, body: EmailSettingsPatch
) -> EmailSettingsOut:
    password = given(body, "password")
    service.set_email_settings(
        db,
        studio.box,
        host=given(body, "host"),
        port=given(body, "port"),
        security=sent(body, "security"),
        username=given(body, "username"),
        password="" if password is None else password,
        from_address=given(body, "from_address"),
    )
    return _email_out(db)


@router.post("/email/test")
def send_test_email(
    db: Db, studio: StudioDep, me: ApiAdmin, body: TestEmailRequest
) -> TestEmailOut:
    """Send the test email with the saved settings; a refusal is worded in the error."""
    config = smtp_config(studio, db)
    company = service.get_company(db)
    send(config, settings_test_email(to=body.to.strip(), studio=company.name, config=config))
    return TestEmailOut(sent_to=body.to.strip())


class GoogleFieldsOut(BaseModel):
    """Company Preferences > Google: the summary template and who may change each field."""

    summary_template: str
    owners: dict[str, Owner] = PydanticField(
        description="For title, time, location, notes and status: google, studio or newest."
    )


class GoogleFieldsPatch(Strict):
    """Only what is given changes; owners may name some fields only."""

    summary_template: str | None = None
    owners: dict[str, str] | None = None


def _google_out(company: Company) -> GoogleFieldsOut:
    rules = field_settings.field_rules(company)
    return GoogleFieldsOut(
        summary_template=company.summary_template,
        owners={field.value: rules.of(field) for field in Field},
    )


@router.get("/google")
def get_google_fields(db: Db, me: ApiAdmin) -> GoogleFieldsOut:
    return _google_out(service.get_company(db))


@router.patch("/google")
def change_google_fields(db: Db, me: ApiAdmin, body: GoogleFieldsPatch) -> GoogleFieldsOut:
    company = field_settings.set_google_fields(
        db, summary_template=body.summary_template, owners=body.owners
    )
    return _google_out(company)
