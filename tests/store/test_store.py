"""The store interface behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from imf import serde
from imf.errors import ConflictError, NotFoundError, StoreError
from imf.model import Event, utcnow
from imf.projection import project
from imf.store import open_store
from imf.store.sql import SCHEMA_VERSION
from tests.store.support import Recorder, declare, note

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def unstructured(value):
    return serde.unstructure(value)


@pytest.fixture
def app(imf_app, imf_config, store_url):
    imf_config({"plugins": {"rec": {}}})
    recorder = Recorder()
    built = imf_app(store=store_url, plugins={"rec": recorder})
    built.recorder = recorder
    return built


def test_lifecycle_projection_equals_events_and_survives_rebuild(app):
    service = app.service
    incident, _ = service.declare("Checkout failing", severity="P1", services=["checkout", "api"])
    service.update(incident.id, status="identified", summary="Bad deploy 1.4.2")
    service.assign(incident.id, "commander", "alice")
    service.note(incident.id, "Rolled back canary")
    service.escalate(incident.id, "P2", reason="Fewer users affected")
    service.resolve(incident.id, summary="Rolled back", force_reason="verified by hand")
    other, _ = service.declare("Search slow", severity="P3", services=["search"])

    store = app.store
    for item in (incident, other):
        events = store.events(item.id)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert unstructured(store.get(item.id)) == unstructured(project(events))
    before = {i.id: unstructured(i) for i in store.incidents()}
    assert store.rebuild() == 2
    assert {i.id: unstructured(i) for i in store.incidents()} == before
    resolved = store.get(incident.id)
    assert resolved.status.value == "resolved" and resolved.severity == "P2"
    assert resolved.refs["rec"]["seen"] == resolved.version - 1  # the external_ref came last
    assert [c[1] for c in app.recorder.calls if c[0] == incident.id] == [
        "declared",
        "update_posted",
        "escalated",
        "resolved",
    ]
    assert store.count_events() == len(store.all_events(0, 1000))


def test_rows_filter_and_order(store):
    declare(store, "one", at=T0, severity="P1", services=["api"])
    declare(store, "two", at=T0 + timedelta(hours=1), severity="P2", services=["db"])
    third, _ = declare(store, "three", at=T0 + timedelta(hours=2), services=["api", "db"])
    note(store, third.id, "resolving", kind="resolved", at=T0 + timedelta(hours=3))

    assert [r.id for r in store.rows()] == ["INC-3", "INC-2", "INC-1"]
    assert [r.id for r in store.rows(open_only=True)] == ["INC-2", "INC-1"]
    assert [r.id for r in store.rows(severity="P2")] == ["INC-3", "INC-2"]
    assert [r.id for r in store.rows(status="resolved")] == ["INC-3"]
    assert [r.id for r in store.rows(service="api")] == ["INC-3", "INC-1"]
    assert [r.id for r in store.rows(since=T0 + timedelta(minutes=30))] == ["INC-3", "INC-2"]
    assert [r.id for r in store.rows(until=T0 + timedelta(hours=1))] == ["INC-1"]
    assert [r.id for r in store.rows(limit=1)] == ["INC-3"]
    row = store.rows(limit=1)[0]
    assert row.services == ("api", "db") and row.resolved_at == T0 + timedelta(hours=3)
    assert [i.id for i in store.incidents(open_only=True)] == ["INC-1", "INC-2"]


def test_times_keep_microseconds_and_come_back_in_utc(store):
    moscow = T0.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Moscow"))
    incident, _ = declare(store, at=moscow)
    stored = store.events(incident.id)[0]
    assert stored.at == T0 and stored.at.tzinfo == UTC
    assert store.get(incident.id).declared_at == T0
    assert store.rows()[0].declared_at == T0


def test_unknown_incident_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.get("INC-9")
    with pytest.raises(NotFoundError):
        store.events("INC-9")
    with pytest.raises(NotFoundError), store.write() as tx:
        tx.load("INC-9")


def test_numbers_stay_unique_when_declared_concurrently(store):
    made: list[str] = []
    errors: list[BaseException] = []

    def declare_some() -> None:
        try:
            for _ in range(10):
                made.append(declare(store)[0].id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=declare_some) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(made) == sorted({f"INC-{n}" for n in range(1, 61)})
    assert len(store.rows()) == 60


def test_concurrent_writers_to_one_incident_are_serialised(store):
    incident, _ = declare(store)
    errors: list[BaseException] = []

    def write_notes(who: str) -> None:
        try:
            for n in range(15):
                note(store, incident.id, f"{who} {n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write_notes, args=(w,)) for w in "abc"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    final = store.get(incident.id)
    assert final.version == 46 and len(final.notes) == 45
    assert [e.seq for e in store.events(incident.id)] == list(range(1, 47))


def test_appending_to_a_stale_incident_is_a_conflict_and_records_nothing(store):
    incident, _ = declare(store)
    stale = store.get(incident.id)
    note(store, incident.id, "someone else was faster")
    extra = Event(
        incident_id=incident.id, kind="note_added", at=utcnow(), actor="x", data={"text": "mine"}
    )
    with pytest.raises(ConflictError) as caught, store.write() as tx:
        tx.append(stale, [extra])
    assert caught.value.key == "store.conflict"
    assert "INC-1" in str(caught.value) and "version 2" in str(caught.value)
    with pytest.raises(ConflictError), store.write() as tx:
        tx.load(incident.id)
        tx.append(stale, [extra])
    assert [n.text for n in store.get(incident.id).notes] == ["someone else was faster"]
    assert store.count_events() == 2


def test_events_are_append_only_in_the_database(store):
    declare(store)
    with pytest.raises(Exception, match="append-only"), store.transaction(write=True) as cur:
        cur.execute("UPDATE events SET kind = 'tampered'")
    with pytest.raises(Exception, match="append-only"), store.transaction(write=True) as cur:
        cur.execute("DELETE FROM events")
    assert [e.kind for e in store.events("INC-1")] == ["declared"]


# --- the outbox ------------------------------------------------------------------------------


def claim_ids(store, worker, now, lease=timedelta(minutes=1), **kw):
    return [c.delivery.id for c in store.claim(worker, now, now + lease, **kw)]


def test_deliveries_of_one_incident_and_plugin_go_out_in_order(store):
    a, (a1, a1b) = declare(store, targets=[("p", "imf_declare"), ("q", "imf_declare")])
    _, (a2,) = note(store, a.id, "second", targets=[("p", "imf_update")])
    _, (a3,) = note(store, a.id, "third", targets=[("p", "imf_update")])
    _, (b1,) = declare(store, targets=[("p", "imf_declare")])
    now = utcnow()

    # Only the head of each (incident, plugin) chain is claimable.
    assert sorted(claim_ids(store, "w", now)) == sorted([a1, a1b, b1])
    assert store.finish(a1, "w", state="delivered", now=now)
    assert claim_ids(store, "w", now) == [a2]
    # A retry keeps the chain waiting: a later event never overtakes.
    retry_at = now + timedelta(seconds=30)
    assert store.finish(a2, "w", state="pending", now=now, next_attempt_at=retry_at, error="503")
    assert claim_ids(store, "w", now) == []
    assert {d.id: d.next_attempt_at for d in store.deliveries()}[a2] == retry_at
    assert claim_ids(store, "w", retry_at) == [a2]
    assert store.finish(a2, "w", state="dead", now=retry_at, error="410 Gone")
    # A dead delivery no longer holds the chain.
    assert claim_ids(store, "w", retry_at) == [a3]
    claimed = store.claim("w2", retry_at, retry_at, ids=[a3])
    assert claimed == []  # still leased to "w"


def test_claims_are_exclusive_between_workers(store):
    for _ in range(40):
        declare(store, targets=[("p", "imf_declare"), ("q", "imf_declare")])
    now = utcnow()
    got: dict[str, list[int]] = {}
    barrier = threading.Barrier(4)

    def work(name: str) -> None:
        barrier.wait()
        mine: list[int] = []
        while batch := claim_ids(store, name, now, limit=7):
            mine.extend(batch)
        got[name] = mine

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for ids in got.values() for i in ids]
    assert len(everything) == 80 and len(set(everything)) == 80
    leased = store.deliveries(states=("pending",))
    assert len(leased) == 80


def test_expired_lease_is_reclaimed_and_the_old_worker_cannot_finish(store):
    incident, (first,) = declare(store, targets=[("p", "imf_declare")])
    now = utcnow()
    assert claim_ids(store, "dead-worker", now, lease=timedelta(seconds=10)) == [first]
    assert claim_ids(store, "other", now + timedelta(seconds=5)) == []
    later = now + timedelta(seconds=11)
    reclaimed = store.claim("other", later, later + timedelta(minutes=1))
    assert [c.delivery.id for c in reclaimed] == [first]
    assert reclaimed[0].event.kind == "declared" and reclaimed[0].event.incident_id == incident.id
    assert not store.finish(first, "dead-worker", state="delivered", now=later, refs={"x": 1})
    assert store.finish(first, "other", state="delivered", now=later, refs={"ticket": "T-1"})
    assert not store.finish(first, "other", state="delivered", now=later)
    (done,) = store.deliveries(states=("delivered",))
    assert done.attempts == 1 and done.delivered_at == later
    assert store.get(incident.id).refs == {"p": {"ticket": "T-1"}}


def test_finish_records_a_dead_delivery_on_the_timeline(store):
    incident, (first,) = declare(store, targets=[("p", "imf_declare")])
    now = utcnow()
    claim_ids(store, "w", now)
    timeline = Event(
        incident_id=incident.id,
        kind="delivery_dead",
        at=now,
        actor="plugin:p",
        data={"plugin": "p", "hook": "imf_declare", "event_seq": 1, "error": "gone"},
    )
    assert store.finish(first, "w", state="dead", now=now, error="gone", timeline=timeline)
    assert [e.kind for e in store.events(incident.id)] == ["declared", "delivery_dead"]
    (dead,) = store.deliveries(states=("dead",))
    assert dead.last_error == "gone"


def test_requeue_makes_dead_deliveries_due_again(store):
    declare(store, targets=[("p", "imf_declare")])
    declare(store, targets=[("p", "imf_declare")])
    now = utcnow()
    first, second = claim_ids(store, "w", now)
    for delivery_id in (first, second):
        store.finish(delivery_id, "w", state="dead", now=now, error="boom")
    later = now + timedelta(minutes=5)
    assert store.requeue(delivery_id=first, now=later) == 1
    assert store.requeue(delivery_id=999, now=later) == 0
    assert store.requeue(all_dead=True, now=later) == 1
    pending = store.deliveries(states=("pending",))
    assert [(d.id, d.attempts, d.next_attempt_at) for d in pending] == [
        (first, 0, later),
        (second, 0, later),
    ]
    assert sorted(claim_ids(store, "w2", later)) == [first, second]


# --- schema ----------------------------------------------------------------------------------


def test_migrations_are_idempotent(store_url):
    first = open_store(store_url)
    declare(first)
    first.close()
    for _ in range(2):
        again = open_store(store_url)
        assert again.migrate() == SCHEMA_VERSION
        assert again.get("INC-1").title == "API errors"
        again.close()


def test_a_store_from_a_newer_imf_is_refused(store_url):
    store = open_store(store_url)
    with store.transaction(write=True) as cur:
        if store_url.startswith("sqlite"):
            cur.execute("PRAGMA user_version = 99")
        else:
            cur.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(StoreError) as caught:
        open_store(store_url)
    assert caught.value.key == "core.store_too_new"
    assert "99" in str(caught.value) and "upgrade imf" in str(caught.value)


def test_opening_a_current_sqlite_store_does_not_wait_for_a_writer(tmp_path, monkeypatch):
    import sqlite3

    from imf.store import sqlite as backend

    path = tmp_path / "imf.db"
    backend.SQLiteStore(path).close()  # created and migrated
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    monkeypatch.setattr(backend, "BUSY_TIMEOUT_SECONDS", 0.2)
    try:
        store = backend.SQLiteStore(path)
        assert store.rows() == []  # opened and read while the lock is held
        store.close()
    finally:
        writer.rollback()
        writer.close()
