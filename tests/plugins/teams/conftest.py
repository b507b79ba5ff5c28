"""Fixtures for the Teams plugin tests: webhook and Graph fakes, and a config using them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imf.testing.fakes import GraphFake, TeamsWebhookFake

TEAM_ID = "6b1c2d3e-imf-team"


class Clock:
    """A clock the tests move forward by hand (deliveries become due without waiting)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def webhook() -> Iterator[TeamsWebhookFake]:
    with TeamsWebhookFake("workflows") as fake:
        yield fake


@pytest.fixture
def connector() -> Iterator[TeamsWebhookFake]:
    with TeamsWebhookFake("connector") as fake:
        yield fake


@pytest.fixture
def graph() -> Iterator[GraphFake]:
    with GraphFake() as fake:
        yield fake


def war_room_table(graph: GraphFake, **extra: Any) -> dict[str, Any]:
    """``[plugins.teams.war_room]`` pointing at ``graph``."""
    return {
        "tenant": graph.tenant_id,
        "client_id": graph.client_id,
        "client_secret": {"env": "TEAMS_CLIENT_SECRET"},
        "team_id": TEAM_ID,
        "graph_url": graph.graph_url,
        "token_url": graph.url + "/{tenant}/oauth2/v2.0/token",
        **extra,
    }


@pytest.fixture
def teams_config(
    imf_config: Callable[[dict[str, Any]], Path],
    monkeypatch: pytest.MonkeyPatch,
    graph: GraphFake,
) -> Callable[..., Path]:
    """Write ``imf.toml`` enabling the plugin: ``teams_config(webhook_fake, war_room=True)``."""
    monkeypatch.setenv("TEAMS_CLIENT_SECRET", graph.client_secret)

    def write(
        hook: TeamsWebhookFake, war_room: bool | dict[str, Any] = False, language: str = "en"
    ) -> Path:
        monkeypatch.setenv("TEAMS_WEBHOOK_URL", hook.webhook_url)
        table: dict[str, Any] = {"webhook_url": {"env": "TEAMS_WEBHOOK_URL"}}
        if war_room:
            table["war_room"] = war_room_table(
                graph, **(war_room if isinstance(war_room, dict) else {})
            )
        core = {"language": language, "delivery": {"backoff_base": 1.0, "backoff_max": 60.0}}
        return imf_config({"imf": core, "plugins": {"teams": table}})

    return write
