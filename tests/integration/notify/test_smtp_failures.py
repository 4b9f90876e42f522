"""Every way sending can fail ends as an EmailError with the ErrorCode of its kind."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

import pytest

from studiosync.doctor.catalogue import explain
from studiosync.errors import EmailError, ErrorCode
from studiosync.notify.config import SmtpConfig, SmtpSecurity
from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import check_smtp, send
from studiosync.notify.testing import (
    SelfSignedCertificate,
    TlsMode,
    make_self_signed_certificate,
    running_smtp_server,
    silent_server,
    unused_port,
)

SCREEN = "Maintenance > Preferences > Company (Studio) Preferences > Email tab"


def failure(action: Callable[[], object]) -> EmailError:
    """Run ``action``, expect an EmailError, and check it is fully worded for a person."""
    with pytest.raises(EmailError) as caught:
        action()
    error = caught.value
    worded = explain(error)
    for text in (worded.title, worded.cause, worded.fix):
        assert "{" not in text, (error, text)  # every placeholder was filled from the data
    assert SCREEN in worded.fix or "studiosync company" in worded.fix
    assert "test email" in worded.fix
    return error


def mail_for(config: SmtpConfig, to: str = "maya@example.com") -> Callable[[], object]:
    return lambda: send(config, settings_test_email(to=to, studio="Bright", config=config))


def test_a_wrong_password_is_smtp_auth_and_never_shown(
    certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    wrong = "n0t-the-" + login[1]
    with running_smtp_server(tls="starttls", auth=login, certificate=certificate) as server:
        config = server.smtp_config(password=wrong)
        context = certificate.client_context()
        error = failure(
            lambda: send(
                config,
                settings_test_email(to="maya@example.com", studio="Bright", config=config),
                ssl_context=context,
            )
        )
        assert server.messages == []
        assert server.logins == []
    assert error.code is ErrorCode.SMTP_AUTH
    assert error.params["username"] == login[0]
    assert error.params["reason"].startswith("535")
    shown = str(error) + repr(error) + "".join(traceback.format_exception(error))
    shown += explain(error).message
    assert wrong not in shown
    assert login[1] not in shown


def test_a_server_wanting_a_login_when_none_is_set_is_smtp_auth(login: tuple[str, str]) -> None:
    with running_smtp_server(auth=login, auth_require_tls=False) as server:
        error = failure(mail_for(server.smtp_config(username=None, password=None)))
        assert server.messages == []
    assert error.code is ErrorCode.SMTP_AUTH
    assert error.params["reason"].startswith("530")


def test_a_port_with_nothing_listening_is_smtp_refused() -> None:
    config = SmtpConfig(
        host="127.0.0.1",
        port=unused_port(),
        security=SmtpSecurity.NONE,
        from_address="a@studio.example",
    )
    error = failure(lambda: check_smtp(config))
    assert error.code is ErrorCode.SMTP_REFUSED
    assert error.params["port"] == config.port


def test_an_unknown_host_is_smtp_dns() -> None:
    config = SmtpConfig(
        host="smtp.no-such-studio.invalid",
        security=SmtpSecurity.STARTTLS,
        from_address="a@studio.example",
    )
    error = failure(lambda: check_smtp(config))
    assert error.code is ErrorCode.SMTP_DNS
    assert '"smtp.no-such-studio.invalid"' in explain(error).cause


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_an_untrusted_certificate_under_the_default_context_is_smtp_tls(
    tls: TlsMode, certificate: SelfSignedCertificate, login: tuple[str, str]
) -> None:
    with running_smtp_server(tls=tls, auth=login, certificate=certificate) as server:
        error = failure(lambda: check_smtp(server.smtp_config()))  # production default context
        assert server.logins == []
    assert error.code is ErrorCode.SMTP_TLS
    assert "certificate" in error.params["reason"]


def test_a_certificate_for_another_name_is_smtp_tls() -> None:
    elsewhere = make_self_signed_certificate(names=("mail.elsewhere.test",), addresses=())
    with running_smtp_server(tls="ssl", certificate=elsewhere) as server:
        error = failure(
            lambda: check_smtp(server.smtp_config(), ssl_context=elsewhere.client_context())
        )
    assert error.code is ErrorCode.SMTP_TLS
    assert "127.0.0.1" in error.params["reason"]


def test_starttls_required_but_not_offered_is_smtp_tls() -> None:
    with running_smtp_server(tls="none") as server:
        error = failure(mail_for(server.smtp_config(security="starttls")))
        assert server.messages == []
    assert error.code is ErrorCode.SMTP_TLS
    assert "STARTTLS" in error.params["reason"]


def test_ssl_against_a_plain_server_is_smtp_tls() -> None:
    with running_smtp_server(tls="none") as server:
        error = failure(lambda: check_smtp(server.smtp_config(security="ssl")))
    assert error.code is ErrorCode.SMTP_TLS


def test_plain_text_against_an_implicit_tls_port_times_out(
    certificate: SelfSignedCertificate,
) -> None:
    with running_smtp_server(tls="ssl", certificate=certificate) as server:
        error = failure(lambda: check_smtp(server.smtp_config(security="none", timeout=0.5)))
    assert error.code is ErrorCode.SMTP_TIMEOUT
    assert "port 465 needs ssl" in explain(error).cause.lower()


@pytest.mark.parametrize("security", list(SmtpSecurity))
def test_a_server_that_never_answers_is_smtp_timeout(security: SmtpSecurity) -> None:
    with silent_server() as (host, port):
        config = SmtpConfig(
            host=host, port=port, security=security, from_address="a@b.example", timeout=0.3
        )
        started = time.monotonic()
        error = failure(lambda: check_smtp(config))
        elapsed = time.monotonic() - started
    assert error.code is ErrorCode.SMTP_TIMEOUT
    assert error.params["timeout"] == 0.3
    assert elapsed < 5


def test_a_refused_recipient_is_smtp_rejected() -> None:
    with running_smtp_server(refuse_recipients=["nobody@example.com"]) as server:
        error = failure(mail_for(server.smtp_config(), to="nobody@example.com"))
        assert server.messages == []
    assert error.code is ErrorCode.SMTP_REJECTED
    assert error.params["recipients"] == "nobody@example.com"
    assert error.params["reason"].startswith("550")


def test_a_partly_refused_message_still_reaches_the_others_and_names_the_refused() -> None:
    with running_smtp_server(refuse_recipients=["nobody@example.com"]) as server:
        config = server.smtp_config()
        message = settings_test_email(to="maya@example.com", studio="Bright", config=config)
        message["Cc"] = "nobody@example.com"
        error = failure(lambda: send(config, message))
        [received] = server.messages
    assert received.recipients == ("maya@example.com",)
    assert error.code is ErrorCode.SMTP_REJECTED
    assert error.params["recipients"] == "nobody@example.com"


def test_missing_settings_fail_before_any_connection() -> None:
    config = SmtpConfig(host="127.0.0.1", port=unused_port(), from_address=None)
    error = failure(lambda: check_smtp(config))
    assert error.code is ErrorCode.EMAIL_NOT_CONFIGURED  # not SMTP_REFUSED: nothing was tried
    assert error.params["fields"] == "From address"
