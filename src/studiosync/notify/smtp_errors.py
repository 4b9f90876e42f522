"""How smtplib, socket and ssl failures map to EmailError codes, with secrets kept out."""

from __future__ import annotations

import smtplib
import socket
import ssl
from typing import Literal

from studiosync.errors import EmailError, ErrorCode
from studiosync.notify.config import SmtpConfig
from studiosync.notify.scrub import scrub_secrets

Stage = Literal["connect", "starttls", "login", "send"]
AUTH_REQUIRED = 530  # RFC 4954: the server wants a login before MAIL


def server_params(config: SmtpConfig) -> dict[str, object]:
    return {
        "host": config.host,
        "port": config.effective_port,
        "security": config.security.value,
    }


def as_email_error(
    error: BaseException, config: SmtpConfig, stage: Stage, recipients: tuple[str, ...] = ()
) -> EmailError:
    """Map one smtplib / socket / ssl failure to the EmailError of its kind."""
    where = server_params(config)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = error.recipients
        first = next(iter(replies.values()), (0, b""))
        return EmailError(
            ErrorCode.SMTP_REJECTED,
            **where,
            sender=config.from_address,
            recipients=", ".join(sorted(replies)),
            reason=reply_text(*first, config=config),
        )
    if isinstance(error, smtplib.SMTPSenderRefused) and error.smtp_code == AUTH_REQUIRED:
        return _auth_error(error, config)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return EmailError(
            ErrorCode.SMTP_REJECTED,
            **where,
            sender=config.from_address,
            recipients=", ".join(recipients),
            reason=reply_text(error.smtp_code, error.smtp_error, config=config),
        )
    if _timed_out(error):
        return EmailError(ErrorCode.SMTP_TIMEOUT, **where, timeout=config.timeout, stage=stage)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return EmailError(ErrorCode.SMTP_FAILED, **where, stage=stage, reason=_text(error, config))
    if stage == "login" and isinstance(error, smtplib.SMTPException):
        return _auth_error(error, config)
    if stage == "starttls" and isinstance(error, smtplib.SMTPException):
        return EmailError(ErrorCode.SMTP_TLS, **where, reason=_text(error, config))
    if isinstance(error, ssl.SSLError):
        return EmailError(ErrorCode.SMTP_TLS, **where, reason=_tls_reason(error, config))
    if isinstance(error, socket.gaierror):
        return EmailError(ErrorCode.SMTP_DNS, **where, reason=_clean(str(error.strerror), config))
    if isinstance(error, ConnectionRefusedError):
        return EmailError(ErrorCode.SMTP_REFUSED, **where)
    return EmailError(ErrorCode.SMTP_FAILED, **where, stage=stage, reason=_text(error, config))


def _auth_error(error: BaseException, config: SmtpConfig) -> EmailError:
    return EmailError(
        ErrorCode.SMTP_AUTH,
        **server_params(config),
        username=config.username or "",
        reason=_text(error, config),
    )


def _tls_reason(error: ssl.SSLError, config: SmtpConfig) -> str:
    """The certificate check's verdict when there is one, else the TLS library's reason."""
    for reason in (getattr(error, "verify_message", None), getattr(error, "reason", None)):
        if reason:
            return _clean(str(reason), config)
    return _text(error, config)


def _timed_out(error: BaseException) -> bool:
    """True for a timeout, also when smtplib re-raised it as "connection unexpectedly closed"."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _text(error: BaseException, config: SmtpConfig) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return reply_text(error.smtp_code, error.smtp_error, config=config)
    if isinstance(error, OSError) and error.strerror:
        return _clean(error.strerror, config)
    return _clean(str(error) or type(error).__name__, config)


def reply_text(code: int, reply: bytes | str, *, config: SmtpConfig) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return _clean(f"{code} {' '.join(text.split())}".strip(), config)


def _clean(text: str, config: SmtpConfig) -> str:
    return scrub_secrets(text, also=(config.password,))
