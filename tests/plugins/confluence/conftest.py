"""Fixtures for the Confluence plugin: the loopback Confluence, configs, a resolved incident."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from imf.testing.fakes import ConfluenceFake

EMAIL = "imf@example.com"
TOKEN = "imf-confluence-token-7c1e"


class Clock:
    """A clock the tests move by hand (retries become due without waiting)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 14, 35, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cloud() -> Iterator[ConfluenceFake]:
    with ConfluenceFake(email=EMAIL, api_token=TOKEN) as fake:
        yield fake


@pytest.fixture
def datacenter() -> Iterator[ConfluenceFake]:
    with ConfluenceFake(auth="bearer", api_token=TOKEN, context_path="/confluence") as fake:
        yield fake


@pytest.fixture
def confluence_app(
    imf_app: Callable[..., Any], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Any]:
    """An app publishing to a fake: ``confluence_app(fake, space_key="IMF", ...)`` (the table
    of ``[plugins.confluence]``); Cloud with the fake's space id unless told otherwise."""
    monkeypatch.setenv("CONFLUENCE_TOKEN", TOKEN)

    def make(fake: ConfluenceFake, lang: str = "en", **table: Any) -> Any:
        if table.get("api") == "datacenter":
            plugin = {"base_url": fake.server_url, "space_key": "IMF"}
        else:
            plugin = {"base_url": fake.url, "email": EMAIL, "space_id": fake.spaces["IMF"].id}
        plugin.update({"api_token": {"env": "CONFLUENCE_TOKEN"}, **table})
        plugins = {"confluence": plugin, "markdown": {"enabled": False}}
        core = {"delivery": {"backoff_base": 1.0, "backoff_max": 60.0}}
        return imf_app(clock=clock, lang=lang, overrides={"imf": core, "plugins": plugins})

    return make


@pytest.fixture
def resolved(clock: Clock) -> Callable[..., str]:
    """Declare, work and resolve an incident on ``app``; return its id."""

    def make(app: Any, title: str = "Checkout errors", **declare: Any) -> str:
        declare.setdefault("severity", "P2")
        declare.setdefault("services", ["api", "Checkout Web"])
        incident, _ = app.service.declare(title, commander="alice", **declare)
        clock.advance(minutes=20)
        app.service.update(incident.id, status="identified", summary="Bad deploy 1.4.2")
        clock.advance(minutes=20)
        app.service.resolve(incident.id, summary="Rolled back", force_reason="verified")
        return str(incident.id)

    return make
