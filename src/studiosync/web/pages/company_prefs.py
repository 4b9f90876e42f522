"""Pages: Company (Studio) Preferences (administrators): General and Email tabs, test email."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.errors import ErrorCode, InputError, StudioSyncError
from studiosync.notify.config import SmtpConfig
from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import send
from studiosync.studio import company as service
from studiosync.studio.models import Company, SmtpSecurity
from studiosync.studio.validation import UNCHANGED, Unchanged
from studiosync.web.deps import AdminUser, Db, StudioDep, page_admin
from studiosync.web.forms import checked, optional_number
from studiosync.web.pages.common import form_again
from studiosync.web.problems import FormProblems, status_for
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/company",
    tags=["pages: company preferences"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
GENERAL_FIELDS = frozenset({"studio_name", "time_zone"})
EMAIL_FIELDS = frozenset(
    {"smtp_host", "smtp_port", "security", "smtp_username", "smtp_password", "from_address"}
)
TEST_FIELDS = frozenset({"recipient"})
SECURITY_LABELS = {
    SmtpSecurity.STARTTLS: "STARTTLS (usually port 587)",
    SmtpSecurity.SSL: "SSL/TLS (usually port 465)",
    SmtpSecurity.NONE: "None (plain text, usually port 25)",
}
WEB_SMTP_TIMEOUT_SECONDS = 20.0


class GeneralForm(BaseModel):
    studio_name: str = ""
    time_zone: str = ""


class EmailForm(BaseModel):
    """The Email tab as typed; an empty password keeps the stored one, 'clear' removes it."""

    smtp_host: str = ""
    smtp_port: str = ""
    security: str = SmtpSecurity.STARTTLS.value
    smtp_username: str = ""
    smtp_password: str = ""
    clear_password: str = ""
    from_address: str = ""

    @classmethod
    def of(cls, company: Company) -> EmailForm:
        return cls(
            smtp_host=company.smtp_host or "",
            smtp_port=str(company.smtp_port or ""),
            security=company.smtp_security.value,
            smtp_username=company.smtp_username or "",
            from_address=company.email_from or "",
        )

    def password_change(self) -> str | Unchanged:
        if self.smtp_password:
            return self.smtp_password
        return "" if checked(self.clear_password) else UNCHANGED


def security_of(text: str) -> SmtpSecurity:
    try:
        return SmtpSecurity(text)
    except ValueError as exc:
        raise InputError(
            ErrorCode.INVALID_VALUE,
            field="security",
            value=text,
            reason="choose one of " + ", ".join(choice.value for choice in SmtpSecurity),
        ) from exc


def smtp_config(studio: Studio, db: Session) -> SmtpConfig:
    """The saved Email tab as the mail sender takes it."""
    saved = dataclasses.asdict(service.email_settings(db, studio.box))
    return SmtpConfig(**saved, timeout=WEB_SMTP_TIMEOUT_SECONDS)


@router.get("")
def general_tab(request: Request, db: Db, me: AdminUser) -> Response:
    company = service.get_company(db)
    form = GeneralForm(studio_name=company.name, time_zone=company.time_zone)
    return render(
        request,
        "preferences/company.html",
        area="company",
        tab="general",
        form=form,
        problems=FormProblems.none(),
    )


@router.post("")
def save_general_tab(
    request: Request, db: Db, me: AdminUser, form: Annotated[GeneralForm, Form()]
) -> Response:
    try:
        service.update_company(db, name=form.studio_name, time_zone=form.time_zone)
    except StudioSyncError as error:
        db.rollback()
        return form_again(
            request,
            "preferences/company.html",
            error,
            GENERAL_FIELDS,
            area="company",
            tab="general",
            form=form,
        )
    notice(request, "Company preferences saved.")
    return redirect("/preferences/company")


def _email_page(
    request: Request,
    db: Session,
    form: EmailForm,
    *,
    error: StudioSyncError | None = None,
    test_error: StudioSyncError | None = None,
    recipient: str = "",
    sent_to: str | None = None,
) -> Response:
    """The Email tab; a settings error shows on the settings, a sending error on the test form."""
    company = service.get_company(db)
    failed = error or test_error
    return render(
        request,
        "preferences/company_email.html",
        status_code=status_for(failed) if failed else 200,
        area="company",
        tab="email",
        form=form,
        password_set=company.smtp_password_encrypted is not None,
        securities=SECURITY_LABELS,
        recipient=recipient,
        sent_to=sent_to,
        saved=EmailForm.of(company),
        problems=FormProblems.of(error, EMAIL_FIELDS) if error else FormProblems.none(),
        test_problems=FormProblems.of(test_error, TEST_FIELDS)
        if test_error
        else FormProblems.none(),
    )


@router.get("/email")
def email_tab(request: Request, db: Db, me: AdminUser) -> Response:
    return _email_page(request, db, EmailForm.of(service.get_company(db)), recipient=me.email or "")


@router.post("/email")
def save_email_tab(
    request: Request,
    db: Db,
    studio: StudioDep,
    me: AdminUser,
    form: Annotated[EmailForm, Form()],
) -> Response:
    try:
        service.set_email_settings(
            db,
            studio.box,
            host=form.smtp_host,
            port=optional_number("SMTP port", form.smtp_port, 1, 65535),
            security=security_of(form.security),
            username=form.smtp_username,
            password=form.password_change(),
            from_address=form.from_address,
        )
    except StudioSyncError as error:
        db.rollback()
        return _email_page(request, db, form.model_copy(update={"smtp_password": ""}), error=error)
    notice(request, "Email settings saved.")
    return redirect("/preferences/company/email")


@router.post("/email/test")
def send_test_email(
    request: Request,
    db: Db,
    studio: StudioDep,
    me: AdminUser,
    recipient: Annotated[str, Form()] = "",
) -> Response:
    """Send the test email with the saved settings and show what the mail server answered."""
    company = service.get_company(db)
    saved = EmailForm.of(company)
    try:
        if not recipient.strip():
            raise InputError(ErrorCode.FIELD_REQUIRED, field="recipient")
        config = smtp_config(studio, db)
        send(config, settings_test_email(to=recipient.strip(), studio=company.name, config=config))
    except StudioSyncError as error:
        return _email_page(request, db, saved, test_error=error, recipient=recipient)
    return _email_page(request, db, saved, recipient=recipient, sent_to=recipient.strip())
