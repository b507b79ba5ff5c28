"""The PostgreSQL store: one database shared by every responder and delivery worker.

Opened for ``postgresql://`` (or ``postgres://``) store URLs; needs ``pip install
'imf[postgres]'`` (psycopg 3). Connection settings come from the URL and libpq's standard
``PG*`` environment variables (``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``,
``PGPASSFILE``, ``PGSSLMODE``...): ``postgresql:///imf`` with the rest in the environment is
fine. The password is never shown: errors name the URL with it masked.

Schema: the same logical tables as the SQLite store (incidents, append-only events,
deliveries) plus ``meta`` holding the schema version; migrations run on open under an
advisory lock, so several machines starting at once migrate once. Times are ``timestamptz``
(microseconds kept). Incident numbers come from a sequence, unique across machines. A write
transaction locks the incident row (``SELECT ... FOR UPDATE``); the outbox claim uses
``FOR UPDATE SKIP LOCKED`` with a lease, so workers on several hosts never send the same
delivery at once and a dead worker's deliveries are reclaimed when its lease expires.

Connections: a small pool per store (``POOL_SIZE``); a thread keeps one connection for the
length of its outermost transaction, and nested transactions on the same thread are
savepoints on that connection.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from imf.errors import ConflictError, StoreError

try:
    import psycopg
    import psycopg.errors
    from psycopg import pq
    from psycopg.conninfo import conninfo_to_dict
except ImportError:  # imported only for a postgresql:// store: say what to install
    raise StoreError("store.psycopg_missing") from None

from imf.clock import as_utc
from imf.store import display_url
from imf.store.sql import SCHEMA_VERSION, SqlStore

if TYPE_CHECKING:
    from imf.model import Incident

#: Connections a store keeps open at most (threads beyond that wait for one).
POOL_SIZE = 8

#: Seconds a pooled connection may sit idle before it is checked before reuse.
IDLE_CHECK = 1.0

#: Seconds to wait for a connection when neither the URL nor PGCONNECT_TIMEOUT says.
CONNECT_TIMEOUT = 10

#: The advisory lock that serialises migrations ("imf" in ASCII).
MIGRATION_LOCK = 0x696D66

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE SEQUENCE incident_number AS bigint",
        """CREATE TABLE incidents (
            id text PRIMARY KEY,
            number bigint NOT NULL UNIQUE,
            title text NOT NULL,
            severity text NOT NULL,
            status text NOT NULL,
            declared_at timestamptz NOT NULL,
            acknowledged_at timestamptz,
            mitigated_at timestamptz,
            resolved_at timestamptz,
            services text NOT NULL DEFAULT '[]',
            version integer NOT NULL,
            snapshot text NOT NULL
        )""",
        "CREATE INDEX incidents_open ON incidents (number) WHERE status <> 'resolved'",
        "CREATE INDEX incidents_declared ON incidents (declared_at)",
        """CREATE TABLE events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            incident_id text NOT NULL,
            seq integer NOT NULL,
            kind text NOT NULL,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            data text NOT NULL,
            CONSTRAINT events_incident_seq UNIQUE (incident_id, seq)
        )""",
        # The log is append-only: the database itself refuses edits, deletions, truncation.
        """CREATE FUNCTION imf_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'events are append-only'; END $$""",
        """CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION imf_events_append_only()""",
        """CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION imf_events_append_only()""",
        """CREATE TABLE deliveries (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id bigint NOT NULL REFERENCES events (id),
            incident_id text NOT NULL,
            plugin text NOT NULL,
            hook text NOT NULL,
            state text NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            last_error text NOT NULL DEFAULT '',
            delivered_at timestamptz,
            lease_owner text,
            lease_until timestamptz,
            UNIQUE (event_id, plugin)
        )""",
        "CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending'",
        """CREATE INDEX deliveries_chain ON deliveries (incident_id, plugin, event_id)
            WHERE state = 'pending'""",
    ],
}


class _Pool:
    """At most ``size`` open connections, reused across threads. A connection idle for
    longer than :data:`IDLE_CHECK` seconds is pinged before reuse, so a long-running worker
    survives a database restart or failover between its polls."""

    def __init__(self, connect: Any, size: int) -> None:
        self._connect = connect
        self._idle: list[tuple[psycopg.Connection[Any], float]] = []
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self.closed = False

    def acquire(self) -> psycopg.Connection[Any]:
        self._slots.acquire()
        try:
            while True:
                with self._lock:
                    if not self._idle:
                        break
                    conn, since = self._idle.pop()
                if _healthy(conn) and (time.monotonic() - since < IDLE_CHECK or _alive(conn)):
                    return conn
                conn.close()
            return self._connect()  # type: ignore[no-any-return]
        except BaseException:
            self._slots.release()
            raise

    def release(self, conn: psycopg.Connection[Any]) -> None:
        try:
            with self._lock:
                if self.closed or not _healthy(conn):
                    conn.close()
                else:
                    self._idle.append((conn, time.monotonic()))
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            self.closed = True
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            conn.close()


def _alive(conn: psycopg.Connection[Any]) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _healthy(conn: psycopg.Connection[Any]) -> bool:
    return (
        not conn.closed
        and not conn.broken
        and conn.info.transaction_status == pq.TransactionStatus.IDLE
    )


class PostgresStore(SqlStore):
    """A store in one PostgreSQL database.

    :param url: ``postgresql://[user[:password]@][host][:port][/dbname][?param=value...]``;
        anything left out comes from the ``PG*`` environment variables or libpq's defaults.
    :param migrate: bring the schema up to date on open (``False`` only to inspect it).
    """

    placeholder = "%s"
    lock_suffix = "FOR UPDATE"
    skip_locked_suffix = "FOR UPDATE OF d SKIP LOCKED"

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        super().__init__()
        self.url = display_url(url)
        self._conninfo = url
        self._secrets = _passwords(url)
        self._local = threading.local()
        self._pool = _Pool(self._connect, POOL_SIZE)
        if migrate:
            self.migrate()

    # --- connections and transactions ------------------------------------------------------

    def _connect(self) -> psycopg.Connection[Any]:
        params: dict[str, Any] = {"fallback_application_name": "imf"}
        try:
            given = conninfo_to_dict(self._conninfo)
        except psycopg.Error as exc:
            raise StoreError(
                "core.store_open_failed", url=self.url, reason=self._reason(exc)
            ) from None
        if "connect_timeout" not in given and not os.environ.get("PGCONNECT_TIMEOUT"):
            params["connect_timeout"] = CONNECT_TIMEOUT
        try:
            return psycopg.connect(self._conninfo, autocommit=True, **params)
        except psycopg.Error as exc:
            raise StoreError(
                "core.store_open_failed", url=self.url, reason=self._reason(exc)
            ) from None

    def _reason(self, exc: BaseException) -> str:
        """The first line of a driver error, with any known password removed."""
        lines = str(exc).strip().splitlines()
        text = " ".join(lines[0].split()) if lines else type(exc).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def connection(self) -> psycopg.Connection[Any]:
        """The calling thread's connection (taken from the pool until its outermost
        transaction ends)."""
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._pool.closed:
                raise StoreError("core.store_open_failed", url=self.url, reason="store closed")
            conn = self._pool.acquire()
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Any]:
        outer = getattr(self._local, "conn", None) is None
        conn = self.connection()
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield cur
        except psycopg.errors.UniqueViolation as exc:
            if exc.diag.constraint_name == "events_incident_seq":
                raise ConflictError("store.conflict_concurrent", url=self.url) from None
            raise self._error(exc, write) from None
        except psycopg.Error as exc:
            raise self._error(exc, write) from None
        finally:
            if outer:
                self._local.conn = None
                self._pool.release(conn)

    def _error(self, exc: psycopg.Error, write: bool) -> StoreError:
        key = "core.store_write_failed" if write else "store.read_failed"
        if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
            key = "core.store_open_failed"
        return StoreError(key, url=self.url, reason=self._reason(exc))

    # --- dialect ---------------------------------------------------------------------------

    def enc_time(self, value: datetime | None) -> Any:
        """A time as stored: an aware UTC datetime for a ``timestamptz`` column."""
        return None if value is None else as_utc(value)

    def next_number_sql(self, cur: Any) -> int:
        cur.execute("SELECT nextval('incident_number')")
        number = int(cur.fetchone()[0])
        self._local.drawn = number
        return number

    def _save_snapshot(self, cur: Any, incident: Incident, new: bool) -> None:
        super()._save_snapshot(cur, incident, new)
        if new and incident.number != getattr(self._local, "drawn", None):
            # A number given from outside the sequence (``imf store copy``) moves it past it;
            # numbers drawn from the sequence never do, so concurrent declares are unaffected.
            cur.execute(
                "SELECT setval('incident_number', %s) FROM incident_number"
                " WHERE NOT is_called OR last_value < %s",
                (incident.number, incident.number),
            )

    # --- schema ----------------------------------------------------------------------------

    def stored_version(self) -> int:
        """The schema version the database holds (0 when it has no imf tables yet)."""
        with self.transaction(write=False) as cur:
            return self._version(cur)

    @staticmethod
    def _version(cur: Any) -> int:
        # A catalog query, not to_regclass(): it sees a table another machine has just
        # created even when this connection looked the name up before.
        cur.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relname = 'meta')"
        )
        if not cur.fetchone()[0]:
            return 0
        cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        row = cur.fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> int:
        """Bring the schema to :data:`SCHEMA_VERSION`; return the version found before."""
        current = self.stored_version()
        if current == SCHEMA_VERSION:
            return current
        with self.transaction(write=True) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            found = self._version(cur)
            if found > SCHEMA_VERSION:
                raise StoreError(
                    "core.store_too_new", url=self.url, found=found, supported=SCHEMA_VERSION
                )
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version]:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (str(version),),
                )
        return found

    def server_version(self) -> str:
        """The server's version, e.g. ``15.4``."""
        with self.transaction(write=False) as cur:
            number = int(cur.connection.info.server_version)
        return f"{number // 10000}.{number % 10000}"

    def close(self) -> None:
        self._pool.close()


def _passwords(url: str) -> list[str]:
    """Passwords ``url`` or the environment carry, to keep them out of messages."""

    found = []
    try:
        password = conninfo_to_dict(url).get("password")
    except psycopg.Error:
        password = None
    if password:
        found.append(str(password))
    _, sep, rest = url.partition("://")
    creds = rest.partition("?")[0].rpartition("@")[0] if sep else ""
    if ":" in creds:
        raw = creds.split(":", 1)[1]
        found.extend({raw, unquote(raw)})
    if os.environ.get("PGPASSWORD"):
        found.append(os.environ["PGPASSWORD"])
    return [p for p in found if len(p) >= 3]
