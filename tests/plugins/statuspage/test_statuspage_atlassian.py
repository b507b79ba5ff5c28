"""The Atlassian Statuspage backend against the loopback Statuspage, through the CLI."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

import imf
import imf_statuspage
from imf.testing.fakes import Response, StatuspageFake
from imf_statuspage import atlassian

from .conftest import API_KEY, PAGE_ID, fields, incident_requests

INTERNAL = "db-primary pool exhausted after deploy 4411 (ticket OPS-17)"


def show(imf_cli: Any, incident: str = "INC-1") -> dict[str, Any]:
    result = imf_cli("show", incident, "--json")
    assert result.exit_code == 0, result
    return dict(result.json())


def refs(imf_cli: Any, incident: str = "INC-1") -> dict[str, Any]:
    return dict(show(imf_cli, incident)["incident"]["refs"].get("statuspage", {}))


def states(imf_cli: Any, incident: str = "INC-1") -> list[str]:
    return [
        d["state"] for d in show(imf_cli, incident)["deliveries"] if d["plugin"] == "statuspage"
    ]


def declare(imf_cli: Any, *args: str, title: str = "Checkout errors") -> None:
    result = imf_cli("declare", title, *args)
    assert result.exit_code == 0, result


def test_declare_creates_a_tagged_incident_with_impact_and_components(imf_cli, sp, sp_config):
    sp_config()
    declare(
        imf_cli,
        "-s",
        "P2",
        "-S",
        "api",
        "-S",
        "payments",
        "-S",
        "internal-db",
        "--customer-facing",
        "--summary",
        INTERNAL,
    )

    (create,) = incident_requests(sp, "POST")
    assert create.headers["authorization"] == f"OAuth {API_KEY}"
    sent = fields(create)
    assert sent["name"] == "Checkout errors"
    assert sent["status"] == "investigating"
    assert sent["impact_override"] == "major"
    assert sent["components"] == {"cmp-api": "partial_outage", "cmp-pay": "partial_outage"}
    assert sent["metadata"] == {"imf": {"incident_id": "INC-1", "organization": "Acme"}}
    assert sent["body"].startswith("We are investigating")
    assert INTERNAL not in json.dumps(create.json)
    # The look-up for an incident created by an earlier attempt comes first.
    assert sp.requests[0].path.endswith("/incidents/unresolved")
    (remote,) = sp.incidents
    assert remote["impact"] == "major"
    assert sp.components["cmp-api"]["status"] == "partial_outage"
    assert sp.components["cmp-web"]["status"] == "operational"
    kept = refs(imf_cli)
    assert kept["atlassian"] == {
        "id": remote["id"],
        "page_id": PAGE_ID,
        "shortlink": remote["shortlink"],
    }
    assert kept["links"] == {"Status page": remote["shortlink"]}
    sp.assert_no_spec_errors()


def test_only_customer_facing_or_listed_severities_are_published(imf_cli, sp, sp_config):
    sp_config(severities=["P1"])
    declare(imf_cli, "-s", "P2", "-S", "api", title="Internal build farm slow")
    declare(imf_cli, "-s", "P1", "-S", "api", title="Everything is down")
    assert [incident["name"] for incident in sp.incidents] == ["Everything is down"]
    assert imf_cli("update", "INC-1", "--status", "identified", "--summary", "x").exit_code == 0
    assert imf_cli("resolve", "INC-1", "--force", "verified").exit_code == 0
    assert incident_requests(sp, "PATCH") == []
    assert refs(imf_cli, "INC-1") == {}
    assert len(sp.incidents) == 1


def test_updates_carry_only_public_wording(imf_cli, sp, sp_config):
    sp_config()
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    assert imf_cli("note", "INC-1", f"note: {INTERNAL}").exit_code == 0
    result = imf_cli(
        "update",
        "INC-1",
        "--status",
        "identified",
        "--summary",
        INTERNAL,
        "--next-step",
        "restart pgbouncer",
        "--public",
        "We found the cause and are fixing it.",
    )
    assert result.exit_code == 0, result
    assert (
        imf_cli("update", "INC-1", "--status", "monitoring", "--summary", INTERNAL).exit_code == 0
    )

    first, second = incident_requests(sp, "PATCH")
    assert fields(first) == {
        "status": "identified",
        "deliver_notifications": True,
        "body": "We found the cause and are fixing it.",
    }
    assert fields(second)["status"] == "monitoring"
    assert fields(second)["body"] == "A fix has been applied and we are monitoring the results."
    everything = b"".join(request.body for request in sp.requests)
    assert INTERNAL.encode() not in everything
    assert b"pgbouncer" not in everything
    (remote,) = sp.incidents
    assert [u["status"] for u in remote["incident_updates"]] == [
        "monitoring",
        "identified",
        "investigating",
    ]
    sp.assert_no_spec_errors()


def test_neutral_wording_is_in_the_organization_language(imf_cli, sp, sp_config):
    sp_config(language="ru")
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    assert imf_cli("update", "INC-1", "--status", "identified", "--summary", "x").exit_code == 0
    (create,) = incident_requests(sp, "POST")
    (patch,) = incident_requests(sp, "PATCH")
    assert fields(create)["body"].startswith("Мы получили сообщения о проблеме")
    assert fields(patch)["body"] == "Мы нашли причину проблемы и работаем над исправлением."


@pytest.mark.parametrize(
    ("configured", "expected"), [(None, "identified"), ("monitoring", "monitoring")]
)
def test_mitigating_maps_to_a_configurable_status(imf_cli, sp, sp_config, configured, expected):
    sp_config(atlassian={"mitigating": configured} if configured else True)
    declare(imf_cli, "-s", "P3", "-S", "web", "--customer-facing")
    assert (
        imf_cli("update", "INC-1", "--status", "mitigating", "--public", "Rolling back.").exit_code
        == 0
    )
    (patch,) = incident_requests(sp, "PATCH")
    assert fields(patch)["status"] == expected
    assert sp.incidents[0]["status"] == expected


def test_escalation_changes_impact_and_components_without_a_public_update(imf_cli, sp, sp_config):
    sp_config(impact={"P1": "critical", "P3": "minor"})
    declare(imf_cli, "-s", "P3", "-S", "api", "-S", "web", "--customer-facing")
    assert sp.components["cmp-api"]["status"] == "degraded_performance"
    assert imf_cli("escalate", "INC-1", "-s", "P1", "--reason", INTERNAL).exit_code == 0

    (patch,) = incident_requests(sp, "PATCH")
    assert fields(patch) == {
        "impact_override": "critical",
        "components": {"cmp-api": "major_outage", "cmp-web": "major_outage"},
    }
    (remote,) = sp.incidents
    assert remote["impact"] == "critical"
    assert len(remote["incident_updates"]) == 1
    assert sp.components["cmp-web"]["status"] == "major_outage"
    sp.assert_no_spec_errors()


def test_component_status_per_severity_is_configurable(imf_cli, sp, sp_config):
    sp_config(component_status={"p2": "degraded_performance"}, impact={"P2": "minor"})
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    (create,) = incident_requests(sp, "POST")
    assert fields(create)["components"] == {"cmp-api": "degraded_performance"}
    assert fields(create)["impact_override"] == "minor"


def test_resolve_and_reopen(imf_cli, sp, sp_config):
    sp_config()
    declare(imf_cli, "-s", "P1", "-S", "api", "-S", "web", "--customer-facing")
    result = imf_cli(
        "resolve",
        "INC-1",
        "--public",
        "All fixed. We are sorry for the trouble.",
        "--summary",
        INTERNAL,
        "--force",
        "verified",
    )
    assert result.exit_code == 0, result
    resolve = incident_requests(sp, "PATCH")[-1]
    assert fields(resolve) == {
        "status": "resolved",
        "body": "All fixed. We are sorry for the trouble.",
        "components": {"cmp-api": "operational", "cmp-web": "operational"},
        "deliver_notifications": True,
    }
    assert sp.incidents[0]["status"] == "resolved"
    assert sp.components["cmp-api"]["status"] == "operational"

    assert imf_cli("reopen", "INC-1", "--reason", INTERNAL).exit_code == 0
    reopen = incident_requests(sp, "PATCH")[-1]
    assert fields(reopen)["status"] == "investigating"
    assert fields(reopen)["body"] == "The problem has come back. We are investigating again."
    assert fields(reopen)["impact_override"] == "critical"
    assert sp.components["cmp-web"]["status"] == "major_outage"
    assert len(sp.incidents) == 1
    assert states(imf_cli) == ["delivered"] * 3
    sp.assert_no_spec_errors()


def test_resolving_leaves_components_another_incident_still_affects(imf_cli, sp, sp_config):
    sp_config()
    declare(imf_cli, "-s", "P2", "-S", "api", "-S", "web", "--customer-facing", title="A")
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing", title="B")
    assert imf_cli("resolve", "INC-1", "--force", "verified").exit_code == 0
    resolve = incident_requests(sp, "PATCH")[-1]
    assert fields(resolve)["components"] == {"cmp-web": "operational"}
    assert sp.components["cmp-api"]["status"] == "partial_outage"
    assert imf_cli("resolve", "INC-2", "--force", "verified").exit_code == 0
    assert sp.components["cmp-api"]["status"] == "operational"


def test_an_incident_made_public_later_is_created_then(imf_cli, sp, sp_config):
    sp_config(severities=["P1"])
    declare(imf_cli, "-s", "P3", "-S", "api")
    assert sp.incidents == []
    assert imf_cli("escalate", "INC-1", "-s", "P1").exit_code == 0
    (create,) = incident_requests(sp, "POST")
    assert fields(create)["impact_override"] == "critical"
    assert refs(imf_cli)["atlassian"]["id"] == sp.incidents[0]["id"]


class LostAnswerFake(StatuspageFake):
    """Creates the incident, then loses the answer once (a gateway timing out upstream)."""

    lose = 1

    def _create(self, request: Any, params: dict[str, str]) -> Response:
        answer = super()._create(request, params)
        if self.lose and answer.status == 201:
            self.lose -= 1
            return Response.json(504, {"error": "Gateway timeout"})
        return answer


def test_a_retried_create_never_makes_a_second_public_incident(
    imf_cli, sp_config, clock, monkeypatch
):
    with LostAnswerFake(api_key=API_KEY, page_ids=(PAGE_ID,)) as fake:
        sp_config(atlassian={"api_url": fake.api_url, "components": {}})
        result = imf_cli("declare", "Checkout errors", "-s", "P1", "--customer-facing", clock=clock)
        assert result.exit_code == 0, result
        assert "Statuspage: HTTP 504" in result.stderr
        assert len(fake.incidents) == 1
        clock.advance(minutes=5)
        assert imf_cli("deliver", clock=clock).exit_code == 0
        assert len(fake.incidents) == 1
        assert len(incident_requests(fake, "POST")) == 1
        assert refs(imf_cli)["atlassian"]["id"] == fake.incidents[0]["id"]
        assert imf_cli("update", "INC-1", "--public", "Fixing.", clock=clock).exit_code == 0
        assert fake.incidents[0]["incident_updates"][0]["body"] == "Fixing."
        fake.assert_no_spec_errors()


def test_a_repeated_declare_delivery_adopts_the_tagged_incident(imf_app, sp, sp_config):
    sp_config()
    app = imf_app()
    incident, _ = app.service.declare(
        "Checkout errors", severity="P2", services=["api"], customer_facing=True
    )
    (event,) = [e for e in app.store.events(incident.id) if e.kind == "declared"]
    # The first delivery created it; pretend its answer was lost, so no references exist.
    again = imf_statuspage.imf_declare(incident, event, app.context("statuspage"))
    assert len(sp.incidents) == 1
    assert again["atlassian"]["id"] == sp.incidents[0]["id"]
    assert len(incident_requests(sp, "POST")) == 1


@pytest.mark.parametrize("status", [420, 429])
def test_a_short_throttle_is_waited_out_within_the_delivery(imf_cli, sp, sp_config, status):
    sp_config()
    sp.throttle_next(1, status=status, retry_after=0.2, method="POST")
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    assert len(incident_requests(sp, "POST")) == 2
    assert len(sp.incidents) == 1
    assert states(imf_cli) == ["delivered"]


@pytest.mark.parametrize("status", [420, 429])
def test_a_long_throttle_goes_back_to_the_outbox_with_retry_after(
    imf_cli, sp, sp_config, clock, monkeypatch, status
):
    sp_config()
    sp.throttle_next(1, status=status, retry_after=120, method="POST")
    result = imf_cli("declare", "Checkout errors", "-s", "P2", "--customer-facing", clock=clock)
    assert result.exit_code == 0, result
    (pending,) = imf_cli("outbox", "--json").json()
    assert pending["state"] == "pending"
    assert f"HTTP {status}" in pending["last_error"]
    due = datetime.fromisoformat(pending["next_attempt_at"])
    assert (due - clock.now).total_seconds() >= 120
    assert sp.incidents == []
    # This process keeps away from Statuspage until Retry-After has passed, even when the
    # outbox is run again early.
    clock.advance(minutes=3)
    sent = len(sp.requests)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert len(sp.requests) == sent
    assert "rate limit" in imf_cli("outbox", "--json").json()[0]["last_error"]
    # A later process (a fresh limiter) delivers it.
    monkeypatch.setattr(atlassian, "LIMITER", atlassian.RateLimiter())
    clock.advance(minutes=3)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert len(sp.incidents) == 1


def test_the_local_rate_limit_keeps_within_one_request_per_second(imf_cli, sp, sp_config):
    sp.enforce_rate_limit = True
    sp_config(atlassian={"requests_per_second": 1.0})
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    assert (
        imf_cli("update", "INC-1", "--status", "identified", "--public", "Found it.").exit_code == 0
    )
    assert imf_cli("resolve", "INC-1", "--force", "verified").exit_code == 0
    # lookup + create, patch, lookup of busy components + patch: nothing was throttled (a
    # throttled request would have been sent again).
    assert len(sp.requests) == 5
    assert states(imf_cli) == ["delivered"] * 3
    assert sp.incidents[0]["status"] == "resolved"


def test_a_wrong_key_is_a_dead_delivery_that_never_shows_the_key(
    imf_cli, sp, sp_config, monkeypatch
):
    sp_config()
    monkeypatch.setenv("STATUSPAGE_API_KEY", "wrong-key-0xdeadbeef")
    result = imf_cli("declare", "Checkout errors", "-s", "P2", "--customer-facing")
    assert result.exit_code == 0, result
    assert "HTTP 401" in result.stderr
    assert "api_key" in result.stderr
    (dead,) = imf_cli("outbox", "--json").json()
    assert dead["state"] == "dead"
    shown = imf_cli("show", "INC-1").stdout + json.dumps(imf_cli("outbox", "--json").json())
    for text in (result.stdout, result.stderr, shown):
        assert "wrong-key-0xdeadbeef" not in text
        assert API_KEY not in text


def test_an_incident_deleted_on_statuspage_is_a_dead_delivery(imf_cli, sp, sp_config):
    sp_config()
    declare(imf_cli, "-s", "P2", "-S", "api", "--customer-facing")
    sp.fail_next(1, status=404, method="PATCH")
    result = imf_cli("update", "INC-1", "--public", "Still on it.")
    assert "HTTP 404: Record not found" in result.stderr
    assert states(imf_cli) == ["delivered", "dead"]


def test_a_rejected_request_reports_statuspage_reasons(imf_cli, sp, sp_config):
    sp_config()
    sp.fail_next(1, status=422, body={"error": ["Name can't be blank"]}, method="POST")
    result = imf_cli("declare", "Checkout errors", "-s", "P2", "--customer-facing")
    assert "HTTP 422: Name can't be blank" in result.stderr
    assert states(imf_cli) == ["dead"]


def test_server_errors_are_retried(imf_cli, sp, sp_config, clock):
    sp_config()
    sp.fail_next(1, status=503, method="POST")
    result = imf_cli("declare", "Checkout errors", "-s", "P2", "--customer-facing", clock=clock)
    assert "HTTP 503" in result.stderr
    clock.advance(minutes=5)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert len(sp.incidents) == 1
    assert states(imf_cli) == ["delivered"]


def test_long_titles_and_bodies_are_clipped_to_statuspage_limits(imf_cli, sp, sp_config):
    sp_config()
    declare(imf_cli, "-s", "P2", "--customer-facing", title="x" * 600)
    assert imf_cli("update", "INC-1", "--public", "y" * 30000).exit_code == 0
    (create,) = incident_requests(sp, "POST")
    (patch,) = incident_requests(sp, "PATCH")
    assert len(fields(create)["name"]) == 255
    assert len(fields(patch)["body"]) == 25000
    sp.assert_no_spec_errors()


def test_preview_shows_the_requests_without_sending(imf_app, sp, sp_config):
    sp_config()
    app = imf_app()
    incident, _ = app.service.declare(
        "Checkout errors", severity="P2", services=["api"], customer_facing=True
    )
    incident = app.store.get(incident.id)
    sent = len(sp.requests)
    update = imf.Event(
        incident_id=incident.id,
        kind="update_posted",
        at=app.clock(),
        actor="tester",
        data={"number": 1, "status": "identified", "public": "We found it.", "summary": INTERNAL},
    )
    text = imf_statuspage.imf_preview(incident, update, app.context("statuspage", incident))
    remote_id = sp.incidents[0]["id"]
    assert f"PATCH /pages/{PAGE_ID}/incidents/{remote_id}" in text
    assert '"body": "We found it."' in text
    assert INTERNAL not in text
    assert len(sp.requests) == sent

    hidden, _ = app.service.declare("Internal only", severity="P4")
    declared = app.store.events(hidden.id)[0]
    note = imf_statuspage.imf_preview(hidden, declared, app.context("statuspage", hidden))
    assert "not published" in note
