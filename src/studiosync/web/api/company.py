"""API: company preferences (administrators): name, time zone, the Email tab, a test email."""

from __future__ import annotations

from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import send
from studiosync.studio import company as service
from studiosync.web.api.common import api_router, given, sent
from studiosync.web.api.schemas import (
    CompanyOut,
    CompanyPatch,
    EmailSettingsOut,
    EmailSettingsPatch,
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
