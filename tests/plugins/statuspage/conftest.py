"""Fixtures for the status page plugin: the loopback Statuspage and configs pointing at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from imf.testing.fakes import StatuspageFake

API_KEY = "sp-test-key-5f2c9a"
PAGE_ID = "imfstatuspg1"
COMPONENTS = {"cmp-api": "API", "cmp-web": "Website", "cmp-pay": "Payments"}
SERVICE_COMPONENTS = {"api": "cmp-api", "web": "cmp-web", "payments": "cmp-pay"}
PUBLIC_NAMES = {"api": "Public API", "web": "Website", "payments": "Payments"}


class Clock:
    """A clock the tests move by hand (deliveries become due without waiting)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def fresh_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with the process-wide rate limiter of a new process."""
    from imf_statuspage import atlassian

    monkeypatch.setattr(atlassian, "LIMITER", atlassian.RateLimiter())


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sp() -> Iterator[StatuspageFake]:
    """The loopback Statuspage; every request a test made is checked against the spec."""
    with StatuspageFake(api_key=API_KEY, page_ids=(PAGE_ID,), components=COMPONENTS) as fake:
        yield fake
        fake.assert_no_spec_errors()


@pytest.fixture
def site(imf_home: Any) -> Path:
    """The static page's output directory."""
    return imf_home.path / "site"


@pytest.fixture
def sp_config(
    imf_config: Callable[[dict[str, Any]], Path],
    sp: StatuspageFake,
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Path]:
    """Write ``imf.toml`` enabling the plugin. ``atlassian`` and ``static`` are True (the
    default table against the fake / into ``site``), False (absent) or a dict of extra keys;
    other keyword arguments go to ``[plugins.statuspage]``; ``language`` and
    ``delivery`` set ``[imf]``."""
    monkeypatch.setenv("STATUSPAGE_API_KEY", API_KEY)

    def write(
        atlassian: bool | dict[str, Any] = True,
        static: bool | dict[str, Any] = False,
        language: str = "en",
        delivery: dict[str, Any] | None = None,
        **table: Any,
    ) -> Path:
        plugin: dict[str, Any] = dict(table)
        if atlassian is not False:
            plugin["atlassian"] = {
                "page_id": PAGE_ID,
                "api_key": {"env": "STATUSPAGE_API_KEY"},
                "api_url": sp.api_url,
                "components": SERVICE_COMPONENTS,
                "requests_per_second": 50.0,
                **(atlassian if isinstance(atlassian, dict) else {}),
            }
        if static is not False:
            plugin["static"] = {
                "output_dir": str(site),
                "components": PUBLIC_NAMES,
                **(static if isinstance(static, dict) else {}),
            }
        core = {
            "organization": "Acme",
            "language": language,
            "delivery": {"backoff_base": 1.0, "backoff_max": 60.0, **(delivery or {})},
        }
        return imf_config({"imf": core, "plugins": {"statuspage": plugin}})

    return write


def incident_requests(fake: StatuspageFake, method: str) -> list[Any]:
    """Requests of ``method`` to the page's incidents (the list and single incidents)."""
    return fake.requests_to(f"/v1/pages/{PAGE_ID}/incidents", method)


def fields(request: Any) -> dict[str, Any]:
    """The ``incident`` object of a recorded request body."""
    return dict(request.json["incident"])
