"""Real ``imf`` processes: crashes at every point lose nothing; concurrency sends once."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.delivery.support import CollectorFake, install_probes

pytestmark = pytest.mark.slow


@pytest.fixture
def collector():
    with CollectorFake() as fake:
        yield fake


@pytest.fixture
def env(imf_home, tmp_path):
    return {**imf_home.env, **install_probes(tmp_path / "site")}


def write_config(imf_home, url, lease=1.0, **probe):
    import tomli_w

    imf_home.config_path.write_text(
        tomli_w.dumps(
            {
                "imf": {
                    "delivery": {
                        "timeout": min(lease / 2, 3.0),
                        "lease": lease,
                        "backoff_base": 0.05,
                        "backoff_max": 0.2,
                    }
                },
                "plugins": {"probe": {"url": url, **probe}},
            }
        ),
        "utf-8",
    )


def imf(env, cwd, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "imf", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def store_counts(path, plugin="probe"):
    """Incidents, events, and the states of ``plugin``'s deliveries."""
    conn = sqlite3.connect(path)
    try:
        return {
            "incidents": conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0],
            "events": conn.execute("SELECT COUNT(*) FROM events").fetchone()[0],
            "deliveries": dict(
                conn.execute(
                    "SELECT state, COUNT(*) FROM deliveries WHERE plugin = ? GROUP BY state",
                    (plugin,),
                ).fetchall()
            ),
        }
    finally:
        conn.close()


@pytest.mark.parametrize("point", ["before_send", "after_send"])
def test_killed_while_delivering_is_completed_by_the_next_deliver(imf_home, env, collector, point):
    write_config(imf_home, collector.url, crash=point)
    crashed = imf(env, imf_home.path, "declare", "DB down", "-s", "P1")
    assert crashed.returncode == -signal.SIGKILL
    # The incident was committed before any plugin ran.
    counts = store_counts(imf_home.store_path)
    assert counts["incidents"] == 1 and counts["deliveries"] == {"pending": 1}
    sent_before = collector.keys()["probe:INC-1:1"]
    assert sent_before == (1 if point == "after_send" else 0)
    write_config(imf_home, collector.url)
    time.sleep(1.2)  # let the dead process's lease expire
    drained = imf(env, imf_home.path, "deliver")
    assert drained.returncode == 0, drained.stderr
    assert store_counts(imf_home.store_path)["deliveries"] == {"delivered": 1}, drained.stdout
    # At least once: after a crash past the remote's acceptance, the remote sees the same
    # idempotency key twice; plugins deduplicate with it.
    assert collector.keys()["probe:INC-1:1"] == sent_before + 1


DECLARER = r"""
import sys
from imf.app import App
app = App.create()
for i in range(int(sys.argv[1])):
    incident, _ = app.service.declare(f"incident {i}", severity="P3")
    app.service.update(incident.id, summary="looking")
"""


def test_kill_at_random_points_loses_nothing(imf_home, env, collector):
    write_config(imf_home, collector.url)
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", DECLARER, "1000"],
            env=env,
            cwd=imf_home.path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.6, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    conn = sqlite3.connect(imf_home.store_path)
    # Every incident is whole: its snapshot matches its events, and every event that plugins
    # get has its delivery.
    rows = conn.execute("SELECT id, version, snapshot FROM incidents").fetchall()
    assert rows
    for incident_id, version, snapshot in rows:
        seqs = [
            s
            for (s,) in conn.execute(
                "SELECT seq FROM events WHERE incident_id = ? ORDER BY seq", (incident_id,)
            )
        ]
        assert seqs == list(range(1, version + 1))
        assert json.loads(snapshot)["version"] == version
    lifecycle = conn.execute(
        "SELECT COUNT(*) FROM events WHERE kind IN ('declared', 'update_posted')"
    ).fetchone()[0]
    probe_deliveries = "SELECT COUNT(*) FROM deliveries WHERE plugin = 'probe'"
    assert conn.execute(probe_deliveries).fetchone()[0] == lifecycle
    conn.close()
    time.sleep(1.2)
    drained = imf(env, imf_home.path, "deliver")
    assert drained.returncode == 0, drained.stderr
    assert store_counts(imf_home.store_path)["deliveries"] == {"delivered": lifecycle}
    keys = collector.keys()
    assert len(keys) == lifecycle


UPDATER = r"""
import sys
from imf.app import App
app = App.create()
incident_id = sys.argv[1]
for i in range(int(sys.argv[2])):
    app.service.update(incident_id, summary=f"{sys.argv[3]} {i}")
app.close()
"""


def test_four_processes_and_a_worker_lose_no_event_and_send_nothing_twice(imf_home, env, collector):
    write_config(imf_home, collector.url, lease=30.0)
    for n in range(4):
        assert imf(env, imf_home.path, "declare", f"incident {n}", "-s", "P2").returncode == 0
    worker = subprocess.Popen(
        [sys.executable, "-m", "imf", "deliver", "--watch", "--interval", "0.2"],
        env=env,
        cwd=imf_home.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", UPDATER, f"INC-{(n % 4) + 1}", "100", f"p{n}"],
            env=env,
            cwd=imf_home.path,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    deadline = time.monotonic() + 120
    while (
        store_counts(imf_home.store_path)["deliveries"].get("pending")
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    _, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    counts = store_counts(imf_home.store_path)
    assert counts["deliveries"] == {"delivered": 404}
    conn = sqlite3.connect(imf_home.store_path)
    updates = conn.execute(
        "SELECT incident_id, COUNT(*) FROM events WHERE kind = 'update_posted' GROUP BY 1"
    ).fetchall()
    conn.close()
    assert sorted(updates) == [(f"INC-{n}", 100) for n in range(1, 5)]
    keys = collector.keys()
    assert len(keys) == 404 and set(keys.values()) == {1}
    # Per incident, the plugin received events in order.
    for n in range(1, 5):
        seqs = [seq for inc, _, seq in collector.kinds() if inc == f"INC-{n}"]
        assert seqs == sorted(seqs)


def test_a_hanging_plugin_does_not_hold_up_the_others(imf_home, env, collector):
    import tomli_w

    imf_home.config_path.write_text(
        tomli_w.dumps(
            {
                "imf": {"delivery": {"timeout": 1.0}},
                "plugins": {
                    "probe": {"url": collector.url, "hang": 30.0},
                    "probe2": {"url": collector.url},
                    "probe3": {"url": collector.url},
                },
            }
        ),
        "utf-8",
    )
    collector.fail_next(1, 502, path="/probe3")
    result = imf(env, imf_home.path, "declare", "Checkout down", "-s", "P1")
    assert result.returncode == 0, result.stderr
    assert "timed out after 1s" in result.stderr and "HTTP 502" in result.stderr
    assert collector.kinds("probe2") == [("INC-1", "declared", 1)]
    conn = sqlite3.connect(imf_home.store_path)
    states = dict(conn.execute("SELECT plugin, state FROM deliveries WHERE plugin LIKE 'probe%'"))
    conn.close()
    assert states == {"probe": "pending", "probe2": "delivered", "probe3": "pending"}
