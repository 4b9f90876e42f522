"""A sync conflict in words: why one version lost, which side won, where the rule is set."""

from __future__ import annotations

REASON_WORDS: dict[str, str] = {
    "both_changed": "changed on both sides since the last sync",
    "studio_owns_field": "changed in {service}, but only the studio may change it",
    "found_unlinked": "differed between the studio and an unlinked copy already in {service}",
    # stored by versions before each field had its own owner rule
    "studio_owns_wording": (
        "had its wording changed in {service}, but only the studio may change it"
    ),
}
UNKNOWN_REASON = "could not be kept on both sides"
SIDE_WORDS: dict[str, str] = {"studio": "studio", "google": "Google"}
OWNER_SCREEN = "Company Preferences > Google"
OWNER_COMMAND = "studiosync company google-fields --help"


def reason_words(code: object, service: str = "Google") -> str:
    """Why a version lost, in words, naming the user's calendar service (Google unless told); a
    code this version does not know still reads as words."""
    return REASON_WORDS.get(str(code or ""), UNKNOWN_REASON).format(service=service)


def side_words(side: object, service: str = "Google") -> str:
    """A side as people name it: "studio" or the user's service, "Google" unless told (an
    unknown one is "other")."""
    words = SIDE_WORDS.get(str(side or ""), "other")
    return service if words == "Google" else words
