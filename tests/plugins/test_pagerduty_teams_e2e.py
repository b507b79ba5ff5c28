"""End to end: PagerDuty and Teams together through the ``imf`` CLI and the loopback fakes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imf.testing import specs
from imf.testing.fakes import GraphFake, PagerDutyFake, TeamsWebhookFake

ROUTING_KEY = "0123456789abcdef0123456789abcdef"
API_TOKEN = "imfE2ePagerDutyToken"
TEAM_ID = "e2e-team"
ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def services() -> Iterator[tuple[PagerDutyFake, TeamsWebhookFake, GraphFake]]:
    with (
        PagerDutyFake(api_token=API_TOKEN) as pd,
        TeamsWebhookFake("workflows") as hook,
        GraphFake() as graph,
    ):
        yield pd, hook, graph


@pytest.fixture
def secrets(services, monkeypatch) -> dict[str, str]:
    _, hook, graph = services
    values = {
        "PD_ROUTING_KEY": ROUTING_KEY,
        "PD_API_TOKEN": API_TOKEN,
        "TEAMS_WEBHOOK_URL": hook.webhook_url,
        "TEAMS_CLIENT_SECRET": graph.client_secret,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def configured(imf_config, services, secrets) -> dict[str, Any]:
    pd, _, graph = services
    config = {
        "imf": {
            "organization": "Acme",
            "delivery": {"backoff_base": 1.0, "backoff_max": 60.0},
        },
        "plugins": {
            "pagerduty": {
                "routing_key": {"env": "PD_ROUTING_KEY"},
                "events_url": pd.events_url,
                "api_url": pd.url,
                "rest": {"token": {"env": "PD_API_TOKEN"}, "from_email": "imf@acme.example"},
            },
            "teams": {
                "webhook_url": {"env": "TEAMS_WEBHOOK_URL"},
                "war_room": {
                    "tenant": graph.tenant_id,
                    "client_id": graph.client_id,
                    "client_secret": {"env": "TEAMS_CLIENT_SECRET"},
                    "team_id": TEAM_ID,
                    "graph_url": graph.graph_url,
                    "token_url": graph.url + "/{tenant}/oauth2/v2.0/token",
                },
            },
        },
    }
    imf_config(config)
    return config


def check_every_request(pd: PagerDutyFake, hook: TeamsWebhookFake, graph: GraphFake) -> None:
    """Every request the plugins sent is valid against the official specifications."""
    specs.require_specs()
    for request in pd.requests_to("/v2/enqueue"):
        assert specs.validate_pagerduty_event(request.json) == []
    for request in pd.requests:
        if request.path.endswith("/notes"):
            assert (
                specs.validate_pagerduty_rest("POST", "/incidents/{id}/notes", request.json) == []
            )
    for request in hook.requests:
        assert specs.validate_teams_envelope(request.json) == []
    channels = f"/v1.0/teams/{TEAM_ID}/channels"
    for request in graph.requests_to(channels, "POST"):
        template = (
            "/teams/{team-id}/channels"
            if request.path == channels
            else "/teams/{team-id}/channels/{channel-id}/messages"
        )
        assert specs.validate_graph_request("POST", template, request.json) == []
    for fake in (pd, hook, graph):
        fake.assert_no_spec_errors()


def test_a_p1_pages_once_opens_one_war_room_and_follows_the_lifecycle(
    imf_cli, configured, services, secrets
):
    pd, hook, graph = services
    outputs = []

    def run(*args: str) -> None:
        result = imf_cli(*args)
        outputs.append(result)
        assert result.exit_code == 0 and result.stderr == "", result

    run("declare", "Checkout down", "--severity", "P1", "-S", "payments")
    assert pd.pages == 1
    assert [c["displayName"] for c in graph.channels] == ["incident-INC-1"]
    assert len(hook.cards) == 1 and len(graph.cards) == 1

    run("assign", "INC-1", "commander", "alice")
    run("escalate", "INC-1", "--severity", "P2", "--reason", "only EU affected")
    run(
        "update",
        "INC-1",
        "--status",
        "identified",
        "--summary",
        "Bad deploy 1.4.2",
        "--since-last",
        "Rolled back",
        "--next-step",
        "Watch the error rate",
    )
    run("resolve", "INC-1", "--summary", "Rolled back", "--force", "verified by hand")

    assert pd.pages == 1  # no duplicate page
    [alert] = pd.alerts
    assert [e["event_action"] for e in alert.events] == ["trigger", "trigger", "resolve"]
    assert alert.status == "resolved"
    escalation = alert.events[1]
    assert escalation["payload"]["severity"] == "error"
    war_room = graph.channels[0]["webUrl"]
    assert {"href": war_room, "text": "war_room"} in escalation["links"]
    assert len(pd.notes) == 1 and "Bad deploy 1.4.2" in pd.notes[0].content
    assert len(graph.channels) == 1
    assert len(hook.cards) == len(graph.cards) == 5
    resolved = hook.cards[-1]
    assert resolved["body"][0]["style"] == "good"
    titles = {a["title"] for a in resolved["actions"]}
    assert titles == {"War room", "PagerDuty"}
    check_every_request(pd, hook, graph)

    outputs += [
        imf_cli("show", "INC-1"),
        imf_cli("show", "INC-1", "--json"),
        imf_cli("outbox", "--json"),
        imf_cli("config", "show"),
    ]
    text = "".join(o.stdout + o.stderr for o in outputs)
    for value in secrets.values():
        assert value not in text


def test_a_retried_declare_creates_no_second_channel_and_no_second_page(
    imf_cli, configured, services
):
    pd, hook, graph = services
    clock = Clock()
    graph.fail_next(1, 503, path=f"/v1.0/teams/{TEAM_ID}/channels/", method="POST")
    result = imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    assert result.exit_code == 0, result
    assert "teams" in result.stderr and "HTTP 503" in result.stderr
    states = {
        d["plugin"]: d["state"]
        for d in imf_cli("show", "INC-1", "--json").json()["deliveries"]
        if d["plugin"] in {"teams", "pagerduty"}
    }
    assert states == {"pagerduty": "delivered", "teams": "pending"}
    clock.advance(120)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert len(graph.channels) == 1
    assert pd.pages == 1 and pd.alerts[0].trigger_count == 1
    assert len(graph.cards) == 1
    check_every_request(pd, hook, graph)


def test_a_real_process_declares_and_resolves(imf_run, configured, services, secrets):
    pd, hook, graph = services
    declared = imf_run("declare", "Checkout down", "--severity", "P1", env=secrets)
    assert declared.exit_code == 0 and declared.stderr == "", declared
    assert "INC-1" in declared.stdout
    resolved = imf_run("resolve", "INC-1", "--force", "verified", env=secrets)
    assert resolved.exit_code == 0 and resolved.stderr == "", resolved
    assert pd.pages == 1 and pd.alerts[0].status == "resolved"
    assert len(graph.channels) == 1 and len(hook.cards) == 2
    check_every_request(pd, hook, graph)


def test_update_preview_shows_both_plugins_and_sends_nothing(
    imf_cli, configured, services, secrets
):
    pd, hook, graph = services
    assert imf_cli("declare", "Checkout down", "-s", "P1").exit_code == 0
    before = (len(pd.requests), len(hook.requests), len(graph.requests))
    result = imf_cli(
        "update",
        "INC-1",
        "--preview",
        "--json",
        "--status",
        "identified",
        "--summary",
        "Bad deploy [x](http://evil)",
    )
    assert result.exit_code == 0, result
    shown = result.json()
    assert shown["errors"] == {}
    card = json.loads(shown["previews"]["teams"])["attachments"][0]["content"]
    assert card["body"][0]["items"][0]["text"].startswith("Incident Update #1")
    if specs.specs_dir() is not None:
        assert specs.validate_adaptive_card(card) == []
    note = json.loads(shown["previews"]["pagerduty"])
    assert note["body"]["note"]["content"].splitlines()[1] == "Status: identified"
    assert (len(pd.requests), len(hook.requests), len(graph.requests)) == before
    assert all(value not in result.stdout for value in secrets.values())


def toml_blocks(path: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize(
    "source",
    ["docs/plugins/pagerduty.md", "docs/plugins/teams.md", "examples/configs/pagerduty-teams.toml"],
)
def test_documented_configurations_are_valid(imf_cli, imf_home, monkeypatch, source):
    path = ROOT / source
    text = path.read_text(encoding="utf-8") if path.suffix == ".toml" else toml_blocks(path)[0]
    for name in re.findall(r'env = "([A-Z_]+)"', text):
        monkeypatch.setenv(name, "0123456789abcdef0123456789abcdef")
    (imf_home.path / "imf.toml").write_text(text, encoding="utf-8")
    result = imf_cli("config", "validate")
    assert result.exit_code == 0, result
