"""The troubleshooter's studio-wide checks: the Email tab and whether its server answers."""

from __future__ import annotations

import dataclasses

from studiosync.context import Studio
from studiosync.doctor.findings import Finding, failed, from_error, passed
from studiosync.errors import EmailError, ErrorCode
from studiosync.notify.config import SmtpConfig
from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import check_smtp, send
from studiosync.studio.company import email_settings, get_company

EMAIL_SCREEN = "/preferences/company/email"


def smtp_config(studio: Studio) -> SmtpConfig:
    """The company's Email tab as the mail code takes it (the password decrypted)."""
    with studio.transaction() as session:
        return SmtpConfig(**dataclasses.asdict(email_settings(session, studio.box)))


def check_email_settings(studio: Studio, *, live: bool, send_test_to: str | None) -> Finding:
    """Emailing is set up (Company Preferences > Email) and the server answers."""
    title = "Emailing is set up and the mail server answers"
    config = smtp_config(studio)
    missing = [
        name
        for name, value in (("SMTP server", config.host), ("from address", config.from_address))
        if not value
    ]
    if missing:
        return failed(
            "email", title, ErrorCode.EMAIL_NOT_CONFIGURED, EMAIL_SCREEN, fields=", ".join(missing)
        )
    if not live:
        return passed("email", title, f"{config.host} (not tested)", EMAIL_SCREEN)
    try:
        if send_test_to:
            with studio.transaction() as session:
                name = get_company(session).name
            send(config, settings_test_email(to=send_test_to, studio=name, config=config))
            note = f"{config.host} accepted a test email to {send_test_to}"
        else:
            checked = check_smtp(config)
            note = (
                f"{checked.host}:{checked.port} answered"
                + (", encrypted" if checked.encrypted else "")
                + (", login accepted" if checked.authenticated else "")
                + " (nothing sent)"
            )
    except EmailError as error:
        return from_error("email", title, error, EMAIL_SCREEN)
    return passed("email", title, note, EMAIL_SCREEN)
