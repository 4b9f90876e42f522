"""The sentence that sums up one user's run, as the owner reads it in emails and logs."""

from __future__ import annotations

from studiosync.control.summary import round_sentence


def test_conflicts_are_not_all_called_changes_on_both_sides() -> None:
    # a conflict may be a Google edit of a field only the studio may change, or an edit against
    # a deletion: the sentence must be true of every kind
    said = round_sentence({"conflicts": 2})
    assert "both sides" not in said
    assert said == "Kept 2 losing changes in the conflict log — see below"
    assert round_sentence({"conflicts": 1}) == (
        "Kept 1 losing change in the conflict log — see below"
    )
