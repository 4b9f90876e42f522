"""Field by field: what an appointment and its changed event should both show (pure).

For each field (title, time, location, notes, status) the appointment's value as Google would
show it is compared with the event's and with what both last agreed on. A field changed on one
side only takes that side's value — a Google change only when its rule lets Google change it
(appointments made in Google take every Google change); a field changed on both sides is
settled by its rule. When nothing is known of what both last agreed on (an event of ours found
unlinked, an old link), a field that differs keeps the studio's value unless its rule is
"newest" and Google's edit is the later one. Each side's losing fields make one conflict record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from studiosync.providers.base import EventStatus, RemoteEvent
from studiosync.sync import compose
from studiosync.sync import mapping as m
from studiosync.sync.fields import Field, FieldRules, Owner
from studiosync.sync.records import (
    AppointmentDraft,
    AppointmentStatus,
    ConflictReason,
    ConflictRecord,
    EventContent,
    MappingEntry,
    Side,
    StudioAppointment,
)


@dataclass(frozen=True)
class Merged:
    """The outcome for one pair: the appointment to keep, its content, and the losers."""

    appointment: StudioAppointment
    content: EventContent
    studio_changes: bool
    google_changes: bool
    records: tuple[ConflictRecord, ...]

    @property
    def draft(self) -> AppointmentDraft:
        kept = self.appointment
        return AppointmentDraft(kept.title, kept.span, kept.status, kept.location, kept.notes)


WORDS = ("title", "location", "notes")


def agreed_fields(
    link: MappingEntry | None,
    ours: EventContent,
    theirs: EventContent,
    studio_unchanged: bool = False,
) -> Mapping[str, str] | None:
    """Each field as both last agreed on it; ``None`` (or a field left out) when not known.

    A link recorded before fields were kept is read through its hashes: a side that still
    shows the agreed content shows every agreed field; a studio unchanged since (same version)
    shows them too, except words the studio now composes differently, which Google still shows
    if its words hash is the agreed one.
    """
    if link is None:
        return None
    if link.fields is not None:
        return link.fields
    for side in (ours, theirs):
        if side.fingerprint() == link.content_hash:
            return side.field_hashes()
    google_words_kept = theirs.wording_fingerprint() == link.wording_hash
    if not studio_unchanged and not google_words_kept:
        return None
    agreed = dict(ours.field_hashes()) if studio_unchanged else {}
    if google_words_kept:
        mine = theirs.field_hashes()
        agreed.update({name: mine[name] for name in WORDS})
    return agreed


def google_may_change(field: Field, rules: FieldRules, origin: Side, two_way: bool) -> bool:
    """Whether a change made in Google alone is taken into the studio."""
    if not two_way:
        return False
    return origin is Side.GOOGLE or rules.of(field) is not Owner.STUDIO


def google_changed_accepted(
    link: MappingEntry, theirs: EventContent, rules: FieldRules, two_way: bool
) -> bool:
    """Whether Google changed a field it may change (used when the studio deleted the item)."""
    if not two_way:
        return False
    if link.fields is None:
        return theirs.fingerprint() != link.content_hash
    now = theirs.field_hashes()
    return any(
        now[field.value] != link.fields.get(field.value)
        and google_may_change(field, rules, link.origin, two_way)
        for field in Field
    )


def _take(
    appointment: StudioAppointment, field: Field, theirs: EventContent, template: str
) -> StudioAppointment:
    """The appointment with one field as Google shows it."""
    if field is Field.TIME:
        return replace(appointment, span=theirs.span)
    if field is Field.STATUS:
        tentative = theirs.status == EventStatus.TENTATIVE
        status = AppointmentStatus.TENTATIVE if tentative else AppointmentStatus.CONFIRMED
        return replace(appointment, status=status)
    if field is Field.LOCATION:
        return replace(
            appointment, location=compose.location_from(theirs.location, _places(appointment))
        )
    if field is Field.NOTES:
        contact = m.shown_contact_lines(appointment)
        notes = compose.notes_from_description(theirs.description, contact)
        return replace(appointment, notes=notes)
    if appointment.origin is Side.GOOGLE:
        return replace(appointment, title=theirs.summary)
    title = compose.title_from_summary(theirs.summary, template, m.template_values(appointment))
    return replace(appointment, title=theirs.summary.strip() if title is None else title)


def _places(appointment: StudioAppointment) -> list[str]:
    return list(appointment.resources)


def merge(
    appointment: StudioAppointment,
    event: RemoteEvent,
    theirs: EventContent,
    link: MappingEntry | None,
    *,
    rules: FieldRules,
    template: str,
    two_way: bool,
    reason: ConflictReason = ConflictReason.BOTH_CHANGED,
) -> Merged:
    """Settle every field of a pair whose event changed (see the module docstring)."""
    ours = m.project(appointment, template)
    unchanged = link is not None and appointment.version == link.studio_version
    agreed = agreed_fields(link, ours, theirs, unchanged)
    mine, yours = ours.field_hashes(), theirs.field_hashes()
    kept = appointment
    google_lost: list[str] = []  # changed on both sides, the studio's version kept
    google_overruled: list[str] = []  # changed in Google only, but Google may not change it
    studio_lost: list[str] = []
    for field in Field:
        name = field.value
        if mine[name] == yours[name]:
            continue
        base = agreed.get(name) if agreed is not None else None
        known = base is not None
        studio_changed = not known or mine[name] != base
        google_changed = not known or yours[name] != base
        if studio_changed and google_changed:
            if _google_wins_both(field, rules, appointment, event, two_way, known):
                kept, studio_lost = _take(kept, field, theirs, template), [*studio_lost, name]
            else:
                google_lost.append(name)
        elif google_changed:
            if google_may_change(field, rules, appointment.origin, two_way):
                kept = _take(kept, field, theirs, template)
            else:
                google_overruled.append(name)
    if reason is not ConflictReason.BOTH_CHANGED:  # e.g. an unlinked copy: one reason for all
        google_lost, google_overruled = [*google_lost, *google_overruled], []
    content = m.project(kept, template)
    records: list[ConflictRecord] = []

    def lost(why: ConflictReason, winner: Side, fields: list[str], **losing: Any) -> None:
        if fields:
            records.append(
                ConflictRecord(
                    appointment.id,
                    event.id,
                    why,
                    winner,
                    winning_content=content,
                    agreed=link,
                    fields=tuple(fields),
                    **losing,
                )
            )

    google_side = {"losing_content": theirs, "losing_event": event}
    lost(reason, Side.STUDIO, google_lost, **google_side)
    lost(ConflictReason.STUDIO_OWNS_FIELD, Side.STUDIO, google_overruled, **google_side)
    lost(reason, Side.GOOGLE, studio_lost, losing_content=ours, losing_appointment=appointment)
    studio_changes = _fields_of(kept) != _fields_of(appointment)
    return Merged(kept, content, studio_changes, not content.same_as(theirs), tuple(records))


def _fields_of(appointment: StudioAppointment) -> tuple[object, ...]:
    a = appointment
    return (a.title, a.span, a.status, a.location, a.notes)


def _google_wins_both(
    field: Field,
    rules: FieldRules,
    appointment: StudioAppointment,
    event: RemoteEvent,
    two_way: bool,
    known: bool,
) -> bool:
    """A field changed on both sides: its rule says which side keeps it."""
    if not two_way:
        return False
    owner = rules.of(field)
    if owner is Owner.GOOGLE and known:
        return True
    if owner is not Owner.NEWEST:
        return False
    if appointment.updated_at is None:
        return True
    return m.updated_at(event) > appointment.updated_at
