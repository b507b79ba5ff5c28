"""imf-webhook against a loopback receiver: payloads, signatures, retries, configuration."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import imf_webhook
import pytest

import imf
from imf.testing import check_plugin

SECRET = "webhook-signing-secret-7f3a"


def webhook(report):
    """The outcomes of this plugin's deliveries (other active plugins have theirs)."""
    return [o for o in report.outcomes if o.plugin == "webhook"]


@pytest.fixture
def configured(imf_config, receiver, monkeypatch):
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", SECRET)

    def write(**table):
        table.setdefault("url", receiver.hook_url)
        imf_config({"imf": {"organization": "Acme"}, "plugins": {"webhook": table}})

    return write


def test_plugin_matches_imf_hooks():
    check_plugin(imf_webhook)


def test_full_incident_is_posted_signed_in_order(configured, imf_cli, receiver):
    configured(secret={"env": "ACME_WEBHOOK_SECRET"}, headers={"X-Team": "sre"})
    plugins = {"webhook": imf_webhook}
    assert imf_cli("declare", "Checkout down", "-s", "P3", plugins=plugins).exit_code == 0
    update = imf_cli(
        "update", "INC-1", "--status", "identified", "--summary", "bad deploy", plugins=plugins
    )
    assert update.exit_code == 0, update
    assert imf_cli("resolve", "INC-1", "--summary", "rolled back", plugins=plugins).exit_code == 0
    requests = receiver.requests_to("/hooks/incidents", "POST")
    assert [r.headers["x-imf-event"] for r in requests] == ["declared", "update_posted", "resolved"]
    deliveries = [r.headers["x-imf-delivery"] for r in requests]
    assert deliveries == [f"INC-1:{r.json['event']['seq']}" for r in requests]
    assert deliveries[0] == "INC-1:1"
    assert [r.json["event"]["seq"] for r in requests] == sorted(
        r.json["event"]["seq"] for r in requests
    )
    for request in requests:
        assert request.headers["x-imf-signature-256"] == imf_webhook.sign(request.body, SECRET)
        assert request.headers["x-team"] == "sre"
        assert request.query["token"] == "query-token-1234"
    first, second, last = (r.json for r in requests)
    assert first["organization"] == "Acme"
    assert first["incident"]["title"] == "Checkout down"
    assert first["incident"]["severity"] == "P3"
    assert second["event"]["data"]["summary"] == "bad deploy"
    assert last["incident"]["status"] == "resolved"
    assert last["incident"]["resolved_at"] is not None


def test_without_a_secret_requests_are_unsigned(configured, imf_app, receiver):
    configured()
    imf_app(plugins={"webhook": imf_webhook}).service.declare("Queue backlog", severity="P4")
    [request] = receiver.requests
    assert "x-imf-signature-256" not in request.headers


def test_only_the_chosen_events_are_sent(configured, imf_app, receiver):
    configured(events=["resolved"])
    app = imf_app(plugins={"webhook": imf_webhook})
    incident, report = app.service.declare("Disk full", severity="P3")
    assert [o.state for o in webhook(report)] == ["delivered"]
    app.service.resolve(incident.id)
    assert [r.json["event"]["kind"] for r in receiver.requests] == ["resolved"]


def test_server_errors_are_retried_with_the_same_delivery_id(configured, imf_app, receiver):
    configured(secret={"env": "ACME_WEBHOOK_SECRET"})
    now = [datetime(2026, 3, 1, 12, 0, tzinfo=UTC)]
    app = imf_app(plugins={"webhook": imf_webhook}, clock=lambda: now[0])
    receiver.fail_next(status=503)
    _incident, report = app.service.declare("API errors", severity="P2")
    [failed] = webhook(report)
    assert failed.state == "pending"
    assert "webhook: HTTP 503" in failed.error
    now[0] += timedelta(hours=1)
    retried = app.dispatcher.run()
    assert [o.state for o in webhook(retried)] == ["delivered"]
    first, second = receiver.requests
    assert first.headers["x-imf-delivery"] == second.headers["x-imf-delivery"] == "INC-1:1"
    assert first.json["event"] == second.json["event"]


def test_throttling_honours_retry_after(configured, imf_app, receiver):
    configured()
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    app = imf_app(plugins={"webhook": imf_webhook}, clock=lambda: now)
    receiver.throttle_next(retry_after=120)
    _incident, report = app.service.declare("Slow search", severity="P3")
    [outcome] = webhook(report)
    assert outcome.state == "pending"
    assert outcome.next_attempt_at >= now + timedelta(seconds=120)


def test_client_errors_fail_permanently(configured, imf_app, receiver):
    configured()
    receiver.fail_next(status=410)
    app = imf_app(plugins={"webhook": imf_webhook})
    _incident, report = app.service.declare("Gone", severity="P4")
    [outcome] = webhook(report)
    assert outcome.state == "dead"
    assert "token" not in outcome.error


def test_an_event_delivered_before_is_not_sent_again(receiver):
    event = imf.Event("INC-4", "declared", datetime(2026, 3, 1, tzinfo=UTC), "tester", seq=1)
    incident = imf.Incident(id="INC-4", number=4, title="x", severity="P3")
    ctx = imf.PluginContext(
        name="webhook",
        config=imf_webhook.WebhookConfig(url=receiver.hook_url),
        refs={"last_seq": 1},
    )
    assert imf_webhook.send(incident, event, ctx) is None
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"url": "ftp://files.example.com/x?token=abc"}, "must be an http:// or https:// URL"),
        ({"events": ["declared", "exploded"]}, "unknown event kind(s) exploded"),
    ],
)
def test_bad_configuration_is_one_line_without_the_url(configured, imf_cli, table, message):
    configured(**table)
    result = imf_cli("config", "validate", plugins={"webhook": imf_webhook})
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "abc" not in result.stderr


def test_russian_messages(configured, imf_cli):
    configured(url="gopher://x")
    result = imf_cli("--lang", "ru", "config", "validate", plugins={"webhook": imf_webhook})
    assert "должен быть адресом http:// или https://" in result.stderr


def test_secret_is_never_shown(configured, imf_cli):
    configured(secret={"env": "ACME_WEBHOOK_SECRET"})
    shown = imf_cli("config", "show", "--json", plugins={"webhook": imf_webhook})
    assert shown.exit_code == 0, shown
    assert SECRET not in shown.stdout
    assert json.loads(shown.stdout)["config"]["plugins"]["webhook"]["secret"] != SECRET
