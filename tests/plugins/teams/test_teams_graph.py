"""Microsoft Graph: token, war room channel lookup and creation, card messages."""

from __future__ import annotations

import json

import attrs
import httpx
import pytest

import imf
from imf.testing import specs
from imf.testing.fakes import GraphFake
from imf_teams import graph as graph_api
from imf_teams.config import WarRoomConfig

from .conftest import TEAM_ID


def room_config(fake: GraphFake, **extra) -> WarRoomConfig:
    return WarRoomConfig(
        tenant=fake.tenant_id,
        client_id=fake.client_id,
        client_secret=imf.Secret(fake.client_secret),
        team_id=TEAM_ID,
        graph_url=fake.graph_url,
        token_url=fake.url + "/{tenant}/oauth2/v2.0/token",
        **extra,
    )


@pytest.fixture
def client(graph: GraphFake) -> graph_api.GraphClient:
    ctx = imf.PluginContext(name="teams", timeout=5.0)
    return graph_api.GraphClient(ctx, room_config(graph))


def test_a_channel_is_looked_up_then_created_once(client, graph):
    specs.require_specs()
    first = client.ensure_channel("incident-INC-1", "War room of INC-1")
    again = client.ensure_channel("incident-INC-1", "War room of INC-1")
    assert first["id"] == again["id"]
    assert [c["displayName"] for c in graph.channels] == ["incident-INC-1"]
    creates = graph.requests_to(f"/v1.0/teams/{TEAM_ID}/channels", "POST")
    assert len(creates) == 1
    assert creates[0].json == {
        "displayName": "incident-INC-1",
        "description": "War room of INC-1",
        "membershipType": "standard",
    }
    lookups = graph.requests_to(f"/v1.0/teams/{TEAM_ID}/channels", "GET")
    assert lookups[0].query["$filter"] == "displayName eq 'incident-INC-1'"
    graph.assert_no_spec_errors()


def test_a_channel_created_meanwhile_is_used(client, graph):
    # Another attempt creates it between our lookup and our create.
    graph.fail_next(
        1, 200, body={"value": []}, path=f"/v1.0/teams/{TEAM_ID}/channels", method="GET"
    )
    token = client.token()
    made = httpx.post(
        f"{graph.graph_url}/teams/{TEAM_ID}/channels",
        json={"displayName": "incident-INC-2", "membershipType": "standard"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201
    found = client.ensure_channel("incident-INC-2", "x")
    assert found["id"] == made.json()["id"]
    assert len(graph.channels) == 1


def test_the_token_is_cached_and_renewed_when_refused(client, graph):
    client.find_channel("General")
    client.find_channel("General")
    assert graph.tokens_issued == 1
    graph.expire_tokens()
    assert client.find_channel("General") is not None
    assert graph.tokens_issued == 2
    [token_request] = graph.requests_to(f"/{graph.tenant_id}/oauth2/v2.0/token")[:1]
    form = dict(p.split("=", 1) for p in token_request.body.decode().split("&"))
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "https%3A%2F%2Fgraph.microsoft.com%2F.default"


def test_a_wrong_secret_is_permanent_and_not_shown(graph):
    ctx = imf.PluginContext(name="teams", timeout=5.0)
    room = attrs.evolve(room_config(graph), client_secret=imf.Secret("wrong-secret-xyz"))
    wrong = graph_api.GraphClient(ctx, room)
    with pytest.raises(imf.PermanentError) as caught:
        wrong.find_channel("General")
    message = str(caught.value)
    assert "HTTP 401" in message and "AADSTS7000215" in message
    assert "wrong-secret-xyz" not in message


def test_graph_throttling_is_retryable_with_retry_after(client, graph):
    graph.throttle_next(1, retry_after=7, path="/v1.0/")
    with pytest.raises(imf.RetryableError) as caught:
        client.find_channel("General")
    assert caught.value.retry_after == 7
    assert "Microsoft Graph: HTTP 429" in str(caught.value)


def test_cards_are_posted_as_referenced_attachments(client, graph):
    specs.require_specs()
    channel = client.ensure_channel("incident-INC-3", "x")
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Ы"}]}
    attachment = graph_api.attachment_id("INC-3", 1)
    client.post_card(channel["id"], card, attachment)
    assert graph.cards == [card]
    [message] = graph.messages
    assert message["body"]["content"] == f'<attachment id="{attachment}"></attachment>'
    body = graph_api.message_body(card, attachment)
    assert (
        specs.validate_graph_request(
            "POST", "/teams/{team-id}/channels/{channel-id}/messages", body
        )
        == []
    )
    assert json.loads(body["attachments"][0]["content"]) == card
    graph.assert_no_spec_errors()


def test_attachment_ids_are_stable_per_event():
    assert graph_api.attachment_id("INC-1", 2) == graph_api.attachment_id("INC-1", 2)
    assert graph_api.attachment_id("INC-1", 2) != graph_api.attachment_id("INC-1", 3)


@pytest.mark.parametrize(
    ("template", "incident_id", "expected"),
    [
        ("incident-{id}", "INC-42", "incident-INC-42"),
        ("{id} / payments: war room?", "INC-7", "INC-7 - payments- war room-"),
        ("..{id}..", "INC-1", "INC-1"),
        (
            "very long war room name for the incident {id} of the payments team",
            "INC-123456",
            "incident-INC-123456",
        ),
        ("war room", "INC-9", "incident-INC-9"),
    ],
)
def test_channel_names_are_valid_and_at_most_50_characters(template, incident_id, expected):
    room = WarRoomConfig(
        tenant="t",
        client_id="c",
        client_secret=imf.Secret("s"),
        team_id="x",
        channel_name=template,
    )
    name = graph_api.channel_name(room, incident_id)
    assert name == expected
    assert len(name) <= graph_api.CHANNEL_NAME_MAX
