"""Staged rollout of a fix: canary, 10 %, 25 %, 50 %, 100 %, each monitored before the next.

The methodology's pattern: canary (1-5 % of traffic) to verify the fix works; small (10 %)
monitored for 10-15 min; medium (25 %) and large (50 %) monitored for 10 min each; full
(100 %) completes the rollout. Each stage started is a ``rollout_stage`` event; a stopped
rollout is a ``rollout_halted`` event. A rollout starts with the canary; a stage may start
once the previous one ran its minimum monitoring period (``--force`` with a reason
overrides, and the reason is recorded).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen

from imf.errors import UsageError
from imf.model import Event


@frozen
class Stage:
    """One stage: its traffic share and how long to monitor it before the next one."""

    name: str
    percent: str
    monitor_min: timedelta | None = None
    monitor_max: timedelta | None = None


STAGES: tuple[Stage, ...] = (
    Stage("canary", "1-5"),
    Stage("small", "10", timedelta(minutes=10), timedelta(minutes=15)),
    Stage("medium", "25", timedelta(minutes=10), timedelta(minutes=10)),
    Stage("large", "50", timedelta(minutes=10), timedelta(minutes=10)),
    Stage("full", "100"),
)
_BY_PERCENT = {
    "1": "canary",
    "2": "canary",
    "3": "canary",
    "4": "canary",
    "5": "canary",
    "1-5": "canary",
    "10": "small",
    "25": "medium",
    "50": "large",
    "100": "full",
}


def stage(value: str) -> Stage:
    """The stage named ``value`` (``small``) or given by its share (``10``, ``10%``)."""
    key = value.strip().lower().rstrip("%").strip()
    name = _BY_PERCENT.get(key, key)
    for found in STAGES:
        if found.name == name:
            return found
    raise UsageError(
        "ics.rollout_bad_stage",
        value=value,
        valid=", ".join(f"{s.name} ({s.percent}%)" for s in STAGES),
    )


def index(found: Stage) -> int:
    """The stage's position (0 for the canary)."""
    return STAGES.index(found)


@frozen
class Started:
    """A stage as recorded: when, by whom, with what note."""

    stage: Stage
    at: datetime
    actor: str
    note: str = ""
    forced: str = ""


@frozen
class Progress:
    """The current rollout of an incident (empty ``stages`` when none is running).

    :ivar halted: the reason the last rollout was stopped, if it was.
    """

    stages: tuple[Started, ...] = ()
    halted: str = ""
    halted_at: datetime | None = None

    @property
    def current(self) -> Started | None:
        """The latest stage started."""
        return self.stages[-1] if self.stages else None

    @property
    def complete(self) -> bool:
        """The rollout reached 100 %."""
        return self.current is not None and self.current.stage.name == "full"

    @property
    def next_stage(self) -> Stage | None:
        """The stage that comes next (None when complete, halted or not started)."""
        current = self.current
        if current is None or self.halted or self.complete:
            return None
        return STAGES[index(current.stage) + 1]

    @property
    def next_not_before(self) -> datetime | None:
        """When the next stage may start (None when it may start once the canary is seen
        working, or when there is no next stage)."""
        current = self.current
        if self.next_stage is None or current is None or current.stage.monitor_min is None:
            return None
        return current.at + current.stage.monitor_min

    @property
    def next_by(self) -> datetime | None:
        """When the monitoring period of the current stage ends at the latest."""
        current = self.current
        if self.next_stage is None or current is None or current.stage.monitor_max is None:
            return None
        return current.at + current.stage.monitor_max


def progress(events: Sequence[Event]) -> Progress:
    """The current rollout from an incident's events."""
    started: list[Started] = []
    halted = ""
    halted_at: datetime | None = None
    for event in events:
        if event.kind == "rollout_stage":
            found = stage(str(event.data.get("stage", "")))
            if found.name == "canary":
                started, halted, halted_at = [], "", None
            started.append(
                Started(
                    found,
                    event.at,
                    event.actor,
                    str(event.data.get("note", "")),
                    str(event.data.get("forced", "")),
                )
            )
        elif event.kind == "rollout_halted":
            halted = str(event.data.get("reason", "")) or "-"
            halted_at = event.at
    return Progress(tuple(started), halted, halted_at)


def blocker(current: Progress, wanted: Stage, now: datetime) -> tuple[str, dict[str, Any]] | None:
    """Why ``wanted`` cannot start now, as a message key and parameters (None when it can)."""
    if wanted.name == "canary":
        return None
    if current.current is None or current.halted:
        return "ics.rollout_needs_canary", {}
    if current.complete:
        return "ics.rollout_complete_already", {}
    expected = current.next_stage
    if expected is not None and expected != wanted:
        return "ics.rollout_out_of_order", {"stage": wanted.name, "expected": expected.name}
    not_before = current.next_not_before
    if not_before is not None and now < not_before:
        return "ics.rollout_too_early", {"stage": wanted.name, "when": not_before}
    return None


def stage_data(found: Stage, note: str, forced: str) -> dict[str, Any]:
    """The ``rollout_stage`` event data."""
    return {
        "stage": found.name,
        "percent": found.percent,
        "monitor_min": found.monitor_min.total_seconds() if found.monitor_min else None,
        "monitor_max": found.monitor_max.total_seconds() if found.monitor_max else None,
        "note": note,
        "forced": forced,
    }
