"""A background thread that POSTs push notifications, so API calls never wait for receivers."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import httpx

logger = logging.getLogger(__name__)
RETRY_DELAYS = (0.5, 2.0, 8.0)  # seconds between attempts at a failing receiver
TIMEOUT = 10.0


@dataclass
class Notification:
    """One message to one address; ``record`` describes it in the delivery log ``log``."""

    address: str
    headers: dict[str, str]
    record: dict[str, Any]
    log: deque[dict[str, Any]]
    attempt: int = 0


class Sender:
    """Delivers notifications in due order on its own thread, retrying failed ones a few times."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Notification]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False

    def send(self, notification: Notification, delay: float = 0.0) -> None:
        with self._wake:
            if self._closing:
                return
            due = time.monotonic() + delay
            heapq.heappush(self._due, (due, next(self._order), notification))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sandbox-notifications", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def clear(self) -> None:
        """Forget every message not sent yet."""
        with self._wake:
            self._due.clear()

    def close(self) -> None:
        with self._wake:
            self._closing = True
            self._due.clear()
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(TIMEOUT + 1)

    def _next(self) -> Notification | None:
        with self._wake:
            while not self._closing:
                if self._due and self._due[0][0] <= time.monotonic():
                    return heapq.heappop(self._due)[2]
                wait = self._due[0][0] - time.monotonic() if self._due else None
                self._wake.wait(wait)
            return None

    def _run(self) -> None:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
            while (item := self._next()) is not None:
                self._deliver(client, item)

    def _deliver(self, client: httpx.Client, item: Notification) -> None:
        try:
            status = client.post(item.address, headers=item.headers, content=b"").status_code
        except httpx.HTTPError as error:
            status, detail = 0, type(error).__name__
        else:
            detail = str(status)
        if 200 <= status < 300 or status == 102:
            item.log.append({**item.record, "outcome": "delivered", "status": status})
            return
        if item.attempt < len(RETRY_DELAYS):
            delay = RETRY_DELAYS[item.attempt]
            item.attempt += 1
            self.send(item, delay)
            return
        logger.warning("notification to %s failed: %s", item.address, detail)
        item.log.append({**item.record, "outcome": "failed", "status": status})
