"""A network failure in a finding's reason reads as a person would say it, however long."""

from __future__ import annotations

from studiosync.doctor.wording import Context, word_value

LONG = (
    "ConnectionError: HTTPSConnectionPool(host='cal.example.invalid', port=443): Max retries "
    "exceeded with url: /.well-known/caldav (Caused by NewConnectionError('<urllib3.connection."
    "HTTPSConnection object at 0x7f0000000000>: Failed to establish a new connection: [Errno -2] "
    "Name or service not known'))"
)


def test_a_long_library_error_is_worded_before_it_is_cut_short() -> None:
    assert word_value("reason", LONG, Context()) == (
        "its name could not be found (no Internet, or misspelled)"
    )


def test_a_short_reason_keeps_its_words() -> None:
    assert word_value("reason", "[Errno 111] Connection refused", Context()) == (
        "nothing answered: the connection was refused"
    )
    assert word_value("reason", "HTTP 507", Context()) == "HTTP 507"
