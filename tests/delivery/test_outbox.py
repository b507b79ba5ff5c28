"""The outbox: isolation, retries, ordering, dead letters — with a loopback server's faults."""

from __future__ import annotations

import pytest

from tests.delivery.probe import Probe
from tests.delivery.support import Clock, CollectorFake

PLUGINS = {"probe": Probe("probe"), "probe2": Probe("probe2"), "probe3": Probe("probe3")}


@pytest.fixture
def collector():
    with CollectorFake() as fake:
        yield fake


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def run(imf_cli, clock):
    def invoke(*args):
        return imf_cli(*args, plugins=PLUGINS, clock=clock)

    return invoke


def configure(imf_config, url, *, timeout=2.0, **plugins):
    tables = {name: {"url": url, **values} for name, values in plugins.items()}
    imf_config(
        {
            "imf": {"delivery": {"timeout": timeout, "max_attempts": 5, "backoff_base": 10.0}},
            "plugins": tables,
        }
    )


def deliveries(imf_app, incident="INC-1"):
    app = imf_app(plugins=PLUGINS)
    rows = app.store.deliveries(incident_id=incident, states=("pending", "delivered", "dead"))
    return {(d.plugin, d.hook): d for d in rows}


def test_one_plugin_failing_or_hanging_does_not_stop_the_others(
    imf_config, collector, run, imf_app
):
    configure(imf_config, collector.url, timeout=1.0, probe={}, probe2={}, probe3={"hang": 5.0})
    collector.fail_next(100, 500, path="/probe2")
    result = run("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 0, result
    assert "Declared INC-1" in result.stdout
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 2
    assert any("probe2" in w and "HTTP 500" in w for w in warnings)
    assert any("probe3" in w and "timed out after 1s" in w for w in warnings)
    assert collector.kinds("probe") == [("INC-1", "declared", 1)]
    state = deliveries(imf_app)
    assert state[("probe", "imf_declare")].state == "delivered"
    assert state[("probe2", "imf_declare")].state == "pending"
    assert "HTTP 500" in state[("probe2", "imf_declare")].last_error
    assert state[("probe3", "imf_declare")].state == "pending"
    strict = run("update", "1", "--summary", "still down", "--strict")
    assert strict.exit_code == 6


@pytest.mark.parametrize(
    "fault",
    [
        "500",
        "502",
        "429-retry-after",
        "429",
        "420",
        "timeout",
        "reset",
        "error-in-200",
        "exception",
    ],
)
def test_every_failure_mode_is_delivered_once_after_recovery(
    imf_config, collector, run, clock, imf_app, fault
):
    plugin_conf = {"fail": "exception"} if fault == "exception" else {}
    configure(imf_config, collector.url, timeout=1.0, probe=plugin_conf)
    if fault in ("500", "502"):
        collector.fail_next(1, int(fault))
    elif fault == "429-retry-after":
        collector.throttle_next(1, 429, retry_after=120)
    elif fault in ("429", "420"):
        collector.throttle_next(1, int(fault), retry_after=None)
    elif fault == "timeout":
        collector.timeout_next(1, seconds=3)
    elif fault == "reset":
        collector.reset_next(1)
    elif fault == "error-in-200":
        collector.error_in_200_next(1, body={"error": "busy"})
    first = run("declare", "API errors", "-s", "P2")
    assert first.exit_code == 0 and "warning" in first.stderr, first
    pending = deliveries(imf_app)[("probe", "imf_declare")]
    assert pending.state == "pending" and pending.attempts == 1
    if fault == "429-retry-after":
        wait = (pending.next_attempt_at - clock()).total_seconds()
        assert wait >= 119
    if fault == "exception":
        assert pending.last_error == "ValueError: probe exploded"
        configure(imf_config, collector.url, timeout=1.0, probe={})
    # Not due yet: nothing is sent.
    assert run("deliver").exit_code == 0
    assert collector.keys()["probe:INC-1:1"] == 0
    clock.advance(minutes=5)
    drained = run("deliver")
    assert drained.exit_code == 0, drained
    assert "delivered 1" in drained.stdout
    state = deliveries(imf_app)[("probe", "imf_declare")]
    assert state.state == "delivered" and state.attempts == 2
    assert collector.keys()["probe:INC-1:1"] == 1
    assert run("deliver").stdout.startswith("delivered 0")


def test_later_events_wait_for_earlier_ones_of_the_same_plugin(imf_config, collector, run, clock):
    configure(imf_config, collector.url, probe={}, probe2={})
    collector.fail_next(1, 503, path="/probe2")
    run("declare", "Queue backlog", "-s", "P3")
    run("update", "1", "--status", "identified", "--summary", "consumer stuck")
    run("resolve", "1")
    # probe got everything in order at once; probe2 got nothing after its failure.
    assert [k for _, k, _ in collector.kinds("probe")] == ["declared", "update_posted", "resolved"]
    assert collector.kinds("probe2") == []
    outbox = run("outbox", "--json").json()
    assert [(d["plugin"], d["hook"]) for d in outbox] == [
        ("probe2", "imf_declare"),
        ("probe2", "imf_update"),
        ("probe2", "imf_resolve"),
    ]
    clock.advance(hours=1)
    run("deliver")
    assert [k for _, k, _ in collector.kinds("probe2")] == ["declared", "update_posted", "resolved"]
    assert run("outbox", "--json").json() == []


def test_permanent_failures_go_dead_and_can_be_requeued(imf_config, collector, run, clock):
    configure(imf_config, collector.url, probe={"fail": "permanent"})
    result = run("declare", "Bad token", "-s", "P3")
    assert result.exit_code == 0
    assert "failed permanently: probe: refused for good" in result.stderr
    outbox = run("outbox", "--json").json()
    assert outbox[0]["state"] == "dead"
    shown = run("show", "1").stdout
    assert "delivery to probe failed permanently" in shown
    assert "probe: dead 1" in shown
    configure(imf_config, collector.url, probe={})
    assert "1 deliveries requeued" in run("outbox", "retry", "--all-dead").stdout
    run("deliver")
    assert collector.keys() == {"probe:INC-1:1": 1}
    unknown = run("outbox", "retry", "999")
    assert unknown.exit_code == 3 and "delivery 999 not found" in unknown.stderr


def test_attempts_are_capped(imf_config, collector, run, clock):
    configure(imf_config, collector.url, probe={})
    collector.fail_next(100, 500)
    run("declare", "Flapping", "-s", "P3")
    for _ in range(6):
        clock.advance(hours=2)
        run("deliver")
    outbox = run("outbox", "--json").json()
    assert outbox[0]["state"] == "dead" and outbox[0]["attempts"] == 5
    assert len(collector.requests) == 5


def test_references_returned_by_plugins_are_stored_and_passed_back(imf_config, collector, run):
    configure(imf_config, collector.url, probe={})
    run("declare", "x", "-s", "P3")
    run("update", "1", "--summary", "y")
    shown = run("show", "1", "--json").json()
    update_seq = next(e["seq"] for e in shown["timeline"] if e["kind"] == "update_posted")
    # The plugin was handed what it returned for the declare (event 1) when the update came.
    assert shown["incident"]["refs"]["probe"] == {"last_seq": update_seq, "previous": 1}
    recorded = [
        e["data"]["refs"]["last_seq"]
        for e in shown["timeline"]
        if e["kind"] == "external_ref" and e["data"]["plugin"] == "probe"
    ]
    assert recorded == [1, update_seq]


def test_disabled_plugin_keeps_its_deliveries_for_later(imf_config, collector, run, clock):
    configure(imf_config, collector.url, probe={})
    collector.fail_next(1, 500)
    run("declare", "x", "-s", "P3")
    imf_config({"plugins": {"probe": {"enabled": False, "url": collector.url}}})
    clock.advance(hours=1)
    assert "skipped 1" in run("deliver").stdout
    configure(imf_config, collector.url, probe={})
    clock.advance(hours=2)
    run("deliver")
    assert collector.keys() == {"probe:INC-1:1": 1}


def test_client_errors_are_permanent_and_shown(imf_config, collector, run):
    configure(imf_config, collector.url, probe={})
    collector.fail_next(1, 400, body={"error": "Event object is invalid"})
    result = run("declare", "x", "-s", "P3")
    assert result.exit_code == 0
    assert "failed permanently" in result.stderr and "HTTP 400" in result.stderr
    assert "Event object is invalid" in result.stderr
    assert run("outbox", "--json").json()[0]["state"] == "dead"
