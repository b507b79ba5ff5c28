"""The post-mortem part of the model (see :mod:`imf.model`, which exports these classes).

They live here so that commands which never touch a post-mortem (``imf declare``) do not
pay for creating them: :mod:`imf.model` loads this module on first access to one of them.
"""

from __future__ import annotations

from datetime import date, datetime

from attrs import define, field, frozen


@frozen
class ActionItem:
    """A post-mortem action item."""

    id: int
    action: str
    owner: str = ""
    due: date | None = None
    priority: str = "P2"
    status: str = "open"
    link: str = ""


@frozen
class Why:
    """One step of a 5 whys analysis."""

    question: str
    answer: str


@frozen
class TimelineEntry:
    """A line the post-mortem authors added to the generated timeline."""

    at: datetime
    text: str


@define
class Postmortem:
    """The blameless post-mortem of an incident, in the methodology's structure.

    Title, date, duration, severity and participants are derived from the incident and its
    log; everything here is what people write.
    """

    summary: str = ""
    users_affected: str = ""
    services_affected: list[str] = field(factory=list)
    revenue_impact: str = ""
    downtime: str = ""
    timeline_additions: list[TimelineEntry] = field(factory=list)
    root_cause: str = ""
    resolution: str = ""
    went_well: list[str] = field(factory=list)
    to_improve: list[str] = field(factory=list)
    action_items: list[ActionItem] = field(factory=list)
    lessons: str = ""
    problem: str = ""
    whys: list[Why] = field(factory=list)
    whys_root_cause: str = ""
    prevention: list[str] = field(factory=list)
    published_at: datetime | None = None
    published_count: int = 0
