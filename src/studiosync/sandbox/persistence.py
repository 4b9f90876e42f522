"""Where sandbox state survives restarts: nowhere (memory) or one SQLite file, row per record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import orjson


class Persistence(Protocol):
    """Write-through storage of records grouped by kind; ``load`` gives them back at start."""

    def save(self, kind: str, key: str, record: dict[str, Any]) -> None: ...

    def delete(self, kind: str, key: str) -> None: ...

    def load(self, kind: str) -> Iterator[dict[str, Any]]: ...

    def clear(self) -> None: ...

    def close(self) -> None: ...


class MemoryPersistence:
    """Keeps nothing: state lives and dies with the process."""

    def save(self, kind: str, key: str, record: dict[str, Any]) -> None:
        return None

    def delete(self, kind: str, key: str) -> None:
        return None

    def load(self, kind: str) -> Iterator[dict[str, Any]]:
        return iter(())

    def clear(self) -> None:
        return None

    def close(self) -> None:
        return None


class SqlitePersistence:
    """One SQLite file, one row per record, committed on every write (WAL, no fsync per write)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS records ("
            " kind TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
            " PRIMARY KEY (kind, key))"
        )

    def save(self, kind: str, key: str, record: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO records (kind, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value",
            (kind, key, orjson.dumps(record)),
        )

    def delete(self, kind: str, key: str) -> None:
        self._db.execute("DELETE FROM records WHERE kind = ? AND key = ?", (kind, key))

    def load(self, kind: str) -> Iterator[dict[str, Any]]:
        rows = self._db.execute("SELECT value FROM records WHERE kind = ?", (kind,)).fetchall()
        for (value,) in rows:
            yield orjson.loads(value)

    def clear(self) -> None:
        self._db.execute("DELETE FROM records")

    def close(self) -> None:
        self._db.close()


def open_persistence(path: Path | None) -> Persistence:
    """SQLite at ``path`` when given, else memory only."""
    return SqlitePersistence(path) if path else MemoryPersistence()
