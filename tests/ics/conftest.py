"""Fixtures of the ICS workflow tests: a controllable clock and a CLI runner that uses it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

START = datetime(2026, 3, 14, 14, 0, tzinfo=UTC)


class Clock:
    """A stopped clock that tests move forward."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)

    def at(self, **kwargs: float) -> datetime:
        """``START`` plus ``kwargs``."""
        return START + timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def run(imf_cli, clock):
    """``run(*args, plugins=..., input=...)``: the CLI in-process on the test clock."""

    def invoke(*args, **kwargs):
        return imf_cli(*args, clock=clock, **kwargs)

    return invoke
