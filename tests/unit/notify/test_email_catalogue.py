"""Every email error code is worded with a plain cause and a fix naming the screen or command."""

from __future__ import annotations

import pytest

from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.errors import ErrorCode

EMAIL_CODES = [code for code in ErrorCode if code.value.startswith("email.")]
SCREEN = "Maintenance > Preferences > Company (Studio) Preferences > Email tab"


def test_every_smtp_failure_kind_has_a_code() -> None:
    assert {code.name for code in EMAIL_CODES} == {
        "EMAIL_NOT_CONFIGURED",
        "SMTP_DNS",
        "SMTP_REFUSED",
        "SMTP_TIMEOUT",
        "SMTP_TLS",
        "SMTP_AUTH",
        "SMTP_REJECTED",
        "SMTP_FAILED",
    }


@pytest.mark.parametrize("code", EMAIL_CODES)
def test_the_fix_names_the_email_tab_a_command_and_the_test_email(code: ErrorCode) -> None:
    for surface in (Surface.WEB, Surface.EMAIL):
        fix = explain_code(code, surface).fix
        assert SCREEN in fix and "test email" in fix
        assert "studiosync" not in fix
    assert "studiosync company " in explain_code(code, Surface.CLI).fix


@pytest.mark.parametrize("code", EMAIL_CODES)
def test_the_wording_fills_from_the_data_the_adapter_gives(code: ErrorCode) -> None:
    data = {
        "host": "smtp.example.com",
        "port": 587,
        "security": "starttls",
        "username": "desk",
        "reason": "535 5.7.8 credentials invalid",
        "timeout": 30.0,
        "sender": "desk@studio.example",
        "recipients": "maya@example.com",
        "fields": "SMTP server, From address",
    }
    worded = explain_code(code, **data)
    for text in (worded.title, worded.cause, worded.fix):
        assert "{" not in text
