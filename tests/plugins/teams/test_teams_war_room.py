"""The war room through the CLI: a channel per incident, cards in both channels."""

from __future__ import annotations

import json

import imf_teams
from imf.testing import specs
from imf.testing.fakes import GraphFake

from .conftest import TEAM_ID


def teams_refs(imf_cli, incident: str = "INC-1"):
    return imf_cli("show", incident, "--json").json()["incident"]["refs"].get("teams", {})


def teams_deliveries(imf_cli, incident: str = "INC-1"):
    return [
        d
        for d in imf_cli("show", incident, "--json").json()["deliveries"]
        if d["plugin"] == "teams"
    ]


def channel_posts(graph: GraphFake):
    return [r for r in graph.requests if r.method == "POST" and r.path.endswith("/messages")]


def test_a_p1_opens_one_war_room_and_posts_the_declare_card_in_both(
    imf_cli, teams_config, webhook, graph
):
    specs.require_specs()
    teams_config(webhook, war_room=True)
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 0 and result.stderr == "", result
    [channel] = graph.channels
    assert channel["displayName"] == "incident-INC-1"
    assert channel["membershipType"] == "standard"
    assert channel["description"] == "War room of INC-1: Checkout down"
    assert graph.channels_in(TEAM_ID)[-1]["id"] == channel["id"]
    [posted] = graph.cards
    [hooked] = webhook.cards
    assert posted == hooked
    assert hooked["actions"] == [
        {"type": "Action.OpenUrl", "title": "War room", "url": channel["webUrl"]}
    ]
    refs = teams_refs(imf_cli)
    assert refs["channel_id"] == channel["id"]
    assert refs["channel_url"] == channel["webUrl"]
    assert refs["links"] == {"war_room": channel["webUrl"]}
    assert f"war_room: {channel['webUrl']}" in imf_cli("show", "INC-1").stdout
    graph.assert_no_spec_errors()
    webhook.assert_no_spec_errors()


def test_later_cards_go_to_the_war_room_too(imf_cli, teams_config, webhook, graph):
    specs.require_specs()
    teams_config(webhook, war_room=True)
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("assign", "INC-1", "commander", "alice")
    imf_cli("update", "INC-1", "--status", "identified", "--summary", "Bad deploy")
    imf_cli("escalate", "INC-1", "-s", "P2")
    imf_cli("resolve", "INC-1", "--force", "checked by hand")
    assert len(graph.channels) == 1
    assert len(graph.cards) == len(webhook.cards) == 5
    headlines = [card["body"][0]["items"][0]["text"] for card in graph.cards]
    assert headlines[1] == "👤 INC-1: alice is now Incident Commander"
    assert headlines[2].startswith("Incident Update #1")
    assert headlines[4].startswith("✅ INC-1 resolved")
    for request in channel_posts(graph):
        errors = specs.validate_graph_request(
            "POST", "/teams/{team-id}/channels/{channel-id}/messages", request.json
        )
        assert errors == []
    graph.assert_no_spec_errors()


def test_a_severity_without_war_room_only_posts_to_the_webhook(
    imf_cli, teams_config, webhook, graph
):
    teams_config(webhook, war_room=True)
    imf_cli("declare", "Search slow", "-s", "P2")  # the policy says "prepare", not "activate"
    imf_cli("update", "INC-1", "--summary", "Looking")
    assert graph.requests == []
    assert len(webhook.cards) == 2


def test_escalating_into_a_war_room_severity_opens_it(imf_cli, teams_config, webhook, graph):
    teams_config(webhook, war_room=True)
    imf_cli("declare", "Search slow", "-s", "P3")
    imf_cli("escalate", "INC-1", "-s", "P1", "--reason", "checkout affected")
    imf_cli("escalate", "INC-1", "-s", "P2")
    imf_cli("escalate", "INC-1", "-s", "P1")
    assert [c["displayName"] for c in graph.channels] == ["incident-INC-1"]
    assert len(graph.cards) == 3  # every card from the first escalation into P1 on
    assert graph.cards[0]["body"][0]["items"][0]["text"] == "⬆️ INC-1 escalated: P3 → P1"


def test_war_room_severities_can_be_configured(imf_cli, teams_config, webhook, graph):
    teams_config(webhook, war_room={"severities": ["P2"]})
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("declare", "Search slow", "-s", "P2")
    assert [c["displayName"] for c in graph.channels] == ["incident-INC-2"]


def test_the_war_room_can_be_opened_without_posting_in_it(imf_cli, teams_config, webhook, graph):
    teams_config(webhook, war_room={"post_cards": False})
    imf_cli("declare", "Checkout down", "-s", "P1")
    imf_cli("update", "INC-1", "--summary", "Looking")
    assert len(graph.channels) == 1
    assert graph.messages == []
    assert len(webhook.cards) == 2
    assert webhook.cards[1]["actions"][0]["url"] == graph.channels[0]["webUrl"]


def test_a_retried_declare_finds_the_channel_it_created(
    imf_cli, teams_config, webhook, graph, clock
):
    teams_config(webhook, war_room=True)
    # The channel is created, then posting into it fails.
    graph.fail_next(1, 503, path=f"/v1.0/teams/{TEAM_ID}/channels/", method="POST")
    result = imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    assert "Microsoft Graph: HTTP 503" in result.stderr, result
    assert [d["state"] for d in teams_deliveries(imf_cli)] == ["pending"]
    assert len(graph.channels) == 1
    clock.advance(120)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert [d["state"] for d in teams_deliveries(imf_cli)] == ["delivered"]
    assert len(graph.channels) == 1  # found by name, not created again
    assert len(graph.cards) == 1
    creates = graph.requests_to(f"/v1.0/teams/{TEAM_ID}/channels", "POST")
    assert len([r for r in creates if r.path == f"/v1.0/teams/{TEAM_ID}/channels"]) == 1
    assert teams_refs(imf_cli)["channel_id"] == graph.channels[0]["id"]


def test_a_failed_channel_create_is_retried(imf_cli, teams_config, webhook, graph, clock):
    teams_config(webhook, war_room=True)
    graph.throttle_next(1, retry_after=30, path=f"/v1.0/teams/{TEAM_ID}/channels", method="POST")
    result = imf_cli("declare", "Checkout down", "-s", "P1", clock=clock)
    assert "HTTP 429" in result.stderr, result
    assert graph.channels == [] and webhook.cards == []
    clock.advance(40)
    imf_cli("deliver", clock=clock)
    assert len(graph.channels) == 1 and len(webhook.cards) == 1 and len(graph.cards) == 1


def test_an_unknown_team_is_a_permanent_error(imf_cli, teams_config, webhook, monkeypatch):
    with GraphFake(team_ids=("another-team",)) as restricted:
        monkeypatch.setenv("TEAMS_CLIENT_SECRET", restricted.client_secret)
        teams_config(
            webhook,
            war_room={
                "graph_url": restricted.graph_url,
                "token_url": restricted.url + "/{tenant}/oauth2/v2.0/token",
            },
        )
        monkeypatch.setenv("TEAMS_CLIENT_SECRET", restricted.client_secret)
        result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert "Microsoft Graph: HTTP 404" in result.stderr and "No team found" in result.stderr
    assert [d["state"] for d in teams_deliveries(imf_cli)] == ["dead"]


def test_secrets_stay_out_of_every_output(imf_cli, teams_config, webhook, graph):
    teams_config(webhook, war_room=True)
    outputs = [
        imf_cli("declare", "Checkout down", "-s", "P1"),
        imf_cli("show", "INC-1"),
        imf_cli("show", "INC-1", "--json"),
        imf_cli("outbox", "--json"),
        imf_cli("config", "show"),
    ]
    text = "".join(o.stdout + o.stderr for o in outputs)
    for secret in (graph.client_secret, "sig=imf-fake", webhook.webhook_url, "imf-graph-token-"):
        assert secret not in text


def test_cards_and_channel_in_russian(imf_cli, teams_config, webhook, graph):
    teams_config(webhook, war_room=True, language="ru")
    imf_cli("declare", "Сбой оплаты", "-s", "P1")
    assert graph.channels[0]["description"] == "Оперативный штаб INC-1: Сбой оплаты"
    card = webhook.cards[0]
    assert card["body"][0]["items"][0]["text"] == "🚨 Объявлен инцидент P1: INC-1"
    assert card["actions"][0]["title"] == "Оперативный штаб"


def test_preview_is_the_webhook_message(imf_app, teams_config, webhook, graph):
    specs.require_specs()
    teams_config(webhook)
    app = imf_app()
    incident, _ = app.service.declare("Checkout down", severity="P2")
    event = app.store.events(incident.id)[0]
    before = len(webhook.requests)
    text = imf_teams.imf_preview(incident, event, app.context("teams", incident))
    message = json.loads(text)
    assert specs.validate_teams_envelope(message) == []
    assert message["attachments"][0]["content"]["body"][0]["items"][1]["text"] == "Checkout down"
    assert len(webhook.requests) == before  # nothing sent
