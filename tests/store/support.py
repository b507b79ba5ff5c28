"""Helpers of the store tests: writing incidents and deliveries through the store API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import imf
from imf.model import Event, Incident, utcnow
from imf.store import Store


def declare(
    store: Store,
    title: str = "API errors",
    *,
    at: datetime | None = None,
    severity: str = "P2",
    services: Sequence[str] = ("api",),
    targets: Sequence[tuple[str, str]] = (),
) -> tuple[Incident, list[int]]:
    """Declare an incident in one write transaction; enqueue its event to ``targets``."""
    when = at or utcnow()
    with store.write() as tx:
        number = tx.next_number()
        event = Event(
            incident_id=f"INC-{number}",
            kind="declared",
            at=when,
            actor="alice",
            data={
                "number": number,
                "title": title,
                "severity": severity,
                "status": "investigating",
                "services": list(services),
            },
        )
        incident, stored = tx.append(None, [event])
        return incident, tx.enqueue(stored[0], targets, when)


def note(
    store: Store,
    incident_id: str,
    text: str,
    *,
    at: datetime | None = None,
    kind: str = "note_added",
    targets: Sequence[tuple[str, str]] = (),
) -> tuple[Incident, list[int]]:
    """Append one event to an incident (a note by default); enqueue it to ``targets``."""
    when = at or utcnow()
    with store.write() as tx:
        incident = tx.load(incident_id)
        event = Event(
            incident_id=incident_id,
            kind=kind,
            at=when,
            actor="bob",
            data={"text": text, "key": False},
        )
        incident, stored = tx.append(incident, [event])
        return incident, tx.enqueue(stored[0], targets, when)


class Recorder:
    """A lifecycle plugin that remembers what it was given; ``fail`` makes it raise."""

    def __init__(self, fail: BaseException | None = None) -> None:
        self.calls: list[tuple[str, str, int]] = []
        self.fail = fail

    def _record(self, incident: imf.Incident, event: imf.Event) -> dict[str, object]:
        if self.fail is not None:
            raise self.fail
        self.calls.append((incident.id, event.kind, event.seq or 0))
        return {"seen": event.seq, "links": {"Ticket": f"https://example.test/{incident.id}"}}

    @imf.hookimpl
    def imf_declare(self, incident, event, ctx):
        return self._record(incident, event)

    @imf.hookimpl
    def imf_update(self, incident, event, ctx):
        return self._record(incident, event)

    @imf.hookimpl
    def imf_escalate(self, incident, event, ctx):
        return self._record(incident, event)

    @imf.hookimpl
    def imf_resolve(self, incident, event, ctx):
        return self._record(incident, event)
