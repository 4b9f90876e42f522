"""Push notification channels: who watches which calendar, and the rules that upset delivery."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import asdict, dataclass, field
from email.utils import formatdate
from typing import Any

from studiosync.sandbox.clock import SandboxClock
from studiosync.sandbox.notifier import Notification, Sender

DEFAULT_TTL = 7 * 24 * 3600  # seconds, as Google's Calendar API
MAX_TTL = 30 * 24 * 3600
KEPT_DELIVERIES = 1000


class RuleSpecError(ValueError):
    """A notification rule sent to the admin API is malformed."""


@dataclass
class Channel:
    """One events.watch channel on one calendar."""

    id: str
    resource_id: str
    resource_uri: str
    calendar_id: str
    owner: str
    address: str
    token: str | None
    expiration_ms: int
    messages: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "resourceId": self.resource_id,
            "resourceUri": self.resource_uri,
            "calendarId": self.calendar_id,
            "owner": self.owner,
            "address": self.address,
            "expiration": str(self.expiration_ms),
            "messages": self.messages,
        }


@dataclass
class NotificationRule:
    """Drop, delay or duplicate notifications (of one channel, or all), ``count`` times."""

    id: int
    action: str
    channel_id: str | None = None
    delay_ms: int = 0
    count: int | None = None
    probability: float = 1.0
    fired: int = field(default=0)


ACTIONS = ("drop", "delay", "duplicate")


def parse_rule(rule_id: int, spec: dict[str, Any]) -> NotificationRule:
    action = spec.get("action")
    if action not in ACTIONS:
        raise RuleSpecError(f"action must be one of {', '.join(ACTIONS)}")
    delay = spec.get("delay_ms", 0)
    count = spec.get("count")
    probability = spec.get("probability", 1.0)
    channel = spec.get("channel_id")
    if not isinstance(delay, int) or delay < 0 or (action == "delay" and delay == 0):
        raise RuleSpecError("delay_ms must be a positive whole number of milliseconds")
    if count is not None and (not isinstance(count, int) or count < 1):
        raise RuleSpecError("count must be a whole number of at least 1")
    if not isinstance(probability, int | float) or not 0 <= probability <= 1:
        raise RuleSpecError("probability must be between 0 and 1")
    if channel is not None and not isinstance(channel, str):
        raise RuleSpecError("channel_id must be a string")
    return NotificationRule(rule_id, action, channel, delay, count, float(probability))


class Channels:
    """Live channels by id; changes to a calendar become notifications to its channels."""

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self.sender = Sender()
        self.rules: list[NotificationRule] = []
        self._next_rule = 1
        self._channels: dict[str, Channel] = {}
        self.deliveries: deque[dict[str, Any]] = deque(maxlen=KEPT_DELIVERIES)

    # ------------------------------------------------------------------ channels
    def get(self, channel_id: str) -> Channel | None:
        self._expire()
        return self._channels.get(channel_id)

    def add(self, channel: Channel) -> None:
        self._channels[channel.id] = channel
        self._notify(channel, "sync")

    def stop(self, channel_id: str) -> None:
        self._channels.pop(channel_id, None)

    def live(self) -> list[Channel]:
        self._expire()
        return list(self._channels.values())

    def drop_calendar(self, calendar_id: str) -> None:
        for channel in [c for c in self._channels.values() if c.calendar_id == calendar_id]:
            del self._channels[channel.id]

    def _expire(self) -> None:
        now_ms = int(self.clock.time() * 1000)
        for channel_id in [k for k, c in self._channels.items() if c.expiration_ms <= now_ms]:
            del self._channels[channel_id]

    def changed(self, calendar_id: str) -> None:
        """Something changed in the calendar's events: tell every channel watching it."""
        if not self._channels:
            return
        self._expire()
        for channel in list(self._channels.values()):
            if channel.calendar_id == calendar_id:
                self._notify(channel, "exists")

    # ------------------------------------------------------------- delivery
    def _notify(self, channel: Channel, state: str) -> None:
        channel.messages += 1
        headers = {
            "X-Goog-Channel-ID": channel.id,
            "X-Goog-Channel-Expiration": formatdate(channel.expiration_ms / 1000, usegmt=True),
            "X-Goog-Resource-ID": channel.resource_id,
            "X-Goog-Resource-URI": channel.resource_uri,
            "X-Goog-Resource-State": state,
            "X-Goog-Message-Number": str(channel.messages),
        }
        if channel.token is not None:
            headers["X-Goog-Channel-Token"] = channel.token
        record = {"channelId": channel.id, "state": state, "number": channel.messages}
        rule = self._pick(channel.id)
        if rule is not None and rule.action == "drop":
            self.deliveries.append({**record, "outcome": "dropped"})
            return
        delay = rule.delay_ms / 1000 if rule is not None and rule.action == "delay" else 0.0
        copies = 2 if rule is not None and rule.action == "duplicate" else 1
        for _ in range(copies):
            self.sender.send(Notification(channel.address, headers, record, self.deliveries), delay)

    def _pick(self, channel_id: str) -> NotificationRule | None:
        for rule in self.rules:
            if rule.channel_id not in (None, channel_id):
                continue
            if rule.probability < 1 and random.random() >= rule.probability:
                continue
            rule.fired += 1
            if rule.count is not None and rule.fired >= rule.count:
                self.rules.remove(rule)
            return rule
        return None

    # ---------------------------------------------------------------- rules
    def add_rule(self, spec: dict[str, Any]) -> NotificationRule:
        rule = parse_rule(self._next_rule, spec)
        self._next_rule += 1
        self.rules.append(rule)
        return rule

    def describe_rules(self) -> list[dict[str, Any]]:
        return [asdict(rule) for rule in self.rules]

    def clear_rules(self) -> None:
        self.rules.clear()

    def reset(self) -> None:
        self._channels.clear()
        self.rules.clear()
        self.sender.clear()
        self.deliveries.clear()

    def close(self) -> None:
        self.sender.close()
