"""The studio's own record: name, time zone, the Email and Google tabs of Company Preferences."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.crypto import SecretBox
from studiosync.errors import ConfigError, ErrorCode, InputError
from studiosync.studio import validation as check
from studiosync.studio.models import Company, SmtpSecurity


@dataclass(frozen=True)
class EmailSettings:
    """The Email tab as the mail code needs it; the password is decrypted and never shown."""

    host: str | None
    port: int | None
    security: SmtpSecurity
    username: str | None
    password: str | None
    from_address: str | None

    def __repr__(self) -> str:
        return (
            f"EmailSettings(host={self.host!r}, port={self.port!r}, security={self.security!r}, "
            f"username={self.username!r}, password={'<set>' if self.password else None}, "
            f"from_address={self.from_address!r})"
        )


def get_company(session: Session) -> Company:
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        raise ConfigError(ErrorCode.NOT_INITIALISED, database="this database")
    return company


def ensure_company(session: Session, *, name: str, time_zone: str = "UTC") -> Company:
    """The studio's record, made on first use."""
    company = session.scalar(select(Company).order_by(Company.id).limit(1))
    if company is None:
        company = Company(
            name=check.required_text("studio name", name),
            time_zone=check.time_zone("time zone", time_zone),
            smtp_security=SmtpSecurity.STARTTLS,
        )
        session.add(company)
        session.flush()
    return company


def update_company(
    session: Session, *, name: str | None = None, time_zone: str | None = None
) -> Company:
    company = get_company(session)
    if name is not None:
        company.name = check.required_text("studio name", name)
    if time_zone is not None:
        company.time_zone = check.time_zone("time zone", time_zone)
    session.flush()
    return company


def set_email_settings(
    session: Session,
    box: SecretBox,
    *,
    host: str | check.Unchanged | None = check.UNCHANGED,
    port: int | check.Unchanged | None = check.UNCHANGED,
    security: SmtpSecurity | None = None,
    username: str | check.Unchanged | None = check.UNCHANGED,
    password: str | check.Unchanged | None = check.UNCHANGED,
    from_address: str | check.Unchanged | None = check.UNCHANGED,
) -> Company:
    """Change the Email tab; the password is stored encrypted, an empty one clears it."""
    company = get_company(session)
    if host is not check.UNCHANGED:
        company.smtp_host = check.optional_text(host if isinstance(host, str) else None)
    if port is not check.UNCHANGED:
        if port is not None and (not isinstance(port, int) or not 0 < port < 65536):
            raise InputError(
                ErrorCode.INVALID_VALUE,
                field="SMTP port",
                value=port,
                reason="a port is a number from 1 to 65535 (usually 587, 465 or 25)",
            )
        company.smtp_port = port if isinstance(port, int) else None
    if security is not None:
        company.smtp_security = security
    if username is not check.UNCHANGED:
        company.smtp_username = check.optional_text(username if isinstance(username, str) else None)
    if password is not check.UNCHANGED:
        secret = password if isinstance(password, str) and password else None
        company.smtp_password_encrypted = box.encrypt(secret) if secret else None
    if from_address is not check.UNCHANGED:
        company.email_from = check.optional_email(
            "from address", from_address if isinstance(from_address, str) else None
        )
    session.flush()
    return company


def email_settings(session: Session, box: SecretBox) -> EmailSettings:
    company = get_company(session)
    encrypted = company.smtp_password_encrypted
    return EmailSettings(
        host=company.smtp_host,
        port=company.smtp_port,
        security=company.smtp_security,
        username=company.smtp_username,
        password=box.decrypt(encrypted) if encrypted else None,
        from_address=company.email_from,
    )
