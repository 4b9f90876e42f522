"""Real delivery to aiosmtpd on loopback: plain, STARTTLS and implicit TLS, with AUTH."""

from __future__ import annotations

import logging
import ssl
from datetime import UTC, datetime

import pytest

from studiosync.doctor.catalogue import explain
from studiosync.errors import EmailError, ErrorCode
from studiosync.notify.config import SmtpSecurity
from studiosync.notify.inputs import Problem, RoundSummary
from studiosync.notify.messages import problems_email, settings_test_email
from studiosync.notify.smtp import check_smtp, send
from studiosync.notify.testing import SelfSignedCertificate, TlsMode, running_smtp_server

SUMMARY = RoundSummary(started_at=datetime(2024, 5, 1, 8, 0, tzinfo=UTC), computer="FRONT-DESK")
PROBLEM = Problem(
    ErrorCode.END_BEFORE_START, {"start": "10:00", "end": "09:00"}, item="Smith wedding", count=2
)


def context_for(tls: TlsMode, certificate: SelfSignedCertificate) -> ssl.SSLContext | None:
    return certificate.client_context() if tls != "none" else None


@pytest.mark.parametrize("tls", ["none", "starttls", "ssl"])
def test_an_email_is_delivered_with_login_in_every_security_mode(
    tls: TlsMode, certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    # Over plain text aiosmtpd offers AUTH only when told it may.
    with running_smtp_server(
        tls=tls, auth=login, auth_require_tls=tls != "none", certificate=certificate
    ) as server:
        config = server.smtp_config()
        message = problems_email(
            to="maya@example.com", user="Maya", summary=SUMMARY, problems=[PROBLEM]
        )
        sent = send(config, message, ssl_context=context_for(tls, certificate))

        [received] = server.messages
    assert received.recipients == ("maya@example.com",)
    assert received.mail_from == "studio@studiosync.test"
    assert received.login == login[0]
    assert received.encrypted is (tls != "none")
    assert received.subject == "studiosync: 1 problem with your Google Sync"
    assert received.message["From"] == "studio@studiosync.test"
    assert received.message["To"] == "maya@example.com"
    assert received.message["Message-ID"] == sent.message_id
    assert received.message["Date"] is not None
    assert "Concerns: Smith wedding" in received.text()
    assert "happened 2 times in this round" in received.text()
    assert "Smith wedding" in received.html()
    assert sent.recipients == ("maya@example.com",)
    assert message["From"] is None  # the caller's message is left as built


def test_plain_delivery_without_login(certificate: SelfSignedCertificate) -> None:
    with running_smtp_server() as server:
        config = server.smtp_config()
        assert config.username is None
        send(config, settings_test_email(to="owner@studio.example", studio="Bright", config=config))
        [received] = server.messages
    assert received.login is None
    assert received.subject == "studiosync: test email"
    assert f"{server.host}:{server.port}" in received.text()


def test_aiosmtpd_offers_no_login_over_plain_text_by_default(login: tuple[str, str]) -> None:
    with running_smtp_server(tls="none", auth=login) as server:
        config = server.smtp_config()
        with pytest.raises(EmailError) as caught:
            send(config, settings_test_email(to="a@example.com", studio="S", config=config))
        assert server.messages == []
    assert caught.value.code is ErrorCode.SMTP_AUTH
    assert "AUTH" in caught.value.params["reason"]
    assert "starttls or ssl" in explain(caught.value).fix.lower()


def test_starttls_lets_the_login_through_when_plain_text_would_not(
    certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    with running_smtp_server(
        tls="starttls", auth=login, auth_require_tls=True, certificate=certificate
    ) as server:
        result = check_smtp(server.smtp_config(), ssl_context=certificate.client_context())
        assert server.logins == [login[0]]
    assert result.encrypted
    assert result.authenticated


@pytest.mark.parametrize("tls", ["none", "starttls", "ssl"])
def test_check_smtp_logs_in_but_sends_nothing(
    tls: TlsMode, certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    with running_smtp_server(
        tls=tls, auth=login, auth_require_tls=False, certificate=certificate
    ) as server:
        result = check_smtp(server.smtp_config(), ssl_context=context_for(tls, certificate))
        assert server.logins == [login[0]]
        assert server.messages == []
    assert result.host == server.host
    assert result.port == server.port
    assert result.security is SmtpSecurity(tls)
    assert result.encrypted is (tls != "none")
    assert result.authenticated


def test_the_password_never_reaches_the_logs(
    caplog: pytest.LogCaptureFixture, certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="studiosync")  # whatever level an earlier CLI run left
    with running_smtp_server(tls="starttls", auth=login, certificate=certificate) as server:
        config = server.smtp_config()
        context = certificate.client_context()
        check_smtp(config, ssl_context=context)
        send(
            config,
            settings_test_email(to="a@example.com", studio="S", config=config),
            ssl_context=context,
        )
        with pytest.raises(EmailError):
            check_smtp(server.smtp_config(password="wrong-" + login[1]), ssl_context=context)
        [received] = server.messages
    assert "studiosync.notify" in caplog.text
    assert login[1] not in caplog.text
    assert login[1] not in received.message.as_string()
