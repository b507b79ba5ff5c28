"""The SQL both built-in backends share; a backend supplies connection, dialect and locking.

Statements are written with ``?`` placeholders; :meth:`SqlStore.q` adapts them.
"""

from __future__ import annotations

import abc
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from imf.clock import as_utc
from imf.errors import ConflictError, NotFoundError
from imf.store.base import ClaimedDelivery, IncidentRow, Store, WriteTx

if TYPE_CHECKING:
    from imf.model import Delivery, Event, Incident

# The model (attrs classes) is imported by the methods that build model objects: a command
# that reads only incident rows (``imf list``) does without it.

SCHEMA_VERSION = 1


def _prefixed(alias: str, columns: str) -> str:
    """``"a, b"`` → ``"d.a, d.b"``."""
    return ", ".join(f"{alias}.{c.strip()}" for c in columns.split(","))


def dumps(data: Any) -> str:
    """Compact JSON for storage."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _stored(value: Any) -> Any:
    """``value`` as it reads back from a stored snapshot."""
    from imf import serde

    return json.loads(dumps(serde.unstructure(value)))


class SqlStore(Store):
    """Shared implementation over a DB-API connection."""

    schema_version = SCHEMA_VERSION
    placeholder = "?"
    lock_suffix = ""  # "FOR UPDATE" where rows can be locked
    skip_locked_suffix = ""  # "FOR UPDATE SKIP LOCKED" where supported

    def __init__(self) -> None:
        self._lock = threading.RLock()

    # --- backend hooks ---------------------------------------------------------------------

    @abc.abstractmethod
    def connection(self) -> Any:
        """The DB-API connection for the calling thread."""

    @abc.abstractmethod
    def transaction(self, *, write: bool) -> AbstractContextManager[Any]:
        """A transaction on :meth:`connection`; yields a cursor."""

    @abc.abstractmethod
    def next_number_sql(self, cur: Any) -> int:
        """A new incident number."""

    def enc_time(self, value: datetime | None) -> Any:
        """A time as stored (fixed-width UTC text, so text order is time order)."""
        if value is None:
            return None
        return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def dec_time(self, value: Any) -> datetime | None:
        """The inverse of :meth:`enc_time`."""
        if value is None:
            return None
        if isinstance(value, datetime):
            return as_utc(value)
        return as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))

    def q(self, sql: str) -> str:
        """``sql`` with the backend's placeholders."""
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    # --- reads -----------------------------------------------------------------------------

    def _decode_incident(self, snapshot: str) -> Incident:
        from imf import serde
        from imf.model import Incident

        return serde.structure(json.loads(snapshot), Incident)

    def get(self, incident_id: str) -> Incident:
        with self.transaction(write=False) as cur:
            cur.execute(self.q("SELECT snapshot FROM incidents WHERE id = ?"), (incident_id,))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError("core.incident_not_found", id=incident_id)
        return self._decode_incident(row[0])

    def refs(self, incident_id: str) -> dict[str, dict[str, Any]]:
        with self.transaction(write=False) as cur:
            cur.execute(self.q("SELECT snapshot FROM incidents WHERE id = ?"), (incident_id,))
            row = cur.fetchone()
        if row is None:
            raise NotFoundError("core.incident_not_found", id=incident_id)
        refs: dict[str, dict[str, Any]] = json.loads(row[0]).get("refs") or {}
        return refs

    def rows(
        self,
        *,
        open_only: bool = False,
        severity: str | None = None,
        status: str | None = None,
        service: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[IncidentRow]:
        where, params = self._filters(open_only, severity, status, service, since, until)
        sql = (
            "SELECT id, number, title, severity, status, declared_at, resolved_at, services "
            f"FROM incidents {where} ORDER BY number DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.transaction(write=False) as cur:
            cur.execute(self.q(sql), params)
            fetched = cur.fetchall()
        return [
            IncidentRow(
                id=r[0],
                number=r[1],
                title=r[2],
                severity=r[3],
                status=r[4],
                declared_at=self.dec_time(r[5]),  # type: ignore[arg-type]
                resolved_at=self.dec_time(r[6]),
                services=tuple(json.loads(r[7] or "[]")),
            )
            for r in fetched
        ]

    def _filters(
        self,
        open_only: bool,
        severity: str | None,
        status: str | None,
        service: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if open_only:
            clauses.append("status <> 'resolved'")
        if severity:
            clauses.append("severity = ?")
            params.append(severity)
        if status:
            clauses.append("status = ?")
            params.append(status)
        if service:
            clauses.append("services LIKE ?")
            params.append("%" + json.dumps(service, ensure_ascii=False) + "%")
        if since:
            clauses.append("declared_at >= ?")
            params.append(self.enc_time(since))
        if until:
            clauses.append("declared_at < ?")
            params.append(self.enc_time(until))
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def incidents(
        self, *, open_only: bool = False, since: datetime | None = None
    ) -> Iterator[Incident]:
        where, params = self._filters(open_only, None, None, None, since, None)
        with self.transaction(write=False) as cur:
            cur.execute(self.q(f"SELECT snapshot FROM incidents {where} ORDER BY number"), params)
            fetched = cur.fetchall()
        for (snapshot,) in fetched:
            yield self._decode_incident(snapshot)

    def _event(self, row: Sequence[Any]) -> Event:
        from imf.model import Event

        return Event(
            id=row[0],
            incident_id=row[1],
            seq=row[2],
            kind=row[3],
            at=self.dec_time(row[4]),  # type: ignore[arg-type]
            actor=row[5],
            data=json.loads(row[6]),
        )

    _EVENT_COLUMNS = "id, incident_id, seq, kind, at, actor, data"

    def events(self, incident_id: str, *, upto_seq: int | None = None) -> list[Event]:
        sql = f"SELECT {self._EVENT_COLUMNS} FROM events WHERE incident_id = ?"
        params: list[Any] = [incident_id]
        if upto_seq is not None:
            sql += " AND seq <= ?"
            params.append(upto_seq)
        with self.transaction(write=False) as cur:
            cur.execute(self.q(sql + " ORDER BY seq"), params)
            fetched = cur.fetchall()
        if not fetched:
            raise NotFoundError("core.incident_not_found", id=incident_id)
        return [self._event(r) for r in fetched]

    def all_events(self, after_id: int = 0, limit: int = 1000) -> list[Event]:
        with self.transaction(write=False) as cur:
            cur.execute(
                self.q(
                    f"SELECT {self._EVENT_COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?"
                ),
                (after_id, limit),
            )
            return [self._event(r) for r in cur.fetchall()]

    def count_events(self) -> int:
        with self.transaction(write=False) as cur:
            cur.execute("SELECT COUNT(*) FROM events")
            return int(cur.fetchone()[0])

    _DELIVERY_COLUMNS = (
        "id, event_id, incident_id, plugin, hook, state, attempts, next_attempt_at, created_at, "
        "last_error, delivered_at"
    )

    def _delivery(self, row: Sequence[Any]) -> Delivery:
        from imf.model import Delivery

        return Delivery(
            id=row[0],
            event_id=row[1],
            incident_id=row[2],
            plugin=row[3],
            hook=row[4],
            state=row[5],
            attempts=row[6],
            next_attempt_at=self.dec_time(row[7]),  # type: ignore[arg-type]
            created_at=self.dec_time(row[8]),  # type: ignore[arg-type]
            last_error=row[9] or "",
            delivered_at=self.dec_time(row[10]),
        )

    def deliveries(
        self, *, incident_id: str | None = None, states: Sequence[str] = ("pending", "dead")
    ) -> list[Delivery]:
        marks = ", ".join("?" for _ in states)
        sql = f"SELECT {self._DELIVERY_COLUMNS} FROM deliveries WHERE state IN ({marks})"
        params: list[Any] = list(states)
        if incident_id:
            sql += " AND incident_id = ?"
            params.append(incident_id)
        with self.transaction(write=False) as cur:
            cur.execute(self.q(sql + " ORDER BY id"), params)
            return [self._delivery(r) for r in cur.fetchall()]

    def next_due(self) -> datetime | None:
        with self.transaction(write=False) as cur:
            cur.execute("SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'")
            row = cur.fetchone()
        return self.dec_time(row[0]) if row else None

    # --- writes ----------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[WriteTx]:
        with self.transaction(write=True) as cur:
            yield _SqlWriteTx(self, cur)

    def _save_snapshot(self, cur: Any, incident: Incident, new: bool) -> None:
        from imf import serde

        values = (
            incident.title,
            incident.severity,
            incident.status.value,
            self.enc_time(incident.declared_at),
            self.enc_time(incident.acknowledged_at),
            self.enc_time(incident.mitigated_at),
            self.enc_time(incident.resolved_at),
            dumps(list(incident.services)),
            incident.version,
            dumps(serde.unstructure(incident)),
        )
        if new:
            cur.execute(
                self.q(
                    "INSERT INTO incidents (title, severity, status, declared_at, acknowledged_at,"
                    " mitigated_at, resolved_at, services, version, snapshot, id, number)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (*values, incident.id, incident.number),
            )
        else:
            cur.execute(
                self.q(
                    "UPDATE incidents SET title = ?, severity = ?, status = ?, declared_at = ?,"
                    " acknowledged_at = ?, mitigated_at = ?, resolved_at = ?, services = ?,"
                    " version = ?, snapshot = ? WHERE id = ?"
                ),
                (*values, incident.id),
            )

    def _insert_event(self, cur: Any, event: Event) -> Event:
        from imf import serde
        from imf.model import Event

        cur.execute(
            self.q(
                "INSERT INTO events (incident_id, seq, kind, at, actor, data)"
                " VALUES (?, ?, ?, ?, ?, ?) RETURNING id"
            ),
            (
                event.incident_id,
                event.seq,
                event.kind,
                self.enc_time(event.at),
                event.actor,
                dumps(serde.unstructure(dict(event.data))),
            ),
        )
        return Event(
            incident_id=event.incident_id,
            kind=event.kind,
            at=event.at,
            actor=event.actor,
            data=event.data,
            seq=event.seq,
            id=int(cur.fetchone()[0]),
        )

    def claim(
        self,
        worker: str,
        now: datetime,
        lease_until: datetime,
        *,
        limit: int = 100,
        incident_id: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[ClaimedDelivery]:
        sql = (
            "SELECT d.id FROM deliveries d WHERE d.state = 'pending' AND d.next_attempt_at <= ?"
            " AND (d.lease_until IS NULL OR d.lease_until < ?)"
            " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id"
            " AND e.plugin = d.plugin AND e.state = 'pending' AND e.event_id < d.event_id)"
        )
        params: list[Any] = [self.enc_time(now), self.enc_time(now)]
        if incident_id:
            sql += " AND d.incident_id = ?"
            params.append(incident_id)
        if ids:
            sql += f" AND d.id IN ({', '.join('?' for _ in ids)})"
            params.extend(ids)
        sql += f" ORDER BY d.event_id, d.id LIMIT {int(limit)} {self.skip_locked_suffix}"
        with self.transaction(write=True) as cur:
            cur.execute(self.q(sql), params)
            chosen = [r[0] for r in cur.fetchall()]
            if not chosen:
                return []
            marks = ", ".join("?" for _ in chosen)
            cur.execute(
                self.q(
                    f"UPDATE deliveries SET lease_owner = ?, lease_until = ?, updated_at = ?"
                    f" WHERE id IN ({marks})"
                ),
                (worker, self.enc_time(lease_until), self.enc_time(now), *chosen),
            )
            cur.execute(
                self.q(
                    f"SELECT {_prefixed('d', self._DELIVERY_COLUMNS)},"
                    f" {_prefixed('e', self._EVENT_COLUMNS)}"
                    f" FROM deliveries d JOIN events e ON e.id = d.event_id"
                    f" WHERE d.id IN ({marks}) ORDER BY d.event_id, d.id"
                ),
                chosen,
            )
            width = len(self._DELIVERY_COLUMNS.split(","))
            return [
                ClaimedDelivery(self._delivery(r[:width]), self._event(r[width:]))
                for r in cur.fetchall()
            ]

    def finish(
        self,
        delivery_id: int,
        worker: str,
        *,
        state: str,
        now: datetime,
        next_attempt_at: datetime | None = None,
        error: str = "",
        refs: dict[str, Any] | None = None,
        timeline: Event | None = None,
    ) -> bool:
        with self.transaction(write=True) as cur:
            cur.execute(
                self.q(
                    "UPDATE deliveries SET state = ?, attempts = attempts + 1,"
                    " next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?,"
                    " delivered_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                    " WHERE id = ? AND lease_owner = ? AND state = 'pending'"
                    " RETURNING incident_id, plugin"
                ),
                (
                    state,
                    self.enc_time(next_attempt_at),
                    error[:2000],
                    self.enc_time(now) if state == "delivered" else None,
                    self.enc_time(now),
                    delivery_id,
                    worker,
                ),
            )
            row = cur.fetchone()
            if row is None:
                return False
            incident_id, plugin = row
            from imf.model import Event

            extra: list[Event] = []
            if refs:
                cur.execute(
                    self.q(f"SELECT snapshot FROM incidents WHERE id = ? {self.lock_suffix}"),
                    (incident_id,),
                )
                known = (json.loads(cur.fetchone()[0]).get("refs") or {}).get(plugin) or {}
                if any(known.get(k) != _stored(v) for k, v in refs.items()):
                    extra.append(
                        Event(
                            incident_id=incident_id,
                            kind="external_ref",
                            at=now,
                            actor=f"plugin:{plugin}",
                            data={"plugin": plugin, "refs": refs},
                        )
                    )
            if timeline is not None:
                extra.append(timeline)
            if extra:
                tx = _SqlWriteTx(self, cur)
                tx.append(tx.replay(incident_id), extra)
            return True

    def requeue(
        self, *, delivery_id: int | None = None, all_dead: bool = False, now: datetime
    ) -> int:
        with self.transaction(write=True) as cur:
            if all_dead:
                cur.execute(
                    self.q(
                        "UPDATE deliveries SET state = 'pending', next_attempt_at = ?,"
                        " attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                        " WHERE state = 'dead'"
                    ),
                    (self.enc_time(now), self.enc_time(now)),
                )
            else:
                cur.execute(
                    self.q(
                        "UPDATE deliveries SET state = 'pending', next_attempt_at = ?,"
                        " attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = ?"
                        " WHERE id = ? AND state IN ('dead', 'pending')"
                    ),
                    (self.enc_time(now), self.enc_time(now), delivery_id),
                )
            return int(cur.rowcount)

    def rebuild(self) -> int:
        from imf.projection import project

        count = 0
        with self.transaction(write=True) as cur:
            cur.execute("SELECT id FROM incidents ORDER BY number")
            for (incident_id,) in cur.fetchall():
                cur.execute(
                    self.q(
                        f"SELECT {self._EVENT_COLUMNS} FROM events WHERE incident_id = ?"
                        " ORDER BY seq"
                    ),
                    (incident_id,),
                )
                incident = project(self._event(r) for r in cur.fetchall())
                self._save_snapshot(cur, incident, new=False)
                count += 1
        return count


class _SqlWriteTx(WriteTx):
    def __init__(self, store: SqlStore, cur: Any) -> None:
        self.store = store
        self.cur = cur
        self._versions: dict[str, int] = {}  # incident id -> version locked in this transaction

    def next_number(self) -> int:
        return self.store.next_number_sql(self.cur)

    def replay(self, incident_id: str) -> Incident:
        """Like :meth:`load`, but projected from the incident's events rather than decoded
        from its snapshot: the same incident (see ``tests/core/test_projection.py``), and a
        delivery recording references in a short-lived process needs no decoder."""
        from imf.projection import project

        s = self.store
        self.cur.execute(
            s.q(f"SELECT version FROM incidents WHERE id = ? {s.lock_suffix}"), (incident_id,)
        )
        if self.cur.fetchone() is None:
            raise NotFoundError("core.incident_not_found", id=incident_id)
        self.cur.execute(
            s.q(f"SELECT {s._EVENT_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq"),
            (incident_id,),
        )
        incident = project(s._event(r) for r in self.cur.fetchall())
        self._versions[incident.id] = incident.version
        return incident

    def load(self, incident_id: str) -> Incident:
        s = self.store
        self.cur.execute(
            s.q(f"SELECT snapshot FROM incidents WHERE id = ? {s.lock_suffix}"), (incident_id,)
        )
        row = self.cur.fetchone()
        if row is None:
            raise NotFoundError("core.incident_not_found", id=incident_id)
        incident = s._decode_incident(row[0])
        self._versions[incident.id] = incident.version
        return incident

    def append(
        self, incident: Incident | None, events: Sequence[Event]
    ) -> tuple[Incident, list[Event]]:
        from imf.model import Event
        from imf.projection import apply, project

        stored: list[Event] = []
        seq = incident.version if incident is not None else 0
        new = incident is None
        if incident is not None:
            self._check_version(incident)
        for event in events:
            seq += 1
            event = Event(
                incident_id=event.incident_id,
                kind=event.kind,
                at=event.at,
                actor=event.actor,
                data=event.data,
                seq=seq,
            )
            stored_event = self.store._insert_event(self.cur, event)
            stored.append(stored_event)
            if incident is None:
                incident = project([stored_event])
            else:
                apply(incident, stored_event)
        if incident is None:
            raise ValueError("append needs at least one event for a new incident")
        self.store._save_snapshot(self.cur, incident, new=new)
        self._versions[incident.id] = incident.version
        return incident, stored

    def _check_version(self, incident: Incident) -> None:
        """Refuse to append to a stale copy of ``incident`` (optimistic concurrency)."""
        found = self._versions.get(incident.id)
        if found is None:  # not locked by this transaction yet: lock and read it now
            s = self.store
            self.cur.execute(
                s.q(f"SELECT version FROM incidents WHERE id = ? {s.lock_suffix}"), (incident.id,)
            )
            row = self.cur.fetchone()
            if row is None:
                raise NotFoundError("core.incident_not_found", id=incident.id)
            found = self._versions[incident.id] = int(row[0])
        if found != incident.version:
            raise ConflictError(
                "store.conflict", id=incident.id, expected=incident.version, found=found
            )

    def enqueue(self, event: Event, targets: Sequence[tuple[str, str]], now: datetime) -> list[int]:
        s = self.store
        ids = []
        for plugin, hook in targets:
            self.cur.execute(
                s.q(
                    "INSERT INTO deliveries (event_id, incident_id, plugin, hook, state, attempts,"
                    " next_attempt_at, created_at, updated_at, last_error)"
                    " VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, '') RETURNING id"
                ),
                (
                    event.id,
                    event.incident_id,
                    plugin,
                    hook,
                    s.enc_time(now),
                    s.enc_time(now),
                    s.enc_time(now),
                ),
            )
            ids.append(int(self.cur.fetchone()[0]))
        return ids
