"""Failures the loopback server cannot easily stage still map to the right code, secrets hidden."""

from __future__ import annotations

import smtplib
import socket
import ssl

import pytest

from studiosync.errors import ErrorCode
from studiosync.notify.config import SmtpConfig, SmtpSecurity
from studiosync.notify.smtp_errors import as_email_error

PASSWORD = "s3cret-Passw0rd"
CONFIG = SmtpConfig(
    host="smtp.example.com",
    port=587,
    security=SmtpSecurity.STARTTLS,
    username="desk",
    password=PASSWORD,
    from_address="desk@studio.example",
)


def test_a_server_reply_that_echoes_the_password_is_scrubbed() -> None:
    echoed = smtplib.SMTPAuthenticationError(535, f"bad login desk:{PASSWORD}".encode())
    error = as_email_error(echoed, CONFIG, "login")
    assert error.code is ErrorCode.SMTP_AUTH
    assert PASSWORD not in str(error)
    assert error.params["reason"] == "535 bad login desk:[hidden]"


def test_a_timeout_hidden_inside_a_disconnect_is_still_a_timeout() -> None:
    try:
        try:
            raise TimeoutError("timed out")
        except OSError as inner:
            # smtplib itself re-raises a timeout this way, with the timeout only as context
            raise smtplib.SMTPServerDisconnected(f"Connection unexpectedly closed: {inner}")  # noqa: B904
    except smtplib.SMTPServerDisconnected as outer:
        error = as_email_error(outer, CONFIG, "connect")
    assert error.code is ErrorCode.SMTP_TIMEOUT
    assert error.params["timeout"] == CONFIG.timeout


@pytest.mark.parametrize(
    ("failure", "stage", "code"),
    [
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "send", "SMTP_FAILED"),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"), "send", "SMTP_REJECTED"),
        (smtplib.SMTPSenderRefused(553, b"5.7.1 Not your address", "x@y"), "send", "SMTP_REJECTED"),
        (
            smtplib.SMTPSenderRefused(530, b"5.7.0 Authentication required", "x@y"),
            "send",
            "SMTP_AUTH",
        ),
        (smtplib.SMTPResponseException(454, b"4.7.0 TLS not available"), "starttls", "SMTP_TLS"),
        (smtplib.SMTPException("No suitable authentication method found."), "login", "SMTP_AUTH"),
        (smtplib.SMTPConnectError(554, b"5.3.2 Service not available"), "connect", "SMTP_FAILED"),
        (
            ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"),
            "connect",
            "SMTP_TLS",
        ),
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "connect", "SMTP_DNS"),
        (ConnectionRefusedError(111, "Connection refused"), "connect", "SMTP_REFUSED"),
        (OSError(101, "Network is unreachable"), "connect", "SMTP_FAILED"),
    ],
)
def test_each_failure_kind_has_its_code(failure: Exception, stage: str, code: str) -> None:
    error = as_email_error(failure, CONFIG, stage)  # type: ignore[arg-type]
    assert error.code is ErrorCode[code]
    assert error.params["host"] == "smtp.example.com"
    assert error.params["port"] == 587
    assert error.params["security"] == "starttls"


def test_a_rejected_message_names_sender_recipients_and_the_reply() -> None:
    failure = smtplib.SMTPDataError(554, b"5.7.1 Message   rejected\r\n as spam")
    error = as_email_error(failure, CONFIG, "send", ("a@example.com", "b@example.com"))
    assert error.params["sender"] == "desk@studio.example"
    assert error.params["recipients"] == "a@example.com, b@example.com"
    assert error.params["reason"] == "554 5.7.1 Message rejected as spam"
