"""Company Preferences > Email: the password is never shown again; the test email goes out."""

from __future__ import annotations

from web_helpers import Browser, alerts, field_error, page_text

from studiosync.context import Studio
from studiosync.notify.testing import running_smtp_server, unused_port
from studiosync.studio.company import email_settings, set_email_settings
from studiosync.studio.models import SmtpSecurity

SECRET = "Sm7p-S3cret-Value"


def email_form(**changes: str) -> dict[str, str]:
    form = {
        "smtp_host": "smtp.example.com",
        "smtp_port": "587",
        "security": "starttls",
        "smtp_username": "studio",
        "smtp_password": "",
        "from_address": "studio@example.com",
    }
    form.update(changes)
    return form


def test_the_password_is_stored_but_never_rendered(admin: Browser, studio: Studio) -> None:
    assert (
        admin.post("/preferences/company/email", email_form(smtp_password=SECRET)).status_code
        == 303
    )
    page = admin.get("/preferences/company/email").text
    assert SECRET not in page
    assert 'id="password-state">set<' in page
    assert 'name="smtp_password" type="password" value=""' in page
    with studio.transaction() as session:
        assert email_settings(session, studio.box).password == SECRET


def test_an_empty_password_keeps_it_and_clear_removes_it(admin: Browser, studio: Studio) -> None:
    admin.post("/preferences/company/email", email_form(smtp_password=SECRET))
    admin.post("/preferences/company/email", email_form(smtp_host="mail.example.com"))
    with studio.transaction() as session:
        kept = email_settings(session, studio.box)
        assert (kept.host, kept.password) == ("mail.example.com", SECRET)
    admin.post("/preferences/company/email", email_form(clear_password="on"))
    with studio.transaction() as session:
        assert email_settings(session, studio.box).password is None
    assert 'id="password-state">not set<' in admin.get("/preferences/company/email").text


def test_email_tab_errors_are_worded_and_the_typed_password_is_not_echoed(
    admin: Browser, studio: Studio
) -> None:
    port = admin.post("/preferences/company/email", email_form(smtp_port="70000"))
    assert port.status_code == 422
    assert "a whole number from 1 to 65535" in field_error(port.text, "smtp_port")
    sender = admin.post(
        "/preferences/company/email", email_form(from_address="studio", smtp_password=SECRET)
    )
    assert sender.status_code == 422
    assert "from address is not an email address" in field_error(sender.text, "from_address")
    assert SECRET not in sender.text
    with studio.transaction() as session:
        assert email_settings(session, studio.box).host is None  # nothing half-saved


def test_the_test_email_reaches_a_real_smtp_server(admin: Browser, studio: Studio) -> None:
    with running_smtp_server(auth=("desk", SECRET), auth_require_tls=False) as server:
        with studio.transaction() as session:
            set_email_settings(
                session, studio.box, host=server.host, port=server.port,
                security=SmtpSecurity.NONE, username="desk", password=SECRET,
                from_address="studio@example.com",
            )  # fmt: skip
        answer = admin.post("/preferences/company/email/test", {"recipient": "ada@example.com"})
        assert answer.status_code == 200
        assert "The test email to ada@example.com was accepted by the mail server" in answer.text
        (received,) = server.wait_for_messages(1)
    assert received.recipients == ("ada@example.com",)
    assert received.mail_from == "studio@example.com"
    assert received.login == "desk"
    assert "test email" in received.subject
    assert SECRET not in received.text()
    assert SECRET not in answer.text


def test_a_failing_test_email_is_worded_never_a_trace(admin: Browser, studio: Studio) -> None:
    port = unused_port()
    with studio.transaction() as session:
        set_email_settings(
            session, studio.box, host="127.0.0.1", port=port, security=SmtpSecurity.NONE,
            from_address="studio@example.com",
        )  # fmt: skip
    answer = admin.post("/preferences/company/email/test", {"recipient": "ada@example.com"})
    assert answer.status_code == 502
    worded = alerts(answer.text)
    assert "The mail server refused the connection" in worded
    assert f"127.0.0.1 port {port}" in worded
    assert "Traceback" not in answer.text and "ConnectionRefusedError" not in answer.text


def test_a_wrong_smtp_password_is_worded(admin: Browser, studio: Studio) -> None:
    with running_smtp_server(auth=("desk", SECRET), auth_require_tls=False) as server:
        with studio.transaction() as session:
            set_email_settings(
                session, studio.box, host=server.host, port=server.port,
                security=SmtpSecurity.NONE, username="desk", password="wrong-" + SECRET,
                from_address="studio@example.com",
            )  # fmt: skip
        answer = admin.post("/preferences/company/email/test", {"recipient": "ada@example.com"})
        assert server.messages == []
    assert "did not accept the SMTP login" in alerts(answer.text)
    assert "wrong-" + SECRET not in answer.text


def test_email_not_set_up_and_a_missing_recipient_are_worded(admin: Browser) -> None:
    missing = admin.post("/preferences/company/email/test", {"recipient": "ada@example.com"})
    assert "Email is not set up" in alerts(missing.text)
    assert "SMTP server" in alerts(missing.text)
    nobody = admin.post("/preferences/company/email/test", {"recipient": ""})
    assert nobody.status_code == 422
    assert "recipient is required" in field_error(nobody.text, "recipient")
    page = page_text(admin.get("/preferences/company/email").text)
    assert "Send a test email" in page
