"""The fake-service fixtures serve real HTTP on loopback, and stop after the test."""

from __future__ import annotations

import httpx
import pytest

pytest_plugins = ["pytester"]

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "hi"}]}
ENVELOPE = {
    "type": "message",
    "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}],
}


def trigger(routing_key: str = "R" * 32) -> dict:
    return {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": "INC-1",
        "payload": {"summary": "API down", "source": "imf", "severity": "critical"},
    }


def test_pagerduty_fake_pages_once_per_dedup_key_and_throttles_on_request(pagerduty_fake):
    assert pagerduty_fake.url.startswith("http://127.0.0.1:")
    with httpx.Client() as client:
        assert client.post(pagerduty_fake.events_url, json=trigger()).status_code == 202
        assert client.post(pagerduty_fake.events_url, json=trigger()).status_code == 202
        pagerduty_fake.throttle_next()
        assert client.post(pagerduty_fake.events_url, json=trigger()).status_code == 429
    assert pagerduty_fake.pages == 1


def test_teams_fake_records_cards(teams_fake):
    response = httpx.post(teams_fake.webhook_url, json=ENVELOPE)
    assert response.status_code == 202
    assert teams_fake.cards == [CARD]


def test_graph_fake_issues_tokens(graph_fake):
    response = httpx.post(
        graph_fake.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": graph_fake.client_id,
            "client_secret": graph_fake.client_secret,
            "scope": "https://graph.microsoft.com/.default",
        },
    )
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_statuspage_fake_requires_the_key(statuspage_fake):
    url = f"{statuspage_fake.api_url}/pages/{statuspage_fake.page_id}/incidents"
    assert httpx.get(url).status_code == 401
    ok = httpx.get(url, headers={"Authorization": f"OAuth {statuspage_fake.api_key}"})
    assert ok.status_code == 200


def test_confluence_fake_lists_its_space(confluence_fake):
    response = httpx.get(
        f"{confluence_fake.url}/wiki/api/v2/spaces",
        params={"keys": "IMF"},
        auth=(confluence_fake.email, confluence_fake.api_token),
    )
    assert response.status_code == 200
    assert [s["key"] for s in response.json()["results"]] == ["IMF"]


def test_fake_fixtures_stop_their_servers_after_the_test(pytester):
    pytester.makeconftest('pytest_plugins = ["imf.testing"]')
    pytester.makepyfile(
        """
        def test_serve(teams_fake, pagerduty_fake, tmp_path_factory):
            with open("urls.txt", "w") as f:
                f.write(teams_fake.webhook_url + "\\n" + pagerduty_fake.events_url)
        """
    )
    pytester.runpytest_inprocess("-q").assert_outcomes(passed=1)
    for url in (pytester.path / "urls.txt").read_text().splitlines():
        with pytest.raises(httpx.TransportError):
            httpx.post(url, json=ENVELOPE, timeout=5)
