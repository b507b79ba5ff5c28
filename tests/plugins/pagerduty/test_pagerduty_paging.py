"""The PagerDuty plugin through the CLI against the loopback Events API.

Every event the plugin sends is checked against the official Events API v2 schema (the fake
collects violations; the tests also validate each recorded body themselves).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import imf
import imf_pagerduty
from imf.testing import specs
from imf.testing.fakes import PagerDutyFake
from imf_pagerduty import events

from .conftest import OTHER_KEY, ROUTING_KEY


def sent(pd: PagerDutyFake) -> list[dict[str, Any]]:
    """Bodies of every enqueue request (accepted or not), each validated against the spec."""
    bodies = [r.json for r in pd.requests_to("/v2/enqueue", "POST")]
    if specs.specs_dir() is not None:
        for body in bodies:
            assert specs.validate_pagerduty_event(body) == [], body
    return bodies


def deliveries(imf_cli, incident: str = "INC-1") -> list[dict[str, Any]]:
    shown = imf_cli("show", incident, "--json")
    assert shown.exit_code == 0, shown
    return [d for d in shown.json()["deliveries"] if d["plugin"] == "pagerduty"]


def refs(imf_cli, incident: str = "INC-1") -> dict[str, Any]:
    return imf_cli("show", incident, "--json").json()["incident"]["refs"].get("pagerduty", {})


def test_declaring_a_paging_severity_triggers_one_valid_event(imf_cli, pd_config, pd):
    specs.require_specs()
    pd_config()
    result = imf_cli(
        "declare",
        "Checkout down",
        "-s",
        "P1",
        "-S",
        "payments",
        "-S",
        "web",
        "--commander",
        "alice",
        "--summary",
        "5xx on /pay",
    )
    assert result.exit_code == 0, result
    [body] = sent(pd)
    assert body["event_action"] == "trigger"
    assert body["routing_key"] == ROUTING_KEY
    assert body["dedup_key"] == "imf-INC-1"
    payload = body["payload"]
    assert payload["summary"] == "[P1] INC-1: Checkout down"
    assert payload["severity"] == "critical"
    assert payload["component"] == "payments"
    assert payload["group"] == "payments, web"
    assert payload["custom_details"]["status"] == "investigating"
    assert payload["custom_details"]["summary"] == "5xx on /pay"
    assert pd.pages == 1
    pd.assert_no_spec_errors()


def test_roles_assigned_at_declare_reach_the_custom_details(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1", "--commander", "alice")
    imf_cli("escalate", "INC-1", "-s", "P2")
    details = sent(pd)[-1]["payload"]["custom_details"]
    assert details["roles"] == {"commander": ["alice"]}
    assert details["escalation"]["from"] == "P1"


def test_a_non_paging_severity_sends_nothing(imf_cli, pd_config, pd):
    pd_config()
    assert imf_cli("declare", "Typo on the pricing page", "-s", "P3").exit_code == 0
    assert imf_cli("resolve", "INC-1").exit_code == 0
    assert sent(pd) == []
    assert [d["state"] for d in deliveries(imf_cli)] == ["delivered", "delivered"]


def test_escalating_into_paging_pages_and_a_repeat_trigger_joins_the_open_alert(
    imf_cli, pd_config, pd
):
    pd_config()
    imf_cli("declare", "Slow search", "-s", "P3")
    assert sent(pd) == []
    imf_cli("escalate", "INC-1", "-s", "P2", "--reason", "more customers")
    imf_cli("escalate", "INC-1", "-s", "P1")
    bodies = sent(pd)
    assert [b["payload"]["severity"] for b in bodies] == ["error", "critical"]
    assert {b["dedup_key"] for b in bodies} == {"imf-INC-1"}
    assert pd.pages == 1
    [alert] = pd.alerts
    assert alert.trigger_count == 2
    assert alert.status == "triggered"


def test_resolve_uses_the_stored_dedup_key_and_routing_key(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    assert imf_cli("resolve", "INC-1", "--force", "verified by hand").exit_code == 0
    trigger, resolve = sent(pd)
    assert resolve == {
        "routing_key": ROUTING_KEY,
        "event_action": "resolve",
        "dedup_key": trigger["dedup_key"],
    }
    assert pd.alerts[0].status == "resolved"
    assert refs(imf_cli)["state"] == "resolved"


def test_resolve_follows_the_key_it_triggered_with_after_a_config_change(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1", "-S", "payments")
    # The organization moves the key to the service and gets a new default key.
    pd_config(
        routing_key={"env": "PD_OTHER_KEY"},
        services={"payments": {"routing_key": {"env": "PD_ROUTING_KEY"}}},
    )
    imf_cli("resolve", "INC-1", "--force", "ok")
    assert sent(pd)[-1]["routing_key"] == ROUTING_KEY
    assert pd.alerts[0].status == "resolved"


def test_resolve_fails_permanently_when_the_key_is_gone(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    pd_config(routing_key={"env": "PD_OTHER_KEY"})
    result = imf_cli("resolve", "INC-1", "--force", "ok")
    assert result.exit_code == 0, result  # the incident is resolved; the delivery is dead
    assert "no longer configured" in result.stderr
    assert "plugins.pagerduty.routing_key" in result.stderr
    assert len(sent(pd)) == 1  # no resolve went out with another key
    dead = deliveries(imf_cli)[-1]
    assert dead["state"] == "dead"
    shown = imf_cli("show", "INC-1", "--json").stdout
    assert ROUTING_KEY not in shown and OTHER_KEY not in shown


def test_refs_keep_a_fingerprint_never_the_routing_key(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    stored = refs(imf_cli)
    assert stored["routing"] == {
        "key": "plugins.pagerduty.routing_key",
        "fingerprint": stored["routing"]["fingerprint"],
    }
    assert stored["routing"]["fingerprint"].startswith("sha256:")
    for args in (("show", "INC-1"), ("show", "INC-1", "--json"), ("outbox", "--json")):
        output = imf_cli(*args)
        assert ROUTING_KEY not in output.stdout + output.stderr


def test_resolve_with_no_open_alert_is_accepted_and_dropped(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    # Someone resolved the alert in PagerDuty meanwhile.
    by_hand = {"routing_key": ROUTING_KEY, "event_action": "resolve", "dedup_key": "imf-INC-1"}
    assert httpx.post(pd.events_url, json=by_hand).status_code == 202
    result = imf_cli("resolve", "INC-1", "--force", "ok")
    assert result.exit_code == 0 and result.stderr == "", result
    assert deliveries(imf_cli)[-1]["state"] == "delivered"
    assert [b["event_action"] for b in pd.events] == ["trigger", "resolve", "resolve"]
    [alert] = pd.alerts
    assert len(alert.events) == 2  # imf's late resolve found no open alert and was dropped
    assert alert.status == "resolved"


def test_summary_is_cut_to_1024_characters_on_a_character_boundary():
    title = "Сбой 💥 " + "é" * 500 + "🔥" * 1000
    incident = imf.Incident(id="INC-12345", number=12345, title=title, severity="SEV-CRITICAL")
    summary = events.summary(incident)
    assert len(summary) == events.SUMMARY_MAX == specs.PAGERDUTY_SUMMARY_MAX
    assert summary.endswith("🔥…")
    assert summary.startswith("[SEV-CRITICAL] INC-12345: Сбой 💥 é")
    summary.encode("utf-8")  # whole code points only: no half of a surrogate pair


def test_long_titles_are_sent_whole_when_they_fit(imf_cli, pd_config, pd):
    pd_config()
    title = "Сбой 💥 " + "é" * 500 + "🔥" * 493
    assert imf_cli("declare", title, "-s", "P1").exit_code == 0
    assert sent(pd)[0]["payload"]["summary"] == f"[P1] INC-1: {title}"
    pd.assert_no_spec_errors()


@pytest.mark.parametrize(
    "title",
    [
        'He said "stop" \\ and left',
        "line one\nline two\r\nline three\ttabbed\x00\x07",
        "[click](https://evil.example) <at>everyone</at> **bold**",
        "مرحبا بالعالم שלום 👩‍💻 Платежи",
        "x" * 1000,
    ],
)
def test_hostile_titles_produce_valid_events(imf_cli, pd_config, pd, title):
    specs.require_specs()
    pd_config()
    assert imf_cli("declare", title, "-s", "P1").exit_code == 0
    [body] = sent(pd)
    summary = body["payload"]["summary"]
    assert "\n" not in summary and "\x00" not in summary and "\t" not in summary
    assert pd.pages == 1
    pd.assert_no_spec_errors()


def test_http_400_is_permanent_and_the_error_is_shown(imf_cli, pd_config, pd, monkeypatch):
    monkeypatch.setenv("PD_ROUTING_KEY", "short-key")
    pd_config()
    monkeypatch.setenv("PD_ROUTING_KEY", "short-key")
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 0, result
    assert "HTTP 400" in result.stderr and "routing_key" in result.stderr
    [dead] = deliveries(imf_cli)
    assert dead["state"] == "dead"
    assert "32 characters" in dead["last_error"]
    assert "short-key" not in imf_cli("show", "INC-1", "--json").stdout
    assert pd.pages == 0


def test_throttling_is_retried_after_retry_after(imf_cli, pd_config, pd, clock):
    pd_config()
    pd.throttle_next(1, retry_after=120, path="/v2/enqueue")
    result = imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    assert "HTTP 429" in result.stderr, result
    [pending] = deliveries(imf_cli)
    assert pending["state"] == "pending"
    due = pending["next_attempt_at"]
    assert due >= (clock.now.replace(microsecond=0)).isoformat()
    clock.advance(60)
    imf_cli("deliver", clock=clock)
    assert pd.pages == 0  # Retry-After not over yet: nothing sent
    clock.advance(125)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert pd.pages == 1
    assert deliveries(imf_cli)[0]["state"] == "delivered"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried(imf_cli, pd_config, pd, clock, status):
    pd_config()
    pd.fail_next(2, status, path="/v2/enqueue")
    imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    for _ in range(2):
        clock.advance(120)
        imf_cli("deliver", clock=clock)
    assert pd.pages == 1
    assert deliveries(imf_cli)[0]["state"] == "delivered"
    assert len(sent(pd)) == 3


def test_a_resolve_waits_behind_its_failing_trigger(imf_cli, pd_config, pd, clock):
    pd_config()
    pd.fail_next(1, 503, path="/v2/enqueue")
    imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    imf_cli("resolve", "INC-1", "--force", "ok", clock=clock)
    assert sent(pd)[-1]["event_action"] == "trigger"  # the resolve did not overtake it
    clock.advance(120)
    imf_cli("deliver", clock=clock)
    actions = [b["event_action"] for b in sent(pd)]
    assert actions == ["trigger", "trigger", "resolve"]
    assert pd.alerts[0].status == "resolved"


def test_no_trigger_is_sent_after_its_resolve(imf_cli, pd_config, pd, clock):
    pd_config()
    pd.fail_next(1, 400, path="/v2/enqueue")  # the trigger dies
    imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    imf_cli("resolve", "INC-1", "--force", "ok", clock=clock)
    [dead, resolved] = deliveries(imf_cli)
    assert dead["state"] == "dead" and resolved["state"] == "delivered"
    # Someone retries the dead trigger after the incident was resolved.
    assert imf_cli("outbox", "retry", str(dead["id"]), clock=clock).exit_code == 0
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert [b["event_action"] for b in sent(pd)] == ["trigger"]  # only the failed attempt
    assert pd.pages == 0
    assert deliveries(imf_cli)[0]["state"] == "delivered"


def test_reopen_pages_again(imf_cli, pd_config, pd):
    pd_config()
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("resolve", "INC-1", "--force", "ok")
    assert imf_cli("reopen", "INC-1", "--reason", "errors are back").exit_code == 0
    assert [b["event_action"] for b in sent(pd)] == ["trigger", "resolve", "trigger"]
    assert pd.pages == 2
    assert pd.alerts[1].status == "triggered"
    assert refs(imf_cli)["state"] == "triggered"
    imf_cli("resolve", "INC-1", "--force", "ok")
    assert pd.alerts[1].status == "resolved"


def test_a_repeated_trigger_after_a_crash_does_not_page_twice(imf_app, pd_config, pd):
    pd_config()
    app = imf_app()
    incident, _ = app.service.declare("Checkout down", severity="P1")
    event = app.store.events(incident.id)[0]
    again = imf_pagerduty.imf_declare(incident, event, app.context("pagerduty", incident))
    assert again is not None and again["dedup_key"] == "imf-INC-1"
    assert pd.pages == 1
    assert pd.alerts[0].trigger_count == 2


def test_preview_shows_the_event_without_the_routing_key(imf_app, pd_config, pd):
    pd_config()
    app = imf_app()
    incident, _ = app.service.declare("Checkout down", severity="P1")
    pd.clear()
    event = app.store.events(incident.id)[0]
    text = imf_pagerduty.imf_preview(incident, event, app.context("pagerduty", incident))
    shown = json.loads(text)
    assert shown["routing_key"] == "<secret plugins.pagerduty.routing_key>"
    assert shown["payload"]["severity"] == "critical"
    assert ROUTING_KEY not in text
    assert pd.requests == []  # a preview sends nothing


def test_a_service_key_routes_the_page(imf_cli, pd_config, pd):
    pd_config(services={"payments": {"routing_key": {"env": "PD_OTHER_KEY"}}})
    imf_cli("declare", "Checkout down", "-s", "P1", "-S", "payments")
    assert sent(pd)[0]["routing_key"] == OTHER_KEY
    assert refs(imf_cli)["routing"]["key"] == "plugins.pagerduty.services.payments.routing_key"
