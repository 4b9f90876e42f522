"""Composing what Google shows: the summary template, reading it back, Google's limits."""

from __future__ import annotations

import pytest

from studiosync.errors import ErrorCode, InputError
from studiosync.sync import compose as c

VALUES = {"title": "Rivera family", "type": "Session", "client": "Sofia Rossi", "room": "Studio A"}


@pytest.mark.parametrize(
    ("template", "values", "summary"),
    [
        ("{title}", VALUES, "Rivera family"),
        ("{title} – {client}", VALUES, "Rivera family – Sofia Rossi"),
        ("{title} – {client}", {**VALUES, "client": ""}, "Rivera family"),
        ("{client} – {title}", {**VALUES, "client": ""}, "Rivera family"),
        ("{type} – {client} – {room}", {**VALUES, "client": ""}, "Session – Studio A"),
        ("{title} ({room})", {**VALUES, "room": ""}, "Rivera family"),
        ("Shoot: {title}", VALUES, "Shoot: Rivera family"),
        ("{{{title}}}", VALUES, "{Rivera family}"),
    ],
)
def test_a_field_with_no_value_is_left_out_with_what_joins_it(
    template: str, values: dict[str, str], summary: str
) -> None:
    assert c.render_template(template, values) == summary


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{title} – {customer}", "{customer} is not a field"),
        ("{title!r}", "{title!r} is not a field"),
        ("{title:>20}", "{title:>20} is not a field"),
        ("{title", "a brace is not closed"),
        ("Studio", "it names no field"),
        ("{title}" * 40, "at most 200 characters"),
    ],
)
def test_a_wrong_template_names_what_is_wrong_and_the_allowed_fields(
    template: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        c.validate_template(template)
    assert caught.value.code is ErrorCode.INVALID_VALUE
    assert words in caught.value.params["reason"]
    assert caught.value.params["field"] == "summary template"
    if "brace" not in words and "200" not in words:
        assert "{title}, {type}, {client}, {room}" in caught.value.params["reason"]


def test_an_empty_template_is_the_default() -> None:
    assert c.validate_template("  ") == c.DEFAULT_TEMPLATE == "{title}"


def test_a_summary_reads_back_as_its_title() -> None:
    template = "{title} – {client}"
    assert c.title_from_summary("New title – Sofia Rossi", template, VALUES) == "New title"
    assert c.title_from_summary("Renamed entirely", template, VALUES) is None
    no_client = {**VALUES, "client": ""}
    assert c.title_from_summary("Only a title", template, no_client) == "Only a title"


def test_texts_are_cut_to_google_s_limits_and_notes_say_so() -> None:
    assert c.cut("x" * 10, 10) == "x" * 10
    assert c.cut("x" * 11, 10) == "x" * 9 + "…"
    contact = "Phone: 555"
    described = c.compose_description("n" * 70_000, contact)
    assert len(described) == c.MAX_DESCRIPTION
    assert described.endswith(c.NOTES_MARKER + "\n\n" + contact)
    assert c.notes_from_description("Notes\n\nPhone: 555", contact) == "Notes"
    located = c.compose_location(["Studio A"], "y" * 600)
    assert len(located) == c.MAX_LOCATION and located.startswith("Studio A, ")
    assert c.location_from("Studio A, Park", ["Studio A"]) == "Park"
    assert c.location_from("Studio A", ["Studio A"]) == ""
    assert c.location_from("Elsewhere", ["Studio A"]) == "Elsewhere"
