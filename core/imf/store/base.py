"""The store interface: narrow enough that a backend is a few SQL statements.

A store keeps three things: the append-only event log, a snapshot of each incident's
projection (for fast reads), and the outbox of deliveries. Every change happens inside
:meth:`Store.write`, one transaction: load the incident (locked against concurrent writers),
append events (the snapshot follows), enqueue deliveries.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from imf.model import Delivery, Event, Incident


class IncidentRow(NamedTuple):
    """The columns ``imf list`` shows, read without decoding the whole incident (nor
    importing the model)."""

    id: str
    number: int
    title: str
    severity: str
    status: str
    declared_at: datetime
    resolved_at: datetime | None
    services: tuple[str, ...]


class ClaimedDelivery(NamedTuple):
    """A delivery leased to one worker, with its event."""

    delivery: Delivery
    event: Event


class WriteTx(abc.ABC):
    """One write transaction."""

    @abc.abstractmethod
    def next_number(self) -> int:
        """A new incident number, unique in the store."""

    @abc.abstractmethod
    def load(self, incident_id: str) -> Incident:
        """The incident, locked until the transaction ends (NotFoundError if absent)."""

    @abc.abstractmethod
    def append(
        self, incident: Incident | None, events: Sequence[Event]
    ) -> tuple[Incident, list[Event]]:
        """Append ``events`` to ``incident`` (None for a new one); return the new state and the
        stored events (with ``id`` and ``seq``)."""

    @abc.abstractmethod
    def enqueue(self, event: Event, targets: Sequence[tuple[str, str]], now: datetime) -> list[int]:
        """Record one pending delivery of ``event`` per ``(plugin, hook)``; return their ids."""


class Store(abc.ABC):
    """An event-log store (see the module docstring)."""

    url: str
    schema_version: int

    @abc.abstractmethod
    def write(self) -> AbstractContextManager[WriteTx]:
        """A write transaction (committed on success, rolled back on error)."""

    @abc.abstractmethod
    def get(self, incident_id: str) -> Incident:
        """The incident's current state (NotFoundError if absent)."""

    def refs(self, incident_id: str) -> dict[str, dict[str, Any]]:
        """The incident's references per plugin (a backend may read them without decoding
        the whole incident)."""
        return self.get(incident_id).refs

    @abc.abstractmethod
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
        """Incidents for listings, newest first."""

    @abc.abstractmethod
    def incidents(
        self, *, open_only: bool = False, since: datetime | None = None
    ) -> Iterator[Incident]:
        """Full incidents (decoded snapshots), oldest first."""

    @abc.abstractmethod
    def events(self, incident_id: str, *, upto_seq: int | None = None) -> list[Event]:
        """The incident's events, oldest first (NotFoundError if absent)."""

    @abc.abstractmethod
    def all_events(self, after_id: int = 0, limit: int = 1000) -> list[Event]:
        """Events of every incident in store order, after global id ``after_id``."""

    @abc.abstractmethod
    def count_events(self) -> int:
        """How many events the store holds."""

    @abc.abstractmethod
    def deliveries(
        self, *, incident_id: str | None = None, states: Sequence[str] = ("pending", "dead")
    ) -> list[Delivery]:
        """Deliveries in the given states."""

    @abc.abstractmethod
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
        """Lease due deliveries to ``worker``: pending, due, not leased by a live worker, and
        first in line for their (incident, plugin) — a later event never overtakes an earlier
        pending one. Each delivery is claimed by one worker only."""

    @abc.abstractmethod
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
        """Record an attempt's outcome if ``worker`` still holds the lease; store ``refs`` on
        the incident and append ``timeline`` (a delivery_dead event) in the same transaction."""

    @abc.abstractmethod
    def requeue(
        self, *, delivery_id: int | None = None, all_dead: bool = False, now: datetime
    ) -> int:
        """Make dead (or given) deliveries pending and due now; return how many."""

    @abc.abstractmethod
    def next_due(self) -> datetime | None:
        """When the earliest pending delivery is due (None when there is none)."""

    @abc.abstractmethod
    def rebuild(self) -> int:
        """Rebuild every snapshot from events; return how many incidents."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections."""
