"""The SMTP adapter: sends built emails with smtplib and turns every failure into an EmailError."""

from __future__ import annotations

import copy
import logging
import smtplib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from studiosync.errors import EmailError, ErrorCode, InputError
from studiosync.notify.config import SmtpConfig, SmtpSecurity
from studiosync.notify.smtp_errors import Stage, as_email_error, reply_text, server_params

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpCheck:
    """What a successful ``check_smtp`` found: the connection was secured and/or logged in."""

    host: str
    port: int
    security: SmtpSecurity
    encrypted: bool
    authenticated: bool


@dataclass(frozen=True)
class SentEmail:
    """An email the server accepted."""

    message_id: str
    recipients: tuple[str, ...]


def check_smtp(config: SmtpConfig, *, ssl_context: ssl.SSLContext | None = None) -> SmtpCheck:
    """Connect, EHLO, secure the connection and log in as configured, then leave: send nothing."""
    config.require_complete()
    with _session(config, ssl_context) as client:
        encrypted = isinstance(client.sock, ssl.SSLSocket)
    log.info("SMTP check passed: %s:%s (%s)", config.host, config.effective_port, config.security)
    return SmtpCheck(
        host=config.host or "",
        port=config.effective_port,
        security=config.security,
        encrypted=encrypted,
        authenticated=bool(config.username),
    )


def send(
    config: SmtpConfig, message: EmailMessage, *, ssl_context: ssl.SSLContext | None = None
) -> SentEmail:
    """Send one built email; From, Date and Message-ID are filled in when the message lacks them.

    ``ssl_context`` replaces the default verified context (tests trust their own certificate).
    """
    config.require_complete()
    outgoing = _complete(message, config)
    recipients = tuple(
        address.addr_spec
        for header in ("To", "Cc", "Bcc")
        for address in getattr(outgoing[header], "addresses", ())
    )
    if not recipients:
        raise InputError(ErrorCode.FIELD_REQUIRED, field="recipient")
    with _session(config, ssl_context) as client:
        try:
            refused = client.send_message(outgoing, from_addr=config.from_address)
        except (smtplib.SMTPException, OSError) as error:
            raise as_email_error(error, config, "send", recipients) from error
    if refused:
        raise EmailError(
            ErrorCode.SMTP_REJECTED,
            **server_params(config),
            sender=config.from_address,
            recipients=", ".join(sorted(refused)),
            reason=reply_text(*next(iter(refused.values())), config=config),
        )
    log.info("email %r sent to %d recipient(s)", outgoing["Subject"], len(recipients))
    return SentEmail(message_id=str(outgoing["Message-ID"]), recipients=recipients)


def _complete(message: EmailMessage, config: SmtpConfig) -> EmailMessage:
    outgoing = copy.deepcopy(message)
    if outgoing["From"] is None:
        outgoing["From"] = config.from_address
    if outgoing["Date"] is None:
        outgoing["Date"] = formatdate(localtime=True)
    if outgoing["Message-ID"] is None:
        domain = (config.from_address or "").rpartition("@")[2] or None
        outgoing["Message-ID"] = make_msgid(domain=domain)
    return outgoing


@contextmanager
def _session(config: SmtpConfig, ssl_context: ssl.SSLContext | None) -> Iterator[smtplib.SMTP]:
    """An open, secured and logged-in SMTP conversation, closed (QUIT) at the end."""
    context = ssl_context or ssl.create_default_context()
    client = _connect(config, context)
    try:
        stage: Stage = "starttls"
        try:
            if config.security is SmtpSecurity.STARTTLS:
                client.starttls(context=context)
                client.ehlo()
            stage = "login"
            if config.username:
                client.login(config.username, config.password or "")
        except (smtplib.SMTPException, OSError) as error:
            raise as_email_error(error, config, stage) from None
        yield client
    finally:
        _close(client)


def _connect(config: SmtpConfig, context: ssl.SSLContext) -> smtplib.SMTP:
    host, port = config.host or "", config.effective_port
    log.debug("connecting to SMTP %s:%s (%s)", host, port, config.security)
    local_name = socket.gethostname() or "localhost"
    client: smtplib.SMTP | None = None
    try:
        if config.security is SmtpSecurity.SSL:
            client = smtplib.SMTP_SSL(
                host, port, local_hostname=local_name, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(host, port, local_hostname=local_name, timeout=config.timeout)
        client.ehlo()
    except (smtplib.SMTPException, OSError) as error:
        if client is not None:
            _close(client)
        raise as_email_error(error, config, "connect") from error
    return client


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
