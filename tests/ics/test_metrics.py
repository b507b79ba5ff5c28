"""`imf metrics` against hand-computed fixtures (and a cross-check with Python's statistics)."""

from __future__ import annotations

import csv
import io
import random
import statistics
from datetime import timedelta

import pytest

from tests.ics.conftest import START
from tests.store.conftest import pg_database  # noqa: F401 - a fixture used below


@pytest.fixture(
    autouse=True, params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def backend(request, imf_home, monkeypatch):
    """Every metrics test runs on SQLite and on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_database")
        monkeypatch.setenv("IMF_STORE", url)
        imf_home.env["IMF_STORE"] = url
    return request.param


# Per incident: severity, services, minutes after its declaration of acknowledgement,
# mitigation (status monitoring) and resolution (None: did not happen).
FIXTURE = [
    ("P1", ["api", "db"], 5, 20, 60),
    ("P1", ["api"], 10, 40, 90),
    ("P1", ["db"], 30, 50, 150),
    ("P1", ["web"], None, None, None),
    ("P2", ["api"], 20, None, 120),
    ("P2", [], 40, None, None),
]


@pytest.fixture
def store(imf_app, clock):
    """The fixture incidents, each declared an hour after the previous one (from 14:00)."""
    app = imf_app(clock=clock)
    service = app.service
    for number, (severity, services, ack, mitigated, resolved) in enumerate(FIXTURE):
        clock.now = START + timedelta(hours=number)
        incident, _ = service.declare(
            f"Incident {number + 1}", severity=severity, services=services
        )
        base = clock.now
        steps = []
        if ack is not None:
            steps.append((ack, lambda i=incident.id: service.acknowledge(i)))
        if mitigated is not None:
            steps.append(
                (
                    mitigated,
                    lambda i=incident.id: service.update(i, status="monitoring", summary="ok"),
                )
            )
        if resolved is not None:
            steps.append((resolved, lambda i=incident.id: service.resolve(i, force_reason="test")))
        for minutes, act in sorted(steps, key=lambda s: s[0]):
            clock.now = base + timedelta(minutes=minutes)
            act()
    service.record(
        "INC-1",
        "reminder",
        {"reason": "update_overdue", "due_at": START.isoformat(), "detail": {"key": "update-0"}},
    )
    service.record(
        "INC-1",
        "reminder",
        {"reason": "update_overdue", "due_at": START.isoformat(), "detail": {"key": "update-1"}},
    )
    service.record(
        "INC-1",
        "reminder",
        {"reason": "roles_missing", "due_at": START.isoformat(), "detail": {"key": "scribe"}},
    )
    service.record(
        "INC-6",
        "reminder",
        {"reason": "update_overdue", "due_at": START.isoformat(), "detail": {"key": "update-0"}},
    )
    service.record("INC-1", "action_added", {"item": {"id": 1, "action": "Alert on pool"}})
    service.record("INC-1", "action_added", {"item": {"id": 2, "action": "Load test 3x"}})
    service.record("INC-1", "action_changed", {"id": 2, "changes": {"status": "done"}})
    service.record(
        "INC-5", "action_added", {"item": {"id": 1, "action": "Cap retries", "priority": "P1"}}
    )
    clock.now = START + timedelta(days=1)
    return app


def metrics(run, *args):
    result = run("metrics", "--json", *args)
    assert result.exit_code == 0, result
    return result.json()


def test_hand_computed_figures(store, run):
    data = metrics(run)
    assert (data["count"], data["open"]) == (6, 2)
    p1, p2 = data["severities"]["P1"], data["severities"]["P2"]
    assert (p1["count"], p1["open"], p2["count"], p2["open"]) == (4, 1, 2, 1)
    # P1 acknowledged after 5, 10 and 30 min: median 10 min; p90 between 10 and 30 min at 0.8.
    assert p1["time_to_acknowledge"] == {"count": 3, "median": 600.0, "p90": 1560.0, "mean": 900.0}
    assert p1["time_to_mitigate"] == {"count": 3, "median": 2400.0, "p90": 2880.0, "mean": 2200.0}
    assert p1["time_to_resolve"] == {"count": 3, "median": 5400.0, "p90": 8280.0, "mean": 6000.0}
    # P2 acknowledged after 20 and 40 min; the resolved one counts as mitigated when resolved.
    assert p2["time_to_acknowledge"] == {
        "count": 2,
        "median": 1800.0,
        "p90": 2280.0,
        "mean": 1800.0,
    }
    assert p2["time_to_mitigate"] == {"count": 1, "median": 7200.0, "p90": 7200.0, "mean": 7200.0}
    # Late: P1 acknowledged after 30 min and P1 never acknowledged; P2 acknowledged after 40 min.
    assert (p1["response_breaches"], p2["response_breaches"]) == (2, 1)
    assert (p1["response_target"], p2["response_target"]) == (900.0, 1800.0)
    assert p1["reminders"] == {"update_overdue": 2, "roles_missing": 1}
    assert (p1["cadence_breaches"], p2["cadence_breaches"]) == (2, 1)
    assert (data["response_breaches"], data["cadence_breaches"]) == (3, 3)
    assert data["services"] == {"api": 3, "db": 2, "web": 1}
    assert data["open_action_items"] == 2
    assert data["action_items_by_priority"] == {"P1": 1, "P2": 1}


def test_filters(store, run):
    only_p2 = metrics(run, "--severity", "p2")
    assert only_p2["count"] == 2 and list(only_p2["severities"]) == ["P2"]
    assert only_p2["open_action_items"] == 1
    db = metrics(run, "--service", "db")
    assert db["count"] == 2 and db["services"] == {"db": 2, "api": 1}
    window = metrics(run, "--since", "2026-03-14T15:00:00Z", "--until", "2026-03-14T17:00:00Z")
    assert window["count"] == 2
    assert window["severities"]["P1"]["time_to_acknowledge"]["median"] == 1200.0
    assert window["filters"]["since"] == "2026-03-14T15:00:00+00:00"
    recent = metrics(run, "--since", "12h")
    assert recent["count"] == 0 and recent["severities"] == {}
    assert metrics(run, "--since", "2026-03-14")["count"] == 6


def test_text_and_csv(store, run):
    text = run("metrics").stdout
    assert text.splitlines()[0] == "Incidents: 6, open: 2"
    assert "P1   4      1     10m / 26m / 15m" in text
    assert "Incidents per service: api 3, db 2, web 1" in text
    assert "Open action items: 2" in text
    russian = run("--lang", "ru", "metrics").stdout
    assert russian.splitlines()[0] == "Инцидентов: 6, открытых: 2"
    assert "Открытые задачи: 2" in russian
    rows = list(csv.reader(io.StringIO(run("metrics", "--csv").stdout)))
    assert rows[0] == ["scope", "name", "metric", "value"]
    values = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert values[("total", "", "incidents")] == "6"
    assert values[("severity", "P1", "time_to_acknowledge_p90_seconds")] == "1560.0"
    assert values[("severity", "P2", "time_to_resolve_median_seconds")] == "7200.0"
    assert values[("severity", "P2", "time_to_mitigate_mean_seconds")] == "7200.0"
    assert values[("service", "api", "incidents")] == "3"
    assert values[("action_items", "P1", "open")] == "1"
    both = run("metrics", "--json", "--csv")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_empty_store(run):
    data = metrics(run)
    assert data["count"] == 0 and data["severities"] == {} and data["services"] == {}
    assert run("metrics").stdout == "Incidents: 0, open: 0\n"


def test_percentiles_match_python_statistics(imf_app, clock, run):
    app = imf_app(clock=clock)
    rng = random.Random(7)
    minutes = [rng.randint(1, 240) for _ in range(23)]
    for number, delay in enumerate(minutes):
        clock.now = START + timedelta(hours=number)
        incident, _ = app.service.declare(f"Incident {number}", severity="P3")
        clock.now += timedelta(minutes=delay)
        app.service.acknowledge(incident.id)
    stats = metrics(run)["severities"]["P3"]["time_to_acknowledge"]
    seconds = [m * 60.0 for m in minutes]
    assert stats["median"] == pytest.approx(statistics.median(seconds))
    assert stats["p90"] == pytest.approx(statistics.quantiles(seconds, n=10, method="inclusive")[8])
    assert stats["mean"] == pytest.approx(statistics.fmean(seconds), abs=0.001)
