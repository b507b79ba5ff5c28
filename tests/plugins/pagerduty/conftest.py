"""Fixtures for the PagerDuty plugin tests: the loopback fake and a config pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imf.testing.fakes import PagerDutyFake

ROUTING_KEY = "0123456789abcdef0123456789abcdef"
OTHER_KEY = "fedcba9876543210fedcba9876543210"
API_TOKEN = "imfTestPagerDutyToken"


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
def pd() -> Iterator[PagerDutyFake]:
    with PagerDutyFake(api_token=API_TOKEN) as fake:
        yield fake


@pytest.fixture
def pd_config(
    imf_config: Callable[[dict[str, Any]], Path],
    pd: PagerDutyFake,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Path]:
    """Write ``imf.toml`` enabling the plugin against the fake; keyword arguments are added
    to ``[plugins.pagerduty]`` (``language`` sets ``[imf] language``)."""
    monkeypatch.setenv("PD_ROUTING_KEY", ROUTING_KEY)
    monkeypatch.setenv("PD_OTHER_KEY", OTHER_KEY)
    monkeypatch.setenv("PD_API_TOKEN", API_TOKEN)

    def write(language: str = "en", **table: Any) -> Path:
        plugin = {
            "routing_key": {"env": "PD_ROUTING_KEY"},
            "events_url": pd.events_url,
            "api_url": pd.url,
            **table,
        }
        core = {"language": language, "delivery": {"backoff_base": 1.0, "backoff_max": 60.0}}
        return imf_config({"imf": core, "plugins": {"pagerduty": plugin}})

    return write


REST = {"token": {"env": "PD_API_TOKEN"}, "from_email": "imf-bot@example.com"}
