"""Several ``imf deliver --watch`` processes share one PostgreSQL outbox.

Three real worker processes drain 3,000 deliveries (1,000 incidents, three events each) to a
loopback server that counts what it receives: each delivery arrives exactly once and, per
incident, in order. A worker killed with SIGKILL while it holds leases loses nothing: the
others take its deliveries over when the leases expire.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import tomli_w

from imf.delivery import Report
from imf.lifecycle import IncidentService
from imf.store import open_store
from imf.store.admin import counts
from tests.delivery.probe import probe
from tests.delivery.support import CollectorFake, install_probes

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

INCIDENTS = 1000
PER_INCIDENT = 3  # declared, two updates
TOTAL = INCIDENTS * PER_INCIDENT


@pytest.fixture
def collector() -> Iterator[CollectorFake]:
    with CollectorFake() as fake:
        yield fake


@pytest.fixture
def outbox(imf_home, imf_app, pg_database, collector, tmp_path):
    """A PostgreSQL store with TOTAL pending deliveries to the probe plugin; yields the
    environment for worker processes."""
    settings = {"plugins": {"probe": {"url": collector.url}}}
    app = imf_app(store=pg_database, plugins={"probe": probe}, overrides=settings)
    # The real service, minus the immediate delivery (the workers are to do all of it), with
    # deliveries to the probe only (plugins active by default are not what is measured).
    service = IncidentService(
        app.store,
        app.policy,
        lambda kind: [t for t in app.dispatcher.targets(kind) if t[0] == "probe"],
        lambda *_: Report(),
        app.actor,
    )
    for n in range(INCIDENTS):
        incident, _ = service.declare(f"incident {n}", severity="P3")
        service.update(incident.id, summary="looking")
        service.update(incident.id, summary="found it", status="identified")
    assert counts(app.store).deliveries["pending"] == TOTAL
    env = {**imf_home.env, **install_probes(tmp_path / "site"), "IMF_STORE": pg_database}
    yield env


def write_config(path, url, **delivery):
    path.write_text(
        tomli_w.dumps({"imf": {"delivery": delivery}, "plugins": {"probe": {"url": url}}}),
        "utf-8",
    )


def start_worker(env, cwd, extra_env=None):
    return subprocess.Popen(
        [sys.executable, "-m", "imf", "deliver", "--watch", "--interval", "0.2", "--json"],
        env={**env, **(extra_env or {})},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, what, seconds=300.0):
    """Poll ``condition`` until it holds (the deadline only stops a hung test)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def stop(workers):
    totals = []
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        totals.append(json.loads(out))
    return totals


def expected_keys():
    return {f"probe:INC-{n}:{seq}" for n in range(1, INCIDENTS + 1) for seq in (1, 2, 3)}


def assert_in_order(collector):
    arrivals: dict[str, list[int]] = {}
    for incident, _, seq in collector.kinds():
        arrivals.setdefault(incident, []).append(seq)
    assert len(arrivals) == INCIDENTS
    for seqs in arrivals.values():
        assert seqs == sorted(seqs)


def test_three_workers_deliver_each_of_3000_exactly_once_in_order(
    imf_home, outbox, pg_database, collector
):
    write_config(imf_home.config_path, collector.url, lease=120.0)
    workers = [start_worker(outbox, imf_home.path) for _ in range(3)]
    store = open_store(pg_database)
    try:
        wait_for(lambda: counts(store).deliveries["delivered"] == TOTAL, "every delivery")
        totals = stop(workers)
        assert counts(store).deliveries == {"pending": 0, "delivered": TOTAL, "dead": 0}
    finally:
        for worker in workers:
            worker.kill() if worker.poll() is None else None
        store.close()
    assert sum(t["delivered"] for t in totals) == TOTAL
    assert all(t["pending"] == t["dead"] == 0 for t in totals)
    keys = collector.keys()
    assert set(keys) == expected_keys() and set(keys.values()) == {1}
    assert_in_order(collector)


def test_a_worker_killed_holding_leases_loses_nothing(
    imf_home, outbox, pg_database, collector, tmp_path
):
    write_config(imf_home.config_path, collector.url, lease=10.0, timeout=2.0)
    # The victim is slow, so it is always in the middle of a batch it has leased.
    victim_config = tmp_path / "victim.toml"
    victim_config.write_text(
        tomli_w.dumps({"plugins": {"probe": {"hang": 1.0}}, "imf": {"delivery": {"timeout": 3.0}}}),
        "utf-8",
    )
    store = open_store(pg_database)
    victim = start_worker(outbox, imf_home.path, {"IMF_CONFIG": str(victim_config)})
    workers = []

    def leased_to_victim():
        with store.transaction(write=False) as cur:
            cur.execute(
                "SELECT 'probe:' || d.incident_id || ':' || e.seq FROM deliveries d"
                " JOIN events e ON e.id = d.event_id"
                " WHERE d.state = 'pending' AND d.lease_owner LIKE %s",
                (f"%:{victim.pid}:%",),
            )
            return {row[0] for row in cur.fetchall()}

    try:
        wait_for(lambda: leased_to_victim(), "the victim to lease deliveries")
        workers = [start_worker(outbox, imf_home.path) for _ in range(2)]
        wait_for(lambda: counts(store).deliveries["delivered"] >= 300, "the others to deliver")
        wait_for(lambda: leased_to_victim(), "the victim to hold leases")
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        held = leased_to_victim()
        assert held
        wait_for(lambda: counts(store).deliveries["delivered"] == TOTAL, "every delivery")
        stop(workers)
        assert counts(store).deliveries == {"pending": 0, "delivered": TOTAL, "dead": 0}
    finally:
        for worker in [victim, *workers]:
            worker.kill() if worker.poll() is None else None
        store.close()
    keys = collector.keys()
    assert set(keys) == expected_keys()
    # At least once: only what the victim held when it died may have arrived twice.
    assert {key for key, n in keys.items() if n > 1} <= held
    assert_in_order(collector)
