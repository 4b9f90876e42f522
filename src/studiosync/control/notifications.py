"""What a Google notification does: nothing but ask for the user's normal incremental sync.

A notification carries no data and earns no trust: it must name a channel we opened and
carry that channel's secret token (anything else is refused, and the web answers 404); the
first message of a channel ("sync") only proves Google can reach us; later ones ask for a
sync of the channel's user, once per message number (Google may send one twice).
"""

from __future__ import annotations

import datetime as dt
import enum
import hmac
import logging
from collections.abc import Mapping

from sqlalchemy.orm import Session

from studiosync.accounts.models import PushChannel
from studiosync.control.requests import Reason, request_sync
from studiosync.crypto import SecretBox

log = logging.getLogger(__name__)


class Heard(enum.StrEnum):
    """What became of one notification."""

    REFUSED = "refused"  # unknown channel or wrong token: nothing happens
    HANDSHAKE = "handshake"  # the channel's first message
    REPEATED = "repeated"  # a message number already seen
    SYNC_ASKED = "sync-asked"


def _message_number(raw: str | None) -> int | None:
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def hear(session: Session, box: SecretBox, headers: Mapping[str, str], now: dt.datetime) -> Heard:
    """Check one notification's headers and act on it (see the module docstring)."""
    channel_id = headers.get("x-goog-channel-id", "")
    channel = session.query(PushChannel).filter_by(channel_id=channel_id).one_or_none()
    token = headers.get("x-goog-channel-token", "")
    if channel is None or not hmac.compare_digest(
        box.decrypt(channel.token_encrypted).encode(), token.encode()
    ):
        log.warning("refused a Google notification for unknown channel %r", channel_id[:64])
        return Heard.REFUSED
    state = headers.get("x-goog-resource-state", "")
    number = _message_number(headers.get("x-goog-message-number"))
    if state == "sync":
        channel.confirmed_at = channel.confirmed_at or now
        channel.last_message_at = now
        return Heard.HANDSHAKE
    last = channel.last_message_number
    if number is not None and last is not None and number <= last:
        return Heard.REPEATED
    channel.confirmed_at = channel.confirmed_at or now  # a change proves it works as well
    channel.last_message_number = number if number is not None else last
    channel.last_message_at = now
    request_sync(session, [channel.user_id], Reason.GOOGLE, now)
    return Heard.SYNC_ASKED
