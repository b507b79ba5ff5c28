"""The incident is a projection of its events: replaying them gives the same incident."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imf import serde
from imf.errors import ImfError
from imf.projection import project
from imf.store.sqlite import SQLiteStore

texts = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())
people = st.sampled_from(["alice", "bob", "carol", "дмитрий"])
roles = st.sampled_from(["commander", "tech-lead", "comms-lead", "scribe", "sme", "ic"])
statuses = st.sampled_from(["investigating", "identified", "mitigating", "monitoring"])
severities = st.sampled_from(["P1", "P2", "P3", "P4", "p2"])

commands = st.one_of(
    st.tuples(st.just("update"), statuses, texts, st.lists(texts, max_size=3)),
    st.tuples(st.just("escalate"), severities, texts),
    st.tuples(st.just("assign"), roles, people),
    st.tuples(st.just("unassign"), roles, st.none() | people),
    st.tuples(st.just("note"), texts, st.booleans()),
    st.tuples(st.just("ack")),
    st.tuples(st.just("resolve"), texts),
    st.tuples(st.just("reopen"), texts),
    st.tuples(st.just("record"), st.sampled_from(["checked", "unchecked"]), texts),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=texts,
    severity=severities,
    steps=st.lists(commands, max_size=25),
    minutes=st.lists(st.integers(0, 600), min_size=30, max_size=30),
)
def test_rebuilding_from_events_gives_the_same_incident(imf_app, title, severity, steps, minutes):
    clock_times = iter(
        datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=sum(minutes[: i + 1]))
        for i in range(len(minutes))
    )
    with tempfile.TemporaryDirectory() as tmp:
        app = imf_app(store=f"sqlite:///{tmp}/imf.db", clock=lambda: next(clock_times))
        service = app.service
        incident, _ = service.declare(title, severity=severity, services=["api"])
        for step in steps:
            name, *args = step
            try:
                if name == "update":
                    service.update(incident.id, status=args[0], summary=args[1], since_last=args[2])
                elif name == "escalate":
                    service.escalate(incident.id, args[0], reason=args[1])
                elif name == "assign":
                    service.assign(incident.id, args[0], args[1])
                elif name == "unassign":
                    service.unassign(incident.id, args[0], args[1])
                elif name == "note":
                    service.note(incident.id, args[0], key=args[1])
                elif name == "ack":
                    service.acknowledge(incident.id)
                elif name == "resolve":
                    service.resolve(incident.id, summary=args[0])
                elif name == "reopen":
                    service.reopen(incident.id, reason=args[0])
                elif name == "record":
                    service.record(incident.id, args[0], {"item": args[1]})
            except (ImfError, StopIteration):
                pass  # refused changes record nothing; the property must hold regardless
        stored = app.store.get(incident.id)
        events = app.store.events(incident.id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert serde.unstructure(project(events)) == serde.unstructure(stored)
        app.store.rebuild()
        assert serde.unstructure(app.store.get(incident.id)) == serde.unstructure(stored)
        # A fresh store opened on the same file reads the same state.
        reopened = SQLiteStore(Path(tmp) / "imf.db")
        assert serde.unstructure(reopened.get(incident.id)) == serde.unstructure(stored)
        reopened.close()
        app.close()


def test_events_cannot_be_edited_or_deleted(imf_app):
    import sqlite3

    import pytest

    app = imf_app()
    incident, _ = app.service.declare("x", severity="P3")
    conn = sqlite3.connect(app.store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET actor = 'mallory'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()
    assert app.store.events(incident.id)[0].actor == "tester"
