"""Every catalogue entry, worded on every surface from raw sample data, reads as words."""

from __future__ import annotations

import datetime as dt
import re
import string
from zoneinfo import ZoneInfo

import pytest

from studiosync.doctor.catalogue import CATALOGUE, Context, Surface, explain_code
from studiosync.errors import ErrorCode

NOW = dt.datetime(2026, 12, 2, 13, 0, tzinfo=dt.UTC)
CONTEXT = Context(zone=ZoneInfo("Europe/Berlin"), now=NOW, logins={4242: "theo", 4343: "sam"})
RAW_EVENT = "evt0rawid5x9"
RAW_CALENDAR = "c_0rawcal9@group.calendar.google.com"
# Data as the sync, the Control Center and the checks hand it over: ids, ISO times, OS errors,
# text from Google with terminal escapes in it.
SAMPLE: dict[str, object] = {
    "user": 4242,
    "other": 4343,
    "event_id": RAW_EVENT,
    "appointment_id": 987654,
    "calendar_id": RAW_CALENDAR,
    "calendar": "Studio shoots",
    "until": "2026-12-02T19:50:09.681735+00:00",
    "last_seen": "2026-12-02T12:10:00+00:00",
    "reason": "[Errno 111] Connection refused",
    "error": "OSError: [Errno 113] No route to host",
    "count": 3,
    "summary": "Wedding \x1b[31mSmith\x1b[0m\x07",
    "google_email": "theo@example.com",
    "field": "login",
    "value": "",
    "deletes": 40,
    "mapped": 50,
    "side": "Google",
}
CLI_WORDS = (
    "google|sync|job|user|company|email|logs|processor|worker|computer|sandbox|init|doctor"
    "|appointment|client|group|resource|runs|web|explain"
)
SHELL = re.compile(rf"\bstudiosync\s+({CLI_WORDS})\b|\s--[a-z]|\bSTUDIOSYNC_\w+\s*=")
ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SLOT = re.compile(r"\{[a-z_]*\}")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _slots() -> set[str]:
    texts = [t for e in CATALOGUE.values() for t in (e.title, e.cause, e.fix, e.command or "")]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


# Every slot any entry names gets a value: what the sample does not give is plain text.
FULL = {**{slot: f"sample {slot}" for slot in _slots()}, **SAMPLE}


def _words(code: ErrorCode, surface: Surface) -> str:
    words = explain_code(code, surface, CONTEXT, **FULL)
    return " ".join((words.title, words.cause, words.fix, words.screen))


@pytest.mark.parametrize("surface", list(Surface))
@pytest.mark.parametrize("code", list(CATALOGUE))
def test_every_entry_reads_as_words_on_every_surface(code: ErrorCode, surface: Surface) -> None:
    text = _words(code, surface)
    assert not SLOT.search(text), text
    assert RAW_EVENT not in text and RAW_CALENDAR not in text and "987654" not in text, text
    assert "4242" not in text and "4343" not in text, text
    assert not ISO.search(text), text
    assert "errno" not in text.lower(), text
    assert not CONTROL.search(text), repr(text)
    assert "(s)" not in text and "(not known)" not in text, text
    if surface is not Surface.CLI:
        assert not SHELL.search(text), text


def test_the_cli_names_the_command_with_the_real_logins() -> None:
    taken = explain_code(ErrorCode.GOOGLE_ACCOUNT_TAKEN, Surface.CLI, CONTEXT, **SAMPLE)
    assert "studiosync google unlink sam" in taken.fix
    assert "already linked to sam" in taken.cause
    guard = explain_code(ErrorCode.SYNC_BULK_DELETE_GUARD, Surface.CLI, CONTEXT, **SAMPLE)
    assert "studiosync sync theo --confirm-bulk-delete" in guard.fix


def test_web_and_email_name_the_screen_and_the_web_links_it() -> None:
    web = explain_code(ErrorCode.GOOGLE_REAUTH_NEEDED, Surface.WEB, user="theo")
    assert web.screen == "Maintenance > Preferences > User Preferences > Google tab"
    assert web.href == "/preferences/google/theo"
    email = explain_code(ErrorCode.CONTROL_JOB_DISABLED, Surface.EMAIL, job="Google Sync")
    assert "Utilities > Control Center" in email.fix


def test_times_network_errors_and_counts_are_in_words() -> None:
    paused = explain_code(ErrorCode.SYNC_PAUSED_FOR_QUOTA, Surface.WEB, CONTEXT, **SAMPLE)
    assert "resumes in 7 hours (today at 20:50)" in paused.cause  # Berlin is UTC+1 in December
    down = explain_code(ErrorCode.GOOGLE_UNREACHABLE, Surface.EMAIL, CONTEXT, **SAMPLE)
    assert "the connection was refused" in down.cause
    tentative = explain_code(ErrorCode.SYNC_TENTATIVE_SKIPPED, Surface.CLI, count=1)
    assert "Google holds 1 event that" in tentative.cause
    assert "Android or HTC" in tentative.fix


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_an_entry_without_its_data_still_leaves_no_slot(code: ErrorCode) -> None:
    for surface in Surface:
        words = explain_code(code, surface)
        assert not SLOT.search(" ".join((words.title, words.cause, words.fix))), code
