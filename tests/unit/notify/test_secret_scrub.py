"""Token and password shapes are hidden from any text bound for an email."""

from __future__ import annotations

import pytest

from studiosync.notify.scrub import HIDDEN, scrub_secrets

ACCESS = "ya29.a0AfB_byC-1x2Y3z.Q4w5E6r7T8"
REFRESH = "1//0gLk3-abcDEF_ghi.jkl"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"refreshing with {ACCESS} failed", ACCESS),
        (f"stored refresh token {REFRESH} for maya", REFRESH),
        ("SMTP login password=hunter2&next=1", "hunter2"),
        ("Password: 'two words'", "two words"),
        ('{"access_token": "abc123xyz", "expires_in": 3599}', "abc123xyz"),
        ('{"refresh_token":"r-987"}', "r-987"),
        ("client_secret=GOCSPX-0123456789", "GOCSPX-0123456789"),
        ("Authorization: Basic ZGVzazpodW50ZXIy", "ZGVzazpodW50ZXIy"),
        ("sent header Bearer eyJhbGciOiJSUzI1NiJ9.payload", "eyJhbGciOiJSUzI1NiJ9"),
        ("smtp://desk:s3cr3t@mail.example.com:587", "s3cr3t"),
    ],
)
def test_secret_shapes_are_hidden(text: str, secret: str) -> None:
    scrubbed = scrub_secrets(text)
    assert secret not in scrubbed
    assert HIDDEN in scrubbed


def test_the_words_around_a_secret_stay() -> None:
    assert scrub_secrets(f"refreshing with {ACCESS} failed") == f"refreshing with {HIDDEN} failed"
    assert scrub_secrets("password=hunter2&next=1") == f"password={HIDDEN}&next=1"


def test_a_known_secret_is_hidden_wherever_it_appears() -> None:
    text = "server said: bad credentials for pa55-w0rd-xyz"
    assert scrub_secrets(text, also=["pa55-w0rd-xyz", None, ""]) == (
        f"server said: bad credentials for {HIDDEN}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Sent 'Smith wedding' (2024-05-01 10:00) to Google",
        "nextSyncToken=CPDAlvWDx70CEPDAlvWDx70CGAU kept for the next round",
        "basic information about the client",
        "https://www.googleapis.com/calendar/v3/calendars/primary/events",
        "1 // 2 is not a token",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub_secrets(text) == text


def test_scrubbing_twice_changes_nothing_more() -> None:
    text = f'password="a b" {ACCESS} {{"token": "t"}} smtp://u:p@h'
    once = scrub_secrets(text)
    assert scrub_secrets(once) == once
