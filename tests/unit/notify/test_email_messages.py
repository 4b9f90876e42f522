"""The emails themselves: subjects, every problem worded with cause and fix, text + HTML parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from studiosync.doctor.catalogue import explain_code
from studiosync.errors import ErrorCode, InputError
from studiosync.notify.config import SmtpConfig, SmtpSecurity
from studiosync.notify.inputs import Changed, LogLevel, LogLine, Problem, RoundReport, RoundSummary
from studiosync.notify.messages import (
    DETAILED_LOGS_TIP,
    digest_email,
    problems_email,
    settings_test_email,
    sync_log_email,
)

STARTED = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
SUMMARY = RoundSummary(
    started_at=STARTED,
    finished_at=STARTED + timedelta(seconds=42),
    computer="FRONT-DESK",
    pushed=7,
    pulled=3,
    updated=2,
    deleted=1,
    skipped=4,
    conflicts=5,
)
ACCESS_TOKEN = "ya29.a0AfB_secretAccessToken"
REFRESH_TOKEN = "1//0gSecretRefreshToken"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees in an HTML part: tags gone, entities decoded, spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return " ".join(part.get_content().split())


def html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    content: str = part.get_content()
    return content


PROBLEMS = [
    Problem(ErrorCode.WARNINGS_ADDRESS_REQUIRED, {"user": "maya"}, level=LogLevel.WARNING),
    Problem(
        ErrorCode.END_BEFORE_START,
        {"start": "10:00", "end": "09:00"},
        item="Smith wedding (2024-05-04)",
        count=3,
    ),
    Problem(ErrorCode.RESOURCE_CANNOT_SYNC, {"name": "Studio A", "kind": "room"}, item=None),
]


def test_the_subject_counts_the_problems() -> None:
    message = problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS)
    assert message["Subject"] == "studiosync: 3 problems with your Google Sync"
    one = problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS[:1])
    assert one["Subject"] == "studiosync: 1 problem with your Google Sync"
    assert one["To"] == "maya@example.com"
    assert one["Auto-Submitted"] == "auto-generated"


def test_every_problem_has_its_code_title_cause_and_fix_in_both_parts() -> None:
    message = problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS)
    assert message.get_content_type() == "multipart/alternative"
    text, seen = plain(message), visible_text(html(message))
    for problem in PROBLEMS:
        worded = explain_code(problem.code, **problem.params)
        for part in (text, seen):
            assert problem.code.value in part
            assert worded.title in part
            assert " ".join(worded.cause.split()) in part
            assert " ".join(worded.fix.split()) in part


def test_the_item_and_how_often_it_happened_are_shown() -> None:
    message = problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS)
    for part in (plain(message), visible_text(html(message))):
        assert "Concerns: Smith wedding (2024-05-04)" in part
        assert "happened 3 times in this round" in part
        assert part.count("happened") == 1  # problems seen once do not say "1 times"
        assert "FRONT-DESK" in part


def test_errors_come_before_warnings() -> None:
    text = plain(
        problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS)
    )
    warning = explain_code(ErrorCode.WARNINGS_ADDRESS_REQUIRED, user="maya").title
    error = explain_code(ErrorCode.END_BEFORE_START).title
    assert text.index(error) < text.index(warning)


def test_round_times_are_shown_in_the_studio_time_zone() -> None:
    message = problems_email(
        to="maya@example.com",
        user="Maya",
        summary=SUMMARY,
        problems=PROBLEMS,
        zone=ZoneInfo("Europe/London"),
    )
    assert "started Wed 1 May 2024 at 09:00" in plain(message)  # 08:00 UTC, on London's clock


def test_a_problems_email_needs_a_problem() -> None:
    with pytest.raises(ValueError):
        problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=[])


def test_user_text_is_escaped_in_html_and_left_as_is_in_text() -> None:
    hostile = Problem(
        ErrorCode.END_BEFORE_START,
        {"start": "<b>10:00</b>", "end": "09:00"},
        item='<script>alert("x")</script> & "Jones"',
    )
    message = problems_email(
        to="maya@example.com", user="<i>Maya</i>", summary=SUMMARY, problems=[hostile]
    )
    markup = html(message)
    assert "<script>" not in markup
    assert "<b>10:00</b>" not in markup
    assert "<i>Maya</i>" not in markup
    assert "&lt;script&gt;" in markup
    assert "&amp; &#34;Jones&#34;" in markup
    assert '<script>alert("x")</script> & "Jones"' in visible_text(markup)
    assert '<script>alert("x")</script> & "Jones"' in plain(message)
    assert "Hello <i>Maya</i>," in plain(message)


def test_secrets_in_problem_data_and_log_lines_are_never_rendered() -> None:
    leaky = Problem(
        ErrorCode.SETTINGS_INVALID,
        {"reason": f"refresh failed with {REFRESH_TOKEN} and access {ACCESS_TOKEN}"},
        item="token=abc123def",
    )
    problems = problems_email(to="maya@example.com", user="Maya", summary=SUMMARY, problems=[leaky])
    log = sync_log_email(
        to="maya@example.com",
        user="Maya password=hunter2",
        report=_report(
            LogLine(STARTED, LogLevel.ERROR, f"POST /token refresh_token={REFRESH_TOKEN}"),
            LogLine(STARTED, LogLevel.DEBUG, f"Authorization: Bearer {ACCESS_TOKEN}"),
            LogLine(STARTED, LogLevel.INFO, "smtp login", item='{"password": "hunter2"}'),
        ),
    )
    for message in (problems, log):
        whole = message.as_string() + plain(message) + html(message)
        for secret in (ACCESS_TOKEN, REFRESH_TOKEN, "abc123def", "hunter2", "0gSecret"):
            assert secret not in whole
        assert "[hidden]" in plain(message)


def _report(*lines: LogLine, more: int = 0) -> RoundReport:
    return RoundReport(
        started_at=STARTED,
        sentence="Sent 1 new appointment to Google; skipped 1 event — see below",
        computer="FRONT-DESK",
        changes=(Changed("New in Google", "“Smith wedding”, Thu 2 May 2024 at 10:00"),),
        more_changes=more,
        lines=lines,
    )


def test_the_sync_log_says_what_the_round_did_item_by_item() -> None:
    skipped = LogLine(
        STARTED + timedelta(seconds=2),
        LogLevel.WARNING,
        "A Google event was skipped",
        code=ErrorCode.SYNC_BAD_EVENT_SKIPPED,
        item="“Dentist”, Fri 3 May 2024 at 09:00",
    )
    message = sync_log_email(
        to="maya@example.com", user="Maya", report=_report(skipped), zone=ZoneInfo("Europe/Paris")
    )
    assert message["Subject"] == (
        "studiosync: what Google Sync did for Maya, Wed 1 May 2024 at 10:00"
    )
    for part in (plain(message), visible_text(html(message))):
        assert "Sent 1 new appointment to Google; skipped 1 event — see below" in part
        assert "New in Google" in part and "“Smith wedding”, Thu 2 May 2024 at 10:00" in part
        assert "A Google event was skipped" in part and "“Dentist”, Fri 3 May 2024" in part
        assert part.index("Smith wedding") < part.index("Dentist")
        assert "Nothing was logged" not in part
        assert ErrorCode.SYNC_BAD_EVENT_SKIPPED.value not in part, "codes are for machines"
        assert " ".join(DETAILED_LOGS_TIP.split()) in part


def test_a_caldav_user_s_emails_name_their_service_not_google() -> None:
    report = RoundReport(
        started_at=STARTED,
        sentence="Sent 1 new appointment to iCloud.",
        computer="FRONT-DESK",
        changes=(Changed("New in iCloud", "“Smith wedding”, Thu 2 May 2024 at 10:00"),),
    )
    day = STARTED.date()
    emails = [
        problems_email(
            to="maya@example.com", user="Maya", summary=SUMMARY, problems=PROBLEMS,
            service="iCloud",
        ),
        sync_log_email(to="maya@example.com", user="Maya", report=report, service="iCloud"),
        digest_email(
            to="maya@example.com", user="Maya", day=day, reports=[report], service="iCloud"
        ),
    ]  # fmt: skip
    assert [message["Subject"].split(":")[1].split(" for ")[0] for message in emails] == [
        " 3 problems with your iCloud sync",
        " what iCloud sync did",
        " iCloud sync",
    ]
    for message in emails:
        for part in (plain(message), visible_text(html(message))):
            assert "iCloud sync" in part
            for google in (
                "your Google Sync",
                "Google Sync did",
                "Google Sync for Maya",
                "Google Sync round",
            ):
                assert google not in part


def test_the_log_tip_names_the_choices_and_the_screen_not_a_command() -> None:
    assert "once a day" in DETAILED_LOGS_TIP and "after each round" in DETAILED_LOGS_TIP
    assert "Email Detailed Sync Logs" in DETAILED_LOGS_TIP
    assert "Maintenance > Preferences > User Preferences > Google tab" in DETAILED_LOGS_TIP
    assert "studiosync " not in DETAILED_LOGS_TIP and "--" not in DETAILED_LOGS_TIP


def test_a_long_list_says_how_many_items_are_left_out() -> None:
    message = sync_log_email(to="maya@example.com", user="Maya", report=_report(more=15))
    assert "and 15 more" in plain(message)
    assert "and 15 more" in visible_text(html(message))


def test_the_digest_lists_each_busy_round_of_the_day() -> None:
    later = RoundReport(
        started_at=STARTED + timedelta(hours=3),
        sentence="Brought back 1 change from Google.",
        changes=(Changed("Changed in the studio, from Google", "“Jones portraits”"),),
    )
    message = digest_email(
        to="maya@example.com",
        user="Maya",
        day=STARTED.date(),
        reports=[_report(), later],
        quiet_rounds=40,
    )
    assert message["Subject"] == "studiosync: Google Sync for Maya on Wednesday 1 May 2024"
    for part in (plain(message), visible_text(html(message))):
        assert "2 rounds of Google Sync changed something on Wednesday 1 May 2024." in part
        assert part.index("Smith wedding") < part.index("Jones portraits")
        assert "The other 40 rounds of the day changed nothing." in part
    with pytest.raises(ValueError, match="at least one round"):
        digest_email(to="maya@example.com", user="Maya", day=STARTED.date(), reports=[])


def test_the_test_email_names_the_server_but_not_the_password() -> None:
    config = SmtpConfig(
        host="smtp.example.com",
        port=None,
        security=SmtpSecurity.SSL,
        username="desk",
        password="pa55word-xyz",
        from_address="desk@studio.example",
    )
    message = settings_test_email(to="owner@studio.example", studio="Bright & Co", config=config)
    assert message["Subject"] == "studiosync: test email"
    for part in (plain(message), visible_text(html(message))):
        assert "smtp.example.com:465" in part
        assert "security: ssl" in part
        assert "Bright & Co" in part
        assert "Company (Studio) Preferences > Email tab" in part
    assert "pa55word-xyz" not in message.as_string()


@pytest.mark.parametrize(
    "address", ["", "not an address", "maya@example.com\r\nBcc: all@example.com", "a@b, c@d"]
)
def test_a_bad_recipient_is_refused(address: str) -> None:
    with pytest.raises(InputError) as caught:
        problems_email(to=address, user="Maya", summary=SUMMARY, problems=PROBLEMS)
    assert caught.value.code is ErrorCode.INVALID_EMAIL


def test_line_breaks_in_user_text_cannot_reach_the_subject() -> None:
    message = sync_log_email(
        to="maya@example.com", user="Maya\r\nBcc: all@example.com", report=_report()
    )
    assert message["Subject"].startswith("studiosync: what Google Sync did for Maya Bcc:")
    assert message["Bcc"] is None
