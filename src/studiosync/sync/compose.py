"""How an appointment's words are composed for Google, within Google's limits, and read back.

The summary follows the studio's template, whose named fields are ``{title}``, ``{type}``,
``{client}`` and ``{room}`` (default: the title alone). A field with no value is left out
together with the text that joins it to the rest, so "{title} – {client}" reads "Portrait"
when there is no client. Summaries, locations and descriptions are cut to Google's limits; a
cut description ends with a visible marker and the studio keeps its notes whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Formatter

from studiosync.errors import ErrorCode, InputError

TEMPLATE_FIELDS = ("title", "type", "client", "room")
DEFAULT_TEMPLATE = "{title}"
MAX_TEMPLATE = 200

MAX_SUMMARY = 300
MAX_LOCATION = 500
MAX_DESCRIPTION = 64_000
ELLIPSIS = "…"
NOTES_MARKER = "… (full notes in the studio)"
PLACE_SEPARATOR = ", "

_JOINER = r"[-–—,:;|/·+&]"
"""Text that joins fields: dropped with a field that has no value."""

Part = tuple[str, str | None]
"""A piece of a template: the literal text before a field, and the field (``None`` at the end)."""


def _bad_template(template: str, reason: str) -> InputError:
    return InputError(
        ErrorCode.INVALID_VALUE, field="summary template", value=template, reason=reason
    )


def _allowed() -> str:
    return ", ".join("{" + name + "}" for name in TEMPLATE_FIELDS)


def template_parts(template: str) -> list[Part]:
    """The template as (literal, field) pieces; ``InputError`` names what is wrong with it."""
    if len(template) > MAX_TEMPLATE:
        raise _bad_template(template[:60], f"a template holds at most {MAX_TEMPLATE} characters")
    try:
        parsed = list(Formatter().parse(template))
    except ValueError as exc:
        raise _bad_template(
            template, f"a brace is not closed; the fields are {_allowed()}"
        ) from exc
    parts: list[Part] = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (name not in TEMPLATE_FIELDS or spec or conversion):
            shown = "{" + name + (f"!{conversion}" if conversion else "")
            shown += (f":{spec}" if spec else "") + "}"
            raise _bad_template(template, f"{shown} is not a field; the fields are {_allowed()}")
        parts.append((literal, name))
    if not any(name for _literal, name in parts):
        raise _bad_template(template, f"it names no field; the fields are {_allowed()}")
    return parts


def validate_template(template: str) -> str:
    """The template, trimmed, when it is a valid one (empty means the default)."""
    text = template.strip() or DEFAULT_TEMPLATE
    template_parts(text)
    return text


def render_template(template: str, values: Mapping[str, str]) -> str:
    """The summary for these field values (see the module docstring for empty fields)."""
    if template == DEFAULT_TEMPLATE:
        return values.get("title", "").strip()
    text = ""
    for literal, name in template_parts(template):
        text += literal
        if name is not None:
            text += " ".join(values.get(name, "").split())
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)  # brackets around a field with no value
    text = re.sub(rf"(\s*{_JOINER}\s*)(?:{_JOINER}\s*)+", r"\1", text)  # its joiners
    text = re.sub(r"\s{2,}", " ", text)
    return re.sub(rf"^(?:\s|{_JOINER})+|(?:\s|{_JOINER})+$", "", text)


def cut(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """``text`` within ``limit`` characters; when cut, it ends with ``marker``."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(marker))].rstrip() + marker


def title_from_summary(summary: str, template: str, values: Mapping[str, str]) -> str | None:
    """The title a summary shows under the template, the other fields being as given.

    ``None`` when the summary does not read as the template (then the studio's wording stays).
    """
    pattern = ""
    titled = False
    for literal, name in template_parts(template):
        pattern += re.escape(literal)
        if name == "title":
            pattern += "(?P<title>.*)" if not titled else "(?P=title)"
            titled = True
        elif name is not None:
            pattern += re.escape(values.get(name, "").strip())
    if not titled:
        return None
    found = re.fullmatch(pattern, summary, flags=re.DOTALL)
    if found is not None:
        return found.group("title").strip()
    if render_template(template, {**values, "title": ""}) == "":
        return summary.strip()  # only the title is shown: the whole summary is the title
    return None


def compose_description(notes: str, contact: str) -> str:
    """Notes then the client's contact lines, the notes cut (with the marker) to fit."""
    notes = notes.strip()
    tail = f"\n\n{contact}" if notes and contact else contact
    room = MAX_DESCRIPTION - len(tail)
    return cut(notes, room, NOTES_MARKER) + tail


def notes_from_description(description: str, contact: str) -> str:
    """The notes a description holds: the client's contact lines at its end are not notes."""
    text = description
    if contact and text.endswith(contact):
        text = text[: -len(contact)]
    return text.strip()


def compose_location(places: list[str], location: str) -> str:
    """Rooms and other resources, then the location text, cut to Google's limit."""
    joined = PLACE_SEPARATOR.join(place for place in [*places, location.strip()] if place)
    return cut(joined, MAX_LOCATION)


def location_from(text: str, places: list[str]) -> str:
    """The location text a Google location holds: the studio's resources at its start are not."""
    prefix = PLACE_SEPARATOR.join(places)
    if prefix and text == prefix:
        return ""
    if prefix and text.startswith(prefix + PLACE_SEPARATOR):
        return text[len(prefix) + len(PLACE_SEPARATOR) :].strip()
    return text.strip()
