"""Every error code has wording, and the wording is filled from the error's data."""

from __future__ import annotations

import re

from studiosync.doctor.catalogue import CATALOGUE, explain, explain_code
from studiosync.errors import DuplicateError, ErrorCode, InputError


def test_every_error_code_has_a_catalogue_entry() -> None:
    missing = [code for code in ErrorCode if code not in CATALOGUE]
    assert missing == []


def test_every_entry_says_what_to_do() -> None:
    for code, entry in CATALOGUE.items():
        assert entry.title and entry.cause and entry.fix, code
        assert entry.fix.rstrip().endswith((".", ")", "'")), code


def test_the_cause_adds_to_the_title_instead_of_repeating_it() -> None:
    """Title and cause are read one after the other: "X. X for maya: ..." says X twice."""
    repeated = [
        code for code, entry in CATALOGUE.items() if entry.title.lower() in entry.cause.lower()
    ]
    assert repeated == []


def test_a_google_entry_that_is_no_appointment_is_named_and_its_kind_said_in_words() -> None:
    for kind, words in (
        ("outOfOffice", "an out-of-office entry"),
        ("focusTime", "a focus-time block"),
        ("workingLocation", "a working-location entry"),
        ("declined", "an invitation that was declined"),
    ):
        text = explain_code(
            ErrorCode.SYNC_NOT_AN_APPOINTMENT,
            event="5qk2abcdef0123",
            event_type=kind,
            title="Away",
            when="Thu 3 Dec 2026 at 09:00",
        )
        assert f"“Away” (Thu 3 Dec 2026 at 09:00) is {words} in Google Calendar" in text.cause
        assert not re.search(r"[a-z][A-Z]", text.cause) and "5qk2" not in text.cause  # no jargon


def test_explain_fills_the_error_data() -> None:
    text = explain(DuplicateError(entity="user", field="login", value="maya"))
    assert text.code is ErrorCode.DUPLICATE
    assert text.cause == 'Another user already has the login "maya".'
    assert "Choose a different login" in text.fix


def test_missing_data_is_said_in_words_instead_of_failing() -> None:
    text = explain_code(ErrorCode.END_BEFORE_START)
    assert "{start}" not in text.cause and "(not known)" in text.cause


def test_an_error_prints_its_code_and_data_not_prose() -> None:
    error = InputError(ErrorCode.FIELD_REQUIRED, field="title")
    assert str(error) == "input.field_required(field='title')"
