"""The Email tab as SmtpConfig: defaults, what is missing, and a password that never shows."""

from __future__ import annotations

from enum import StrEnum

import pytest

from studiosync.doctor.catalogue import explain
from studiosync.errors import EmailError, ErrorCode
from studiosync.notify.config import SmtpConfig, SmtpSecurity

PASSWORD = "Tr0ub4dor&3-secret"


def complete(**changes: object) -> SmtpConfig:
    values: dict[str, object] = {
        "host": "smtp.example.com",
        "port": 587,
        "security": SmtpSecurity.STARTTLS,
        "username": "desk@studio.example",
        "password": PASSWORD,
        "from_address": "desk@studio.example",
    }
    values.update(changes)
    return SmtpConfig(**values)  # type: ignore[arg-type]


def test_the_password_is_not_in_repr_or_str() -> None:
    config = complete()
    assert PASSWORD not in repr(config)
    assert PASSWORD not in str(config)
    assert "smtp.example.com" in repr(config)


class OtherSecurity(StrEnum):
    """Stands for any other enum with the same values (the database has one)."""

    SSL = "ssl"


def test_security_accepts_the_text_values_of_any_enum() -> None:
    assert complete(security=OtherSecurity.SSL).security is SmtpSecurity.SSL
    assert complete(security="ssl").security is SmtpSecurity.SSL
    assert complete(security="none").security is SmtpSecurity.NONE
    with pytest.raises(ValueError):
        complete(security="tls13")


@pytest.mark.parametrize(
    ("security", "port"),
    [(SmtpSecurity.NONE, 25), (SmtpSecurity.STARTTLS, 587), (SmtpSecurity.SSL, 465)],
)
def test_a_missing_port_means_the_usual_port_for_the_security(
    security: SmtpSecurity, port: int
) -> None:
    assert complete(port=None, security=security).effective_port == port
    assert complete(port=2525, security=security).effective_port == 2525


def test_a_complete_config_misses_nothing() -> None:
    assert complete().missing_settings() == ()
    complete().require_complete()
    assert complete(username=None, password=None).missing_settings() == ()


def test_missing_settings_are_named_as_on_the_email_tab() -> None:
    config = SmtpConfig(host=" ", from_address=None)
    assert config.missing_settings() == ("SMTP server", "From address")
    assert complete(password=None).missing_settings() == ("SMTP password",)
    assert complete(username=None).missing_settings() == ("SMTP username",)


def test_an_incomplete_config_raises_email_not_configured_naming_the_fields() -> None:
    with pytest.raises(EmailError) as caught:
        SmtpConfig(host=None, from_address=None).require_complete()
    assert caught.value.code is ErrorCode.EMAIL_NOT_CONFIGURED
    worded = explain(caught.value)
    assert "SMTP server, From address" in worded.cause
    assert "Company (Studio) Preferences > Email tab" in worded.fix
    assert "send a test email" in worded.fix


def test_the_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError):
        complete(timeout=0)
