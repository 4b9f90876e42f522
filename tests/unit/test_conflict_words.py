"""Every conflict reason is worded for people, on each surface, without its code."""

from __future__ import annotations

import pytest

from studiosync.doctor.catalogue import Surface, explain_code
from studiosync.errors import ErrorCode
from studiosync.sync.records import ConflictReason, Side
from studiosync.wording.conflicts import REASON_WORDS, UNKNOWN_REASON, reason_words


def test_every_reason_has_words() -> None:
    assert {reason.value for reason in ConflictReason} <= set(REASON_WORDS)
    assert reason_words("from_a_later_version") == UNKNOWN_REASON


@pytest.mark.parametrize("reason", [*ConflictReason, "studio_owns_wording", "new_code"])
@pytest.mark.parametrize("surface", list(Surface))
def test_a_conflict_line_says_why_and_where_the_rule_is_set(reason: str, surface: Surface) -> None:
    params = {"reason": str(reason), "winner": Side.GOOGLE.value, "fields": "time"}
    words = explain_code(ErrorCode.SYNC_CONFLICT_RECORDED, surface, None, **params)
    said = f"{words.title} {words.cause} {words.fix}"
    assert str(reason) not in said and "google version" not in said
    assert "the Google version was kept" in words.cause
    assert "Company Preferences > Google" in words.fix
    if surface is Surface.CLI:
        assert "studiosync company google-fields" in words.fix
