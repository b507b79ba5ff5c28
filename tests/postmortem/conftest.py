"""Fixtures for the post-mortem tests: a hand-moved clock and a resolved incident."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

START = datetime(2026, 11, 28, 14, 35, tzinfo=UTC)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(imf_app: Callable[..., Any], clock: Clock) -> Any:
    """An app on the clock, without the Markdown documents (tested on their own)."""
    return imf_app(clock=clock, overrides={"plugins": {"markdown": {"enabled": False}}})


@pytest.fixture
def resolved(app: Any, clock: Clock) -> Callable[..., str]:
    """Declare, work and resolve an incident ten minutes at a time; return its id."""

    def make(title: str = "Checkout errors", severity: str = "P2", **declare: Any) -> str:
        service = app.service
        incident, _ = service.declare(title, severity=severity, commander="alice", **declare)
        clock.advance(minutes=10)
        service.update(incident.id, status="identified", summary="Bad deploy 1.4.2")
        clock.advance(minutes=10)
        service.resolve(incident.id, summary="Rolled back", force_reason="verified by hand")
        clock.advance(minutes=10)
        return str(incident.id)

    return make
