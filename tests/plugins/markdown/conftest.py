"""Fixtures for the Markdown plugin: a clock, an app writing to ``./docs``, a full incident."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

START = datetime(2026, 11, 28, 14, 35, tzinfo=UTC)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def docs(imf_home: Any) -> Path:
    """The output directory the tests configure."""
    return Path(imf_home.path) / "docs"


@pytest.fixture
def md_app(imf_app: Callable[..., Any], clock: Clock) -> Callable[..., Any]:
    """An app writing Markdown documents to ``./docs`` (``lang``, extra ``[plugins.markdown]``
    keys as keyword arguments)."""

    def make(lang: str = "en", **table: Any) -> Any:
        markdown = {"output_dir": "docs", **table}
        return imf_app(clock=clock, lang=lang, overrides={"plugins": {"markdown": markdown}})

    return make


@pytest.fixture
def story(clock: Clock) -> Callable[[Any], str]:
    """Play :func:`run_incident` on an app with the test's clock."""
    return lambda app: run_incident(app, clock)


def run_incident(app: Any, clock: Clock) -> str:
    """The incident of the golden files: declared from impact facts, worked, escalated,
    resolved, with a full post-mortem published. Returns its id."""
    from imf.postmortem import PostmortemService

    service = app.service
    incident, _ = service.declare(
        "Checkout API errors | payments *failing*",
        services=["api", "checkout"],
        customer_facing=True,
        summary="5xx on checkout",
        customer_impact="Some card payments fail",
        users_affected=30.0,
        detected_at=clock.now - timedelta(minutes=4),
        commander="alice",
    )
    clock.advance(minutes=6)
    service.assign(incident.id, "scribe", "carol")
    service.update(
        incident.id,
        status="identified",
        summary="Bad deploy 1.4.2 exhausts the DB pool",
        since_last=["Deploy history checked"],
        root_cause="known",
        next_steps=["Roll back to 1.4.1", "Watch error rate"],
        eta="15:30 UTC",
    )
    clock.advance(minutes=9)
    service.escalate(incident.id, "P1", reason="Payments in all regions")
    service.note(incident.id, "Rollback started", key=True)
    clock.advance(minutes=20)
    service.update(incident.id, status="monitoring", summary="Error rate back to baseline")
    clock.advance(minutes=30)
    service.resolve(incident.id, summary="Rolled back to 1.4.1", force_reason="verified")
    clock.advance(hours=20)
    pms = PostmortemService.of(app)
    pms.set_sections(
        incident.id,
        {
            "summary": "Checkout failed for 65 minutes after deploy 1.4.2.\n\nRollback fixed it.",
            "users_affected": "30%",
            "revenue_impact": "$12,000",
            "root_cause": "Deploy 1.4.2 opened a connection per request.",
            "resolution": "Rolled back to 1.4.1.",
            "went_well": ["Fast rollback", "Clear updates every 15m"],
            "to_improve": ["No alert on pool saturation"],
            "lessons": "Load tests must cover 3x traffic.",
            "problem": "Checkout unavailable",
            "whys_root_cause": "Insufficient capacity planning",
            "prevention": ["Auto-scaling pool", "Pool saturation alert"],
        },
    )
    pms.add_why(incident.id, "Why did checkout fail?", "The DB pool was exhausted")
    pms.add_why(incident.id, "Why was the pool exhausted?", "1.4.2 opened a connection per request")
    pms.add_timeline(incident.id, START - timedelta(minutes=10), "Deploy 1.4.2 started")
    pms.add_action(
        incident.id,
        "Alert on pool saturation",
        owner="dana",
        due="2026-12-05",
        priority="P1",
        link="https://tracker.example/OPS-142",
    )
    pms.add_action(incident.id, "Load test at 3x", owner="eve", due="2026-12-12")
    pms.change_action(incident.id, 2, {"status": "in-progress"})
    pms.publish(incident.id)
    return str(incident.id)
