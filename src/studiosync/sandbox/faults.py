"""Injected failures: error statuses, dropped connections and delays, scoped by path and method."""

from __future__ import annotations

import fnmatch
import itertools
import random
from dataclasses import asdict, dataclass
from typing import Any

from studiosync.sandbox.errors import GoogleError, api_error

REASONS = {
    400: ("badRequest", "Bad Request", "global"),
    401: ("authError", "Invalid Credentials", "global"),
    403: ("forbidden", "Forbidden", "global"),
    404: ("notFound", "Not Found", "global"),
    409: ("conflict", "Conflict", "global"),
    410: ("deleted", "Resource has been deleted", "global"),
    412: ("conditionNotMet", "Precondition Failed", "global"),
    429: ("rateLimitExceeded", "Rate Limit Exceeded", "usageLimits"),
    500: ("backendError", "Backend Error", "global"),
    502: ("backendError", "Bad Gateway", "global"),
    503: ("backendError", "Backend Error", "global"),
    504: ("backendError", "Gateway Timeout", "global"),
}
USAGE_LIMIT_REASONS = {
    "rateLimitExceeded",
    "userRateLimitExceeded",
    "quotaExceeded",
    "dailyLimitExceeded",
}


class FaultSpecError(ValueError):
    """A fault rule that cannot be applied; the admin API answers 400 with the message."""


@dataclass
class Fault:
    """One rule: where it applies, what it does, how often (count) and how likely (probability)."""

    id: int
    path: str = "*"
    method: str | None = None
    status: int | None = None
    reason: str | None = None
    message: str | None = None
    drop_connection: bool = False
    delay_ms: int = 0
    count: int | None = None
    probability: float = 1.0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def error(self) -> GoogleError:
        status = self.status or 503
        reason, message, domain = REASONS.get(status, ("backendError", "Backend Error", "global"))
        if self.reason:
            reason = self.reason
            domain = "usageLimits" if reason in USAGE_LIMIT_REASONS else domain
            if reason == "quotaExceeded":
                message = "Calendar usage limits exceeded."
            elif reason == "userRateLimitExceeded":
                message = "User Rate Limit Exceeded"
            elif reason == "rateLimitExceeded":
                message = "Rate Limit Exceeded"
        return api_error(status, reason, self.message or message, domain=domain)


_TYPES: dict[str, tuple[type, ...]] = {
    "path": (str,),
    "method": (str,),
    "status": (int,),
    "reason": (str,),
    "message": (str,),
    "drop_connection": (bool,),
    "delay_ms": (int,),
    "count": (int,),
    "probability": (int, float),
}


def _check_types(spec: dict[str, Any]) -> None:
    for key, value in spec.items():
        if value is None and key in ("method", "status", "reason", "message", "count"):
            continue
        if not isinstance(value, _TYPES[key]) or (
            isinstance(value, bool) and key != "drop_connection"
        ):
            raise FaultSpecError(f"{key} has the wrong type")
    if "status" in spec and spec["status"] is not None and not 400 <= spec["status"] <= 599:
        raise FaultSpecError("status must be an HTTP error status (400-599)")


class Faults:
    """The active rules, first match wins; a rule with a count retires after firing that often."""

    def __init__(self, seed: int | None = None) -> None:
        self.rules: list[Fault] = []
        self._ids = itertools.count(1)
        self._random = random.Random(seed)

    def add(self, spec: dict[str, Any]) -> Fault:
        allowed = {
            "path",
            "method",
            "status",
            "reason",
            "message",
            "drop_connection",
            "delay_ms",
            "count",
            "probability",
        }
        unknown = set(spec) - allowed
        if unknown:
            raise FaultSpecError(f"unknown fault fields: {sorted(unknown)}")
        _check_types(spec)
        fault = Fault(id=next(self._ids), **spec)
        if not (fault.status or fault.drop_connection or fault.delay_ms or fault.reason):
            raise FaultSpecError("a fault needs status, reason, drop_connection or delay_ms")
        if fault.reason and not fault.status:
            fault.status = 403 if fault.reason in USAGE_LIMIT_REASONS else 400
        if not 0.0 <= fault.probability <= 1.0:
            raise FaultSpecError("probability must be between 0 and 1")
        if fault.count is not None and fault.count < 1:
            raise FaultSpecError("count must be at least 1")
        self.rules.append(fault)
        return fault

    def remove(self, fault_id: int) -> bool:
        before = len(self.rules)
        self.rules = [rule for rule in self.rules if rule.id != fault_id]
        return len(self.rules) != before

    def clear(self) -> None:
        self.rules.clear()

    def pick(self, method: str, path: str) -> Fault | None:
        """The rule that fires for this request, if any (and count it)."""
        for rule in self.rules:
            if not rule.matches(method, path):
                continue
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            rule.fired += 1
            if rule.count is not None and rule.fired >= rule.count:
                self.rules.remove(rule)
            return rule
        return None

    def describe(self) -> list[dict[str, Any]]:
        return [asdict(rule) for rule in self.rules]
