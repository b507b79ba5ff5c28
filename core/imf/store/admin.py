"""Store administration: inspecting a store's schema and contents, copying one store into
another (SQLite to PostgreSQL or back) without losing an event.

Used by ``imf store``; usable from Python for the same jobs.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import define, field

from imf import serde
from imf.errors import StoreError
from imf.model import utcnow
from imf.projection import project
from imf.store.base import Store
from imf.store.sql import SCHEMA_VERSION, SqlStore, dumps

#: Delivery states the outbox records.
DELIVERY_STATES = ("pending", "delivered", "dead")


def is_postgres(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL store."""
    return url.startswith(("postgresql://", "postgres://"))


def backend_name(url: str) -> str:
    """``sqlite``, ``postgresql`` or the URL scheme of a plugin's backend."""
    if is_postgres(url):
        return "postgresql"
    if url.startswith("sqlite:") or "://" not in url:
        return "sqlite"
    return url.split("://", 1)[0]


def stored_version(url: str) -> int | None:
    """The schema version the store at ``url`` holds, read without migrating it (0 for a
    store not created yet; None for a backend that cannot tell)."""
    if is_postgres(url):
        from imf.store.postgres import PostgresStore

        store = PostgresStore(url, migrate=False)
        try:
            return store.stored_version()
        finally:
            store.close()
    if url.startswith("sqlite:") or "://" not in url:
        path = Path(url.removeprefix("sqlite:///") if url.startswith("sqlite:") else url)
        path = path.expanduser()
        if not path.exists():
            return 0
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                return int(conn.execute("PRAGMA user_version").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise StoreError("core.store_open_failed", url=url, reason=str(exc)) from None
    return None


@define
class Counts:
    """What a store holds."""

    incidents: int = 0
    open_incidents: int = 0
    events: int = 0
    deliveries: dict[str, int] = field(factory=dict)
    leased: int = 0


def counts(store: Store, now: datetime | None = None) -> Counts:
    """Count incidents, events and deliveries (by state; ``leased``: claimed by a live worker)."""
    if not isinstance(store, SqlStore):
        return Counts(events=store.count_events())
    now = now or utcnow()
    found = Counts()
    with store.transaction(write=False) as cur:
        cur.execute("SELECT COUNT(*), COUNT(*) FILTER (WHERE status <> 'resolved') FROM incidents")
        found.incidents, found.open_incidents = (int(x) for x in cur.fetchone())
        cur.execute("SELECT COUNT(*) FROM events")
        found.events = int(cur.fetchone()[0])
        cur.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state ORDER BY state")
        found.deliveries = {state: 0 for state in DELIVERY_STATES}
        found.deliveries.update({str(s): int(n) for s, n in cur.fetchall()})
        cur.execute(
            store.q("SELECT COUNT(*) FROM deliveries WHERE state = 'pending' AND lease_until >= ?"),
            (store.enc_time(now),),
        )
        found.leased = int(cur.fetchone()[0])
    return found


@define
class CopyReport:
    """What :func:`copy_store` copied (and verified)."""

    incidents: int
    events: int
    deliveries: dict[str, int]


def copy_store(src: Store, dst: Store, *, batch: int = 1000) -> CopyReport:
    """Copy every event, incident and delivery of ``src`` into the empty store ``dst``.

    Events go in the source's order (each keeps its incident, sequence number, time, actor
    and data; global ids are the destination's own); each incident's projection is rebuilt
    from the copied events; deliveries keep their state, attempts, times and last error
    (leases are dropped). Before committing, the copy is verified: the same number of
    events, every incident's projection equal to the source's, the same deliveries per
    state. On any difference nothing is committed. Writers of ``src`` should be stopped
    meanwhile (a change made during the copy fails the verification).
    """
    if not isinstance(src, SqlStore) or not isinstance(dst, SqlStore):
        raise StoreError("store.copy_unsupported")
    if src.url == dst.url:
        raise StoreError("store.copy_same", url=dst.url)
    existing = counts(dst)
    if existing.incidents or existing.events or any(existing.deliveries.values()):
        raise StoreError(
            "store.copy_not_empty",
            url=dst.url,
            incidents=existing.incidents,
            events=existing.events,
        )
    with dst.transaction(write=True) as cur:
        ids = _copy_events(src, dst, cur, batch)
        incidents = _rebuild_snapshots(dst, cur)
        deliveries = _copy_deliveries(src, dst, cur, ids, batch)
        _verify(src, dst, cur, len(ids), deliveries)
    return CopyReport(incidents=incidents, events=len(ids), deliveries=deliveries)


def _copy_events(src: SqlStore, dst: SqlStore, cur: Any, batch: int) -> dict[int, int]:
    """Append the source's events in order; map source event ids to destination ids."""
    ids: dict[int, int] = {}
    after = 0
    while True:
        page = src.all_events(after, batch)
        if not page:
            return ids
        for event in page:
            stored = dst._insert_event(cur, event)
            ids[int(event.id)] = int(stored.id)  # type: ignore[arg-type]
        after = int(page[-1].id)  # type: ignore[arg-type]


def _rebuild_snapshots(dst: SqlStore, cur: Any) -> int:
    cur.execute("SELECT DISTINCT incident_id FROM events")
    incident_ids = [row[0] for row in cur.fetchall()]
    sql = dst.q(f"SELECT {dst._EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq")
    for incident_id in incident_ids:
        cur.execute(sql, (incident_id,))
        incident = project(dst._event(row) for row in cur.fetchall())
        dst._save_snapshot(cur, incident, new=True)
    return len(incident_ids)


def _copy_deliveries(
    src: SqlStore, dst: SqlStore, cur: Any, ids: dict[int, int], batch: int
) -> dict[str, int]:
    copied = {state: 0 for state in DELIVERY_STATES}
    now = dst.enc_time(utcnow())
    insert = dst.q(
        "INSERT INTO deliveries (event_id, incident_id, plugin, hook, state, attempts,"
        " next_attempt_at, created_at, updated_at, last_error, delivered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    select = src.q(
        f"SELECT {src._DELIVERY_COLUMNS} FROM deliveries WHERE id > ? ORDER BY id LIMIT ?"
    )
    after = 0
    while True:
        with src.transaction(write=False) as scur:
            scur.execute(select, (after, batch))
            page = [src._delivery(row) for row in scur.fetchall()]
        if not page:
            return copied
        for d in page:
            if d.event_id not in ids:
                raise StoreError("store.copy_changed", url=src.url)
            cur.execute(
                insert,
                (
                    ids[d.event_id],
                    d.incident_id,
                    d.plugin,
                    d.hook,
                    d.state,
                    d.attempts,
                    dst.enc_time(d.next_attempt_at),
                    dst.enc_time(d.created_at),
                    now,
                    d.last_error,
                    dst.enc_time(d.delivered_at),
                ),
            )
            copied[d.state] = copied.get(d.state, 0) + 1
        after = int(page[-1].id)


def _verify(
    src: SqlStore, dst: SqlStore, cur: Any, events: int, deliveries: dict[str, int]
) -> None:
    """Compare the copy (inside its transaction) with the source; raise on a difference."""
    cur.execute("SELECT COUNT(*) FROM events")
    copied = int(cur.fetchone()[0])
    source = src.count_events()
    if not copied == events == source:
        raise StoreError("store.copy_mismatch_events", source=source, copied=copied)
    cur.execute("SELECT id, snapshot FROM incidents")
    copies = {row[0]: row[1] for row in cur.fetchall()}
    seen = 0
    for incident in src.incidents():
        seen += 1
        theirs = dumps(serde.unstructure(incident))
        ours = copies.get(incident.id)
        if ours is None or dumps(serde.unstructure(dst._decode_incident(ours))) != theirs:
            raise StoreError("store.copy_mismatch_incident", id=incident.id, url=src.url)
    if seen != len(copies):
        raise StoreError("store.copy_mismatch_count", source=seen, copied=len(copies))
    source_states = counts(src).deliveries
    if {k: v for k, v in source_states.items() if v} != {k: v for k, v in deliveries.items() if v}:
        raise StoreError(
            "store.copy_mismatch_deliveries",
            source=_states(source_states),
            copied=_states(deliveries),
        )


def _states(by_state: dict[str, int]) -> str:
    return ", ".join(f"{state} {n}" for state, n in sorted(by_state.items()) if n) or "0"


__all__ = [
    "DELIVERY_STATES",
    "SCHEMA_VERSION",
    "CopyReport",
    "Counts",
    "backend_name",
    "copy_store",
    "counts",
    "is_postgres",
    "stored_version",
]
