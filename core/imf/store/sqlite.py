"""The embedded SQLite store (the default).

WAL journal, one connection per thread, writes in ``BEGIN IMMEDIATE`` transactions with a
busy timeout (so concurrent ``imf`` processes queue instead of failing with "database is
locked"), the schema version in ``PRAGMA user_version``, migrated on open.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from imf.errors import StoreError
from imf.store.sql import SCHEMA_VERSION, SqlStore

BUSY_TIMEOUT_SECONDS = 60.0

MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            title TEXT NOT NULL,
            severity TEXT NOT NULL,
            status TEXT NOT NULL,
            declared_at TEXT NOT NULL,
            acknowledged_at TEXT,
            mitigated_at TEXT,
            resolved_at TEXT,
            services TEXT NOT NULL DEFAULT '[]',
            version INTEGER NOT NULL,
            snapshot TEXT NOT NULL
        )""",
        "CREATE INDEX incidents_open ON incidents (number) WHERE status <> 'resolved'",
        "CREATE INDEX incidents_declared ON incidents (declared_at)",
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            incident_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (incident_id, seq)
        )""",
        # The log is append-only: the database itself refuses edits and deletions.
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
        """CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id INTEGER NOT NULL REFERENCES events (id),
            incident_id TEXT NOT NULL,
            plugin TEXT NOT NULL,
            hook TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            last_error TEXT NOT NULL DEFAULT '',
            delivered_at TEXT,
            lease_owner TEXT,
            lease_until TEXT,
            UNIQUE (event_id, plugin)
        )""",
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending'",
        """CREATE INDEX deliveries_chain ON deliveries (incident_id, plugin, event_id)
            WHERE state = 'pending'""",
    ],
}


class SQLiteStore(SqlStore):
    """A store in one SQLite file.

    :param path: the database file; its directory is created if missing.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = os.fspath(path)
        self.url = f"sqlite:///{self.path}"
        self._local = threading.local()
        try:
            folder = os.path.dirname(self.path)
            if folder:
                os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise StoreError("core.store_open_failed", url=self.url, reason=str(exc)) from None
        self.migrate()

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA foreign_keys = ON")
            except sqlite3.Error as exc:
                raise StoreError("core.store_open_failed", url=self.url, reason=str(exc)) from None
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Any]:
        conn = self.connection()
        cur = conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as exc:
            raise StoreError("core.store_write_failed", url=self.url, reason=str(exc)) from None
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        else:
            try:
                conn.commit()
            except sqlite3.Error as exc:
                conn.rollback()
                raise StoreError("core.store_write_failed", url=self.url, reason=str(exc)) from None
        finally:
            cur.close()

    def next_number_sql(self, cur: Any) -> int:
        cur.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM incidents")
        return int(cur.fetchone()[0])

    def migrate(self) -> int:
        """Bring the schema to :data:`SCHEMA_VERSION`; return the version found before.

        A current schema is seen with one read, so that opening the store never waits for
        another process's write lock; migrating takes the lock and looks again."""
        found = int(self.connection().execute("PRAGMA user_version").fetchone()[0])
        if found == SCHEMA_VERSION:
            return found
        with self.transaction(write=True) as cur:
            cur.execute("PRAGMA user_version")
            found = int(cur.fetchone()[0])
            if found > SCHEMA_VERSION:
                raise StoreError(
                    "core.store_too_new", url=self.url, found=found, supported=SCHEMA_VERSION
                )
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    cur.execute(statement)
                cur.execute(f"PRAGMA user_version = {version}")
        return found

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
