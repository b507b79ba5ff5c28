"""The loopback fakes of imf.testing.fakes behave like the services they imitate."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
import pytest

from imf.testing.fakes import (
    ConfluenceFake,
    FakeServer,
    GraphFake,
    PagerDutyFake,
    Recorded,
    Response,
    StatuspageFake,
    TeamsWebhookFake,
    storage_problem,
)
from imf.testing.specs import require_specs

ROUTING_KEY = "R0123456789abcdef0123456789abcde"
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hi"}]}
ENVELOPE = {
    "type": "message",
    "attachments": [
        {
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": CARD,
        }
    ],
}


class EchoFake(FakeServer):
    """The smallest fake: ``POST /echo/{name}`` answers the name and the JSON it got."""

    def __init__(self) -> None:
        super().__init__()
        self.route("POST", "/echo/{name}", self._echo)

    def _echo(self, request: Recorded, params: dict[str, str]) -> Response:
        return Response.json(200, {"name": params["name"], "got": request.json})


@pytest.fixture
def echo() -> Iterator[EchoFake]:
    with EchoFake() as fake:
        yield fake


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as session:
        yield session


# ---------------------------------------------------------------------- FakeServer basics


def test_records_each_request(echo: EchoFake, client: httpx.Client) -> None:
    answer = client.post(f"{echo.url}/echo/a?x=1&x=2", json={"k": "v"}, headers={"X-Tag": "t"})
    assert answer.status_code == 200
    assert answer.json() == {"name": "a", "got": {"k": "v"}}
    (request,) = echo.requests
    assert (request.method, request.path, request.query) == ("POST", "/echo/a", {"x": "2"})
    assert request.query_values("x") == ["1", "2"]
    assert request.headers["x-tag"] == "t"
    assert json.loads(request.body) == {"k": "v"} == request.json
    assert request.at > 0


def test_requests_to_counts_and_clear(echo: EchoFake, client: httpx.Client) -> None:
    for name in ("a", "a", "b"):
        client.post(f"{echo.url}/echo/{name}", content=b"not json")
    assert [r.json for r in echo.requests_to("/echo/a")] == [None, None]
    assert len(echo.requests_to("/echo/", method="post")) == 3
    assert echo.path_counts == {"/echo/a": 2, "/echo/b": 1}
    echo.clear()
    assert echo.requests == [] and not echo.path_counts


def test_unknown_path_is_404_and_wrong_method_405(echo: EchoFake, client: httpx.Client) -> None:
    assert client.get(f"{echo.url}/nowhere").status_code == 404
    assert client.get(f"{echo.url}/echo/a").status_code == 405


def test_url_needs_a_started_server_and_stop_is_idempotent() -> None:
    fake = EchoFake()
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url
    fake.start()
    assert fake.url.startswith("http://127.0.0.1:")
    fake.stop()
    fake.stop()


def test_keep_alive_serves_500_requests_on_one_connection(echo: EchoFake) -> None:
    address = urlsplit(echo.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
    connection.connect()
    socket_before = connection.sock
    for index in range(500):
        connection.request("POST", "/echo/k", body=json.dumps({"i": index}))
        answer = connection.getresponse()
        assert answer.status == 200
        assert json.loads(answer.read())["got"] == {"i": index}
        assert answer.getheader("Connection") is None
    assert connection.sock is socket_before
    connection.close()
    assert echo.path_counts["/echo/k"] == 500


def test_concurrent_requests_are_all_recorded(echo: EchoFake) -> None:
    def worker() -> None:
        with httpx.Client(base_url=echo.url, timeout=5) as session:
            for _ in range(50):
                assert session.post("/echo/c", json={}).status_code == 200

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(echo.requests) == 400
    assert echo.path_counts["/echo/c"] == 400


def test_stop_closes_idle_keep_alive_connections(client: httpx.Client) -> None:
    fake = EchoFake().start()
    url = f"{fake.url}/echo/a"
    assert client.post(url, json={}).status_code == 200
    fake.stop()
    with pytest.raises(httpx.TransportError):
        client.post(url, json={})


# ---------------------------------------------------------------------- fault queue


def test_fail_next_then_success(echo: EchoFake, client: httpx.Client) -> None:
    echo.fail_next(2, status=503, body={"oops": True}, headers={"X-Fault": "yes"})
    first = client.post(f"{echo.url}/echo/a", json={})
    assert (first.status_code, first.json(), first.headers["x-fault"]) == (
        503,
        {"oops": True},
        "yes",
    )
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 503
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 200
    assert len(echo.requests) == 3


def test_faults_filter_by_path_and_method(echo: EchoFake, client: httpx.Client) -> None:
    echo.fail_next(status=502, path="/echo/b")
    echo.fail_next(status=500, method="GET")
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 200
    assert client.post(f"{echo.url}/echo/b", json={}).status_code == 502
    assert client.get(f"{echo.url}/echo/a").status_code == 500


def test_succeed_after_and_clear_faults(echo: EchoFake, client: httpx.Client) -> None:
    echo.succeed_after(1, status=504)
    assert [client.post(f"{echo.url}/echo/a").status_code for _ in range(2)] == [504, 200]
    echo.fail_next(5)
    echo.clear_faults()
    assert client.post(f"{echo.url}/echo/a").status_code == 200


@pytest.mark.parametrize("status", [429, 420])
def test_throttle_next_sends_retry_after(echo: EchoFake, client: httpx.Client, status: int) -> None:
    echo.throttle_next(status=status, retry_after=0.5)
    echo.throttle_next(retry_after=None)
    first = client.post(f"{echo.url}/echo/a")
    assert (first.status_code, first.headers["retry-after"]) == (status, "0.5")
    second = client.post(f"{echo.url}/echo/a")
    assert second.status_code == 429 and "retry-after" not in second.headers
    assert client.post(f"{echo.url}/echo/a").status_code == 200


def test_error_in_200_next(echo: EchoFake, client: httpx.Client) -> None:
    echo.error_in_200_next(body="something failed")
    answer = client.post(f"{echo.url}/echo/a")
    assert (answer.status_code, answer.text) == (200, "something failed")


def test_reset_next_aborts_the_connection(echo: EchoFake, client: httpx.Client) -> None:
    echo.reset_next()
    with pytest.raises(httpx.TransportError):
        client.post(f"{echo.url}/echo/a", json={})
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 200
    assert len(echo.requests) == 2


def test_timeout_next_holds_the_request(echo: EchoFake, client: httpx.Client) -> None:
    echo.timeout_next(seconds=30)
    with pytest.raises(httpx.ReadTimeout):
        client.post(f"{echo.url}/echo/a", json={}, timeout=0.3)
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 200


def test_stop_ends_a_held_request() -> None:
    fake = EchoFake().start()
    fake.timeout_next(seconds=30)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            httpx.post(f"{fake.url}/echo/a", json={}, timeout=60)
        except httpx.TransportError as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while not fake.requests:
        threading.Event().wait(0.01)
    fake.stop()
    caller.join(timeout=10)
    assert not caller.is_alive() and outcome


def test_delay_applies_to_every_answer(echo: EchoFake, client: httpx.Client) -> None:
    echo.delay(2)
    with pytest.raises(httpx.ReadTimeout):
        client.post(f"{echo.url}/echo/a", json={}, timeout=0.2)
    echo.delay(0)
    assert client.post(f"{echo.url}/echo/a", json={}).status_code == 200


# ---------------------------------------------------------------------- spec checks


def test_spec_violations_are_recorded_not_rejected(client: httpx.Client) -> None:
    require_specs()
    with PagerDutyFake() as pd:
        event = _event("trigger", "k1")
        event["client_url"] = 42
        assert client.post(pd.events_url, json=event).status_code == 202
        assert pd.spec_errors == ["POST /v2/enqueue: $.client_url: 42 is not of type 'string'"]
        with pytest.raises(AssertionError, match="client_url"):
            pd.assert_no_spec_errors()


def test_validation_can_be_turned_off(client: httpx.Client) -> None:
    with PagerDutyFake(validate=False) as pd:
        event = _event("trigger", "k1")
        event["client_url"] = 42
        client.post(pd.events_url, json=event)
        pd.assert_no_spec_errors()


# ---------------------------------------------------------------------- PagerDuty


def _event(action: str, dedup_key: str | None = None, **payload: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"routing_key": ROUTING_KEY, "event_action": action}
    if dedup_key is not None:
        event["dedup_key"] = dedup_key
    if action == "trigger":
        event["payload"] = {"summary": "DB down", "source": "db1", "severity": "critical"}
        event["payload"].update(payload)
    return event


@pytest.fixture
def pd() -> Iterator[PagerDutyFake]:
    with PagerDutyFake(api_token="pdtoken123") as fake:
        yield fake


def _rest_headers(**extra: str) -> dict[str, str]:
    accept = "application/vnd.pagerduty+json;version=2"
    return {"Authorization": "Token token=pdtoken123", "Accept": accept, **extra}


def test_pagerduty_dedup_lifecycle(pd: PagerDutyFake, client: httpx.Client) -> None:
    answer = client.post(pd.events_url, json=_event("trigger", "inc-1"))
    assert answer.status_code == 202
    assert answer.json() == {
        "status": "success",
        "message": "Event processed",
        "dedup_key": "inc-1",
    }
    client.post(pd.events_url, json=_event("trigger", "inc-1"))
    assert pd.pages == 1
    alert = pd.open_alert("inc-1")
    assert alert is not None and alert.trigger_count == 2
    client.post(pd.events_url, json=_event("acknowledge", "inc-1"))
    assert alert.status == "acknowledged" and pd.incidents[0]["status"] == "acknowledged"
    client.post(pd.events_url, json=_event("resolve", "inc-1"))
    assert alert.status == "resolved" and pd.incidents[0]["status"] == "resolved"
    assert pd.open_alert("inc-1") is None
    client.post(pd.events_url, json=_event("trigger", "inc-1"))
    assert pd.pages == 2 and len(pd.alerts) == 2
    pd.assert_no_spec_errors()


def test_pagerduty_drops_ack_and_resolve_without_open_alert(
    pd: PagerDutyFake, client: httpx.Client
) -> None:
    for action in ("acknowledge", "resolve"):
        answer = client.post(pd.events_url, json=_event(action, "never-triggered"))
        assert answer.status_code == 202
    assert pd.pages == 0 and pd.alerts == [] and len(pd.events) == 2


def test_pagerduty_generates_a_dedup_key(pd: PagerDutyFake, client: httpx.Client) -> None:
    dedup_key = client.post(pd.events_url, json=_event("trigger")).json()["dedup_key"]
    assert len(dedup_key) == 32
    assert pd.incidents[0]["incident_key"] == dedup_key


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({**_event("trigger", "k"), "routing_key": "short"}, "Length of 'routing_key'"),
        ({**_event("trigger", "k"), "event_action": "fire"}, "'event_action' is invalid"),
        (_event("resolve"), "'dedup_key' is missing"),
        (_event("trigger", "k", severity="fatal"), "'payload.severity' is invalid"),
        (_event("trigger", "k", summary="x" * 1025), "Length of 'payload.summary'"),
        ({"routing_key": ROUTING_KEY, "event_action": "trigger"}, "'payload' is missing"),
    ],
)
def test_pagerduty_rejects_invalid_events(
    pd: PagerDutyFake, client: httpx.Client, event: dict[str, Any], message: str
) -> None:
    answer = client.post(pd.events_url, json=event)
    assert answer.status_code == 400
    body = answer.json()
    assert (body["status"], body["message"]) == ("invalid event", "Event object is invalid")
    assert any(message in error for error in body["errors"])
    assert pd.pages == 0


def test_pagerduty_rejects_non_json(pd: PagerDutyFake, client: httpx.Client) -> None:
    assert client.post(pd.events_url, content=b"{nope").status_code == 400


def test_pagerduty_rest_incidents_and_notes(pd: PagerDutyFake, client: httpx.Client) -> None:
    client.post(pd.events_url, json=_event("trigger", "inc-7"))
    listed = client.get(
        f"{pd.url}/incidents", params={"incident_key": "inc-7"}, headers=_rest_headers()
    )
    assert listed.status_code == 200
    (incident,) = listed.json()["incidents"]
    assert incident["incident_key"] == "inc-7" and incident["status"] == "triggered"
    note = client.post(
        f"{pd.url}/incidents/{incident['id']}/notes",
        json={"note": {"content": "Firefighters are on the scene."}},
        headers=_rest_headers(From="ic@example.com"),
    )
    assert note.status_code == 201
    assert note.json()["note"]["content"] == "Firefighters are on the scene."
    assert [(n.incident_id, n.user_email) for n in pd.notes] == [(incident["id"], "ic@example.com")]
    pd.assert_no_spec_errors()


def test_pagerduty_rest_errors(pd: PagerDutyFake, client: httpx.Client) -> None:
    client.post(pd.events_url, json=_event("trigger", "inc-8"))
    incident_id = pd.incidents[0]["id"]
    unauthorized = client.get(f"{pd.url}/incidents", headers={"Accept": _rest_headers()["Accept"]})
    assert unauthorized.status_code == 401 and unauthorized.json()["error"]["code"] == 2006
    wrong_accept = client.get(f"{pd.url}/incidents", headers=_rest_headers(Accept="*/*"))
    assert wrong_accept.status_code == 400
    notes = f"{pd.url}/incidents/{incident_id}/notes"
    no_from = client.post(notes, json={"note": {"content": "x"}}, headers=_rest_headers())
    assert no_from.status_code == 400 and no_from.json()["error"]["errors"]
    blank = client.post(notes, json={"note": {}}, headers=_rest_headers(From="a@example.com"))
    assert blank.status_code == 400
    missing = client.post(
        f"{pd.url}/incidents/PNOPE/notes",
        json={"note": {"content": "x"}},
        headers=_rest_headers(From="a@example.com"),
    )
    assert missing.status_code == 404 and missing.json()["error"]["message"] == "Not Found"


def test_pagerduty_fault_bodies_follow_each_api(pd: PagerDutyFake, client: httpx.Client) -> None:
    pd.throttle_next(path="/v2/")
    pd.fail_next(path="/incidents")
    throttled = client.post(pd.events_url, json=_event("trigger", "k"))
    assert throttled.status_code == 429 and throttled.json()["status"] == "throttle event"
    failed = client.get(f"{pd.url}/incidents", headers=_rest_headers())
    assert failed.status_code == 500 and "error" in failed.json()
    assert pd.pages == 0


# ---------------------------------------------------------------------- Teams webhook


def test_workflows_webhook_accepts_cards(client: httpx.Client) -> None:
    with TeamsWebhookFake() as teams:
        answer = client.post(teams.webhook_url, json=ENVELOPE)
        assert (answer.status_code, answer.content) == (202, b"")
        assert teams.cards == [CARD]
        teams.assert_no_spec_errors()


def test_workflows_webhook_refusals(client: httpx.Client) -> None:
    with TeamsWebhookFake() as teams:
        unsigned = teams.webhook_url.split("&sig=")[0]
        assert client.post(unsigned, json=ENVELOPE).status_code == 401
        big = json.loads(json.dumps(ENVELOPE))
        big["attachments"][0]["content"]["body"][0]["text"] = "x" * 29_000
        assert client.post(teams.webhook_url, json=big).status_code == 413
        assert client.post(teams.webhook_url, content=b"<html>").status_code == 400
        assert teams.cards == []


def test_workflows_webhook_accepts_a_bad_envelope_but_reports_it(client: httpx.Client) -> None:
    require_specs()
    with TeamsWebhookFake() as teams:
        assert client.post(teams.webhook_url, json={"text": "hello"}).status_code == 202
        assert teams.cards == []
        assert any("$.type: must be 'message'" in error for error in teams.spec_errors)


def test_workflows_rate_limit(client: httpx.Client) -> None:
    with TeamsWebhookFake(enforce_rate_limit=True) as teams:
        codes = [client.post(teams.webhook_url, json=ENVELOPE).status_code for _ in range(6)]
        assert codes[:4] == [202] * 4 and 429 in codes[4:]
        assert len(teams.cards) == codes.count(202)


def test_connector_webhook_answers_1(client: httpx.Client) -> None:
    with TeamsWebhookFake("connector") as teams:
        answer = client.post(teams.webhook_url, json=ENVELOPE)
        assert (answer.status_code, answer.text) == (200, "1")
        assert teams.cards == [CARD]


def test_connector_errors_come_as_http_200(client: httpx.Client) -> None:
    with TeamsWebhookFake("connector", enforce_rate_limit=True) as teams:
        teams.connector_error_next(1, status=429)
        teams.connector_error_next(1, status=413)
        for status in (429, 413):
            answer = client.post(teams.webhook_url, json=ENVELOPE)
            assert answer.status_code == 200
            assert answer.text.startswith(f"Microsoft Teams endpoint returned HTTP error {status}")
            assert "ContextId tcid=0,server=msgapi-" in answer.text
        refused = client.post(teams.webhook_url, json={"text": "legacy"})
        assert refused.status_code == 200
        assert refused.text.startswith("Microsoft Teams endpoint returned HTTP error 400 ")
        big = json.loads(json.dumps(ENVELOPE))
        big["attachments"][0]["content"]["body"][0]["text"] = "x" * 29_000
        assert "HTTP error 413" in client.post(teams.webhook_url, json=big).text
        texts = [client.post(teams.webhook_url, json=ENVELOPE).text for _ in range(6)]
        assert texts[:4] == ["1"] * 4 and any("HTTP error 429" in t for t in texts[4:])


def test_teams_clear_forgets_cards(client: httpx.Client) -> None:
    with TeamsWebhookFake() as teams:
        client.post(teams.webhook_url, json=ENVELOPE)
        teams.clear()
        assert teams.cards == [] and teams.requests == []


def test_teams_rejects_an_unknown_flavour() -> None:
    with pytest.raises(ValueError, match="flavour"):
        TeamsWebhookFake("office")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- Microsoft Graph


@pytest.fixture
def graph() -> Iterator[GraphFake]:
    with GraphFake() as fake:
        yield fake


def _token(graph: GraphFake, client: httpx.Client, **override: str) -> httpx.Response:
    form = {
        "grant_type": "client_credentials",
        "client_id": graph.client_id,
        "client_secret": graph.client_secret,
        "scope": "https://graph.microsoft.com/.default",
        **override,
    }
    return client.post(graph.token_url, data=form)


def _bearer(graph: GraphFake, client: httpx.Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {_token(graph, client).json()['access_token']}"}


def test_graph_client_credentials(graph: GraphFake, client: httpx.Client) -> None:
    answer = _token(graph, client)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3599) and body["access_token"]
    wrong_secret = _token(graph, client, client_secret="nope")
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"
    assert wrong_secret.json()["error_description"].startswith("AADSTS7000215: Invalid client")
    assert _token(graph, client, scope="User.Read").status_code == 400
    assert _token(graph, client, grant_type="password").status_code == 400
    assert _token(graph, client, client_id="other").status_code == 400
    assert graph.tokens_issued == 1


def test_graph_channels(graph: GraphFake, client: httpx.Client) -> None:
    headers = _bearer(graph, client)
    channels = f"{graph.graph_url}/teams/team-1/channels"
    payload = {"displayName": "incident-42", "description": "P1", "membershipType": "standard"}
    created = client.post(channels, json=payload, headers=headers)
    assert created.status_code == 201
    channel = created.json()
    assert channel["id"].startswith("19:") and channel["id"].endswith("@thread.tacv2")
    assert channel["webUrl"].startswith("https://teams.microsoft.com/l/channel/")
    assert (channel["displayName"], channel["membershipType"]) == ("incident-42", "standard")
    duplicate = client.post(channels, json={"displayName": "Incident-42"}, headers=headers)
    assert duplicate.status_code == 400
    error = duplicate.json()["error"]
    assert error["code"] == "NameAlreadyExists"
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    for name in ("x" * 51, "a/b", "", "_hidden"):
        refused = client.post(channels, json={"displayName": name}, headers=headers)
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "BadRequest"
    found = client.get(
        channels, params={"$filter": "displayName eq 'incident-42'"}, headers=headers
    )
    assert [c["id"] for c in found.json()["value"]] == [channel["id"]]
    everything = client.get(channels, headers=headers).json()["value"]
    assert [c["displayName"] for c in everything] == ["General", "incident-42"]
    assert [c["id"] for c in graph.channels] == [channel["id"]]
    graph.assert_no_spec_errors()


def test_graph_messages(graph: GraphFake, client: httpx.Client) -> None:
    headers = _bearer(graph, client)
    channels = f"{graph.graph_url}/teams/team-1/channels"
    channel_id = client.post(channels, json={"displayName": "war-room"}, headers=headers).json()[
        "id"
    ]
    messages = f"{channels}/{quote(channel_id, safe='')}/messages"
    message = {
        "body": {"contentType": "html", "content": '<attachment id="c1"></attachment>'},
        "attachments": [
            {
                "id": "c1",
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": json.dumps(CARD),
            }
        ],
    }
    posted = client.post(messages, json=message, headers=headers)
    assert posted.status_code == 201
    assert posted.json()["channelIdentity"] == {"teamId": "team-1", "channelId": channel_id}
    assert graph.cards == [CARD] and len(graph.messages) == 1
    graph.assert_no_spec_errors()
    unreferenced = {**message, "body": {"contentType": "html", "content": "no reference"}}
    assert client.post(messages, json=unreferenced, headers=headers).status_code == 400
    as_object = json.loads(json.dumps(message))
    as_object["attachments"][0]["content"] = CARD
    assert client.post(messages, json=as_object, headers=headers).status_code == 400
    unknown = client.post(
        f"{channels}/19:nope@thread.tacv2/messages", json=message, headers=headers
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "NotFound"
    assert len(graph.messages) == 1


def test_graph_requires_a_valid_bearer_token(graph: GraphFake, client: httpx.Client) -> None:
    channels = f"{graph.graph_url}/teams/team-1/channels"
    assert client.get(channels).status_code == 401
    headers = _bearer(graph, client)
    assert client.get(channels, headers=headers).status_code == 200
    graph.expire_tokens()
    expired = client.get(channels, headers=headers)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "InvalidAuthenticationToken"


def test_graph_team_ids_restrict_teams(client: httpx.Client) -> None:
    with GraphFake(team_ids=("known",)) as graph:
        headers = _bearer(graph, client)
        assert client.get(f"{graph.graph_url}/teams/known/channels", headers=headers).is_success
        other = client.get(f"{graph.graph_url}/teams/other/channels", headers=headers)
        assert other.status_code == 404


# ---------------------------------------------------------------------- Statuspage


@pytest.fixture
def statuspage() -> Iterator[StatuspageFake]:
    with StatuspageFake(api_key="sp-key", components={"cmpapi000001": "API"}) as fake:
        yield fake


def _sp(statuspage: StatuspageFake) -> httpx.Client:
    headers = {"Authorization": "OAuth sp-key"}
    return httpx.Client(
        base_url=f"{statuspage.api_url}/pages/{statuspage.page_id}", headers=headers
    )


def test_statuspage_incident_lifecycle(statuspage: StatuspageFake) -> None:
    with _sp(statuspage) as api:
        created = api.post(
            "/incidents",
            json={
                "incident": {
                    "name": "API errors",
                    "status": "investigating",
                    "body": "We are looking into it.",
                    "components": {"cmpapi000001": "major_outage"},
                    "component_ids": ["cmpapi000001"],
                    "metadata": {"imf": {"incident": "42"}},
                }
            },
        )
        assert created.status_code == 201
        incident = created.json()
        for key in ("id", "shortlink", "created_at", "impact_override", "incident_updates"):
            assert key in incident
        assert (incident["status"], incident["impact"]) == ("investigating", "critical")
        assert incident["components"][0]["status"] == "major_outage"
        assert incident["metadata"] == {"imf": {"incident": "42"}}
        path = f"/incidents/{incident['id']}"
        update = {"incident": {"status": "monitoring", "body": "Fix deployed."}}
        assert api.patch(path, json=update).json()["status"] == "monitoring"
        resolved = api.put(
            path,
            json={
                "incident": {"status": "resolved", "components": {"cmpapi000001": "operational"}}
            },
        ).json()
        assert resolved["resolved_at"] and resolved["impact"] == "none"
        assert [u["status"] for u in resolved["incident_updates"]] == [
            "resolved",
            "monitoring",
            "investigating",
        ]
        assert api.get(path).json()["id"] == incident["id"]
    assert statuspage.component_changes == [
        ("cmpapi000001", "major_outage"),
        ("cmpapi000001", "operational"),
    ]
    statuspage.assert_no_spec_errors()


def test_statuspage_lists(statuspage: StatuspageFake) -> None:
    with _sp(statuspage) as api:
        for name in ("Database slow", "Login broken", "Database down"):
            api.post("/incidents", json={"incident": {"name": name}})
        first = api.get("/incidents", params={"q": "database"}).json()
        assert [i["name"] for i in first] == ["Database down", "Database slow"]
        paged = api.get("/incidents", params={"limit": 2, "page": 2}).json()
        assert [i["name"] for i in paged] == ["Database slow"]
        newest = api.get("/incidents").json()[0]
        api.patch(f"/incidents/{newest['id']}", json={"incident": {"status": "resolved"}})
        unresolved = api.get("/incidents/unresolved").json()
        assert {i["name"] for i in unresolved} == {"Database slow", "Login broken"}


def test_statuspage_components(statuspage: StatuspageFake) -> None:
    with _sp(statuspage) as api:
        changed = api.patch(
            "/components/cmpapi000001", json={"component": {"status": "degraded_performance"}}
        )
        assert changed.status_code == 200 and changed.json()["status"] == "degraded_performance"
        assert statuspage.components["cmpapi000001"]["status"] == "degraded_performance"
        invalid = api.patch("/components/cmpapi000001", json={"component": {"status": "down"}})
        assert invalid.status_code == 422 and isinstance(invalid.json()["error"], list)
        unknown = api.patch("/components/nope", json={"component": {"status": "operational"}})
        assert unknown.status_code == 404


def test_statuspage_errors(statuspage: StatuspageFake) -> None:
    with _sp(statuspage) as api:
        unauthenticated = httpx.get(f"{statuspage.api_url}/pages/{statuspage.page_id}/incidents")
        assert unauthenticated.status_code == 401
        assert unauthenticated.json() == {"error": "Could not authenticate"}
        by_query = httpx.get(
            f"{statuspage.api_url}/pages/{statuspage.page_id}/incidents",
            params={"api_key": "sp-key"},
        )
        assert by_query.status_code == 200
        assert api.get("/incidents/nope").json() == {"error": "Record not found"}
        other_page = httpx.get(f"{statuspage.api_url}/pages/other/incidents", headers=api.headers)
        assert other_page.status_code == 404
        for incident in (
            {"name": "x", "status": "fixed"},
            {"name": "x", "impact_override": "huge"},
            {"name": "x", "components": {"cmpapi000001": ""}},
            {"name": ""},
            {"name": "x", "component_ids": ["unknown"]},
        ):
            refused = api.post("/incidents", json={"incident": incident})
            assert refused.status_code == 422, incident
            assert refused.json()["error"]
        assert statuspage.incidents == []


@pytest.mark.parametrize("status", [420, 429])
def test_statuspage_rate_limit(status: int) -> None:
    with StatuspageFake(enforce_rate_limit=True, rate_limit_status=status) as statuspage:
        headers = {"Authorization": f"OAuth {statuspage.api_key}"}
        url = f"{statuspage.api_url}/pages/{statuspage.page_id}/incidents"
        with httpx.Client(headers=headers) as api:
            first, second = api.get(url), api.get(url)
        assert first.status_code == 200
        assert (second.status_code, second.headers["retry-after"]) == (status, "1")


# ---------------------------------------------------------------------- Confluence

PAGE_BODY = (
    '<h1>Summary</h1><p>DB &amp; cache &#160;down.</p><ac:structured-macro ac:name="info">'
    "<ac:rich-text-body><p>Note</p></ac:rich-text-body></ac:structured-macro>"
    '<p><ac:link><ri:page ri:content-title="Runbook" /></ac:link></p>'
)


@pytest.fixture
def confluence() -> Iterator[ConfluenceFake]:
    with ConfluenceFake(email="pm@example.com", api_token="cf-token") as fake:
        yield fake


def _cloud(confluence: ConfluenceFake) -> httpx.Client:
    return httpx.Client(base_url=confluence.wiki_url, auth=("pm@example.com", "cf-token"))


def test_storage_problem() -> None:
    assert storage_problem(PAGE_BODY) is None
    assert "undefined entity" in (storage_problem("<p>a&nbsp;b</p>") or "")
    assert "unbound prefix" in (storage_problem("<x:y/>") or "")
    assert "mismatched tag" in (storage_problem("<p>a</div>") or "")


def test_confluence_v2_page_lifecycle(confluence: ConfluenceFake) -> None:
    with _cloud(confluence) as wiki:
        space = wiki.get("/api/v2/spaces", params={"keys": "IMF"}).json()["results"][0]
        created = wiki.post(
            "/api/v2/pages",
            json={
                "spaceId": space["id"],
                "status": "current",
                "title": "Post-mortem 42",
                "body": {"representation": "storage", "value": PAGE_BODY},
            },
        )
        assert created.status_code == 200
        page = created.json()
        assert page["version"]["number"] == 1 and page["parentId"] == space["homepageId"]
        assert page["body"]["storage"]["value"] == PAGE_BODY
        assert {"webui", "base", "tinyui"} <= set(page["_links"])
        fetched = wiki.get(f"/api/v2/pages/{page['id']}", params={"body-format": "storage"})
        assert fetched.json()["body"]["storage"]["value"] == PAGE_BODY
        assert wiki.get(f"/api/v2/pages/{page['id']}").json()["body"] == {}
        listed = wiki.get(
            "/api/v2/pages", params={"space-id": space["id"], "title": "Post-mortem 42"}
        ).json()
        assert [p["id"] for p in listed["results"]] == [page["id"]] and "_links" in listed
        update = {
            "id": page["id"],
            "status": "current",
            "title": "Post-mortem 42",
            "body": {"representation": "storage", "value": "<p>v2</p>"},
            "version": {"number": 2, "message": "action items"},
        }
        assert wiki.put(f"/api/v2/pages/{page['id']}", json=update).json()["version"]["number"] == 2
        stale = wiki.put(f"/api/v2/pages/{page['id']}", json=update)
        assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "CONFLICT"
        labels = wiki.post(
            f"/rest/api/content/{page['id']}/label", json=[{"prefix": "global", "name": "pm"}]
        )
        assert labels.status_code == 200 and labels.json()["results"][0]["name"] == "pm"
    stored = confluence.find_page("Post-mortem 42", "IMF")
    assert stored is not None
    assert (stored.body, stored.history, stored.labels) == (
        "<p>v2</p>",
        [PAGE_BODY, "<p>v2</p>"],
        ["pm"],
    )
    confluence.assert_no_spec_errors()


def test_confluence_v2_refusals(confluence: ConfluenceFake) -> None:
    space_id = confluence.spaces["IMF"].id
    with _cloud(confluence) as wiki:

        def create(title: str, value: str) -> httpx.Response:
            body = {"representation": "storage", "value": value}
            return wiki.post(
                "/api/v2/pages", json={"spaceId": space_id, "title": title, "body": body}
            )

        assert create("Taken", "<p>x</p>").status_code == 200
        duplicate = create("Taken", "<p>y</p>")
        assert duplicate.status_code == 400
        error = duplicate.json()["errors"][0]
        assert (error["status"], error["code"]) == (400, "BAD_REQUEST")
        assert error["title"].startswith("A page with this title already exists")
        assert create("Entity", "<p>a&nbsp;b</p>").status_code == 400
        assert create("Prefix", "<p><x:macro/></p>").status_code == 400
        assert wiki.get("/api/v2/pages/999").status_code == 404
        unauthenticated = httpx.get(f"{confluence.wiki_url}/api/v2/pages")
        assert unauthenticated.status_code == 401


def test_confluence_data_center_v1(client: httpx.Client) -> None:
    with ConfluenceFake(auth="bearer", api_token="pat", context_path="/confluence") as dc:
        api = f"{dc.server_url}/rest/api"
        headers = {"Authorization": "Bearer pat"}
        parent = dc.spaces["IMF"].homepage_id
        created = client.post(
            f"{api}/content",
            headers=headers,
            json={
                "type": "page",
                "title": "PM 7",
                "space": {"key": "IMF"},
                "ancestors": [{"id": parent}],
                "body": {"storage": {"value": PAGE_BODY, "representation": "storage"}},
            },
        )
        assert created.status_code == 200
        page_id = created.json()["id"]
        fetched = client.get(
            f"{api}/content/{page_id}", params={"expand": "version,body.storage"}, headers=headers
        ).json()
        assert fetched["version"]["number"] == 1
        assert fetched["body"]["storage"]["value"] == PAGE_BODY
        found = client.get(
            f"{api}/content",
            params={"spaceKey": "IMF", "title": "PM 7", "expand": "version"},
            headers=headers,
        ).json()
        assert [r["id"] for r in found["results"]] == [page_id]
        update = {
            "type": "page",
            "title": "PM 7",
            "version": {"number": 2},
            "body": {"storage": {"value": "<p>2</p>", "representation": "storage"}},
        }
        assert client.put(f"{api}/content/{page_id}", json=update, headers=headers).is_success
        stale = client.put(f"{api}/content/{page_id}", json=update, headers=headers)
        assert stale.status_code == 409 and "Current version is: 2" in stale.json()["message"]
        basic = client.get(f"{api}/content", auth=("pm@example.com", "pat"))
        assert basic.status_code == 401
        dc.throttle_next(retry_after=3)
        throttled = client.get(f"{api}/content", headers=headers)
        assert (throttled.status_code, throttled.headers["retry-after"]) == (429, "3")
        dc.assert_no_spec_errors()


def test_confluence_rejects_an_unknown_auth() -> None:
    with pytest.raises(ValueError, match="auth"):
        ConfluenceFake(auth="oauth")  # type: ignore[arg-type]
