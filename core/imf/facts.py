"""The derived facts of a post-mortem, as the ``postmortem_published`` event carries them.

The core derives title, date, duration, severity, participants and the timeline from the
event log when the post-mortem is published, and puts them in ``event.data["derived"]``.
Export plugins see only the event, so :func:`postmortem_facts` reads that data (falling back
to what the incident itself knows when an event lacks it). Part of the public API: plugins
use ``imf.postmortem_facts``, ``imf.PostmortemFacts``, ``imf.format_span`` and
``imf.format_utc``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from imf.clock import format_span as format_span
from imf.clock import format_utc as format_utc
from imf.model import Event, Incident


@attrs.frozen
class TimelineLine:
    """One timeline line: when, an icon, a label (in the document's language), a text."""

    at: datetime
    icon: str
    label: str
    text: str


@attrs.frozen
class PostmortemFacts:
    """What a post-mortem document shows besides the written sections."""

    incident_id: str
    title: str
    date: date
    started_at: datetime
    ended_at: datetime | None
    severity: str
    severity_title: str
    participants: Mapping[str, tuple[str, ...]]
    contributors: tuple[str, ...]
    timeline: tuple[TimelineLine, ...]
    services: tuple[str, ...]
    time_to_mitigate: timedelta | None

    @property
    def duration(self) -> timedelta | None:
        """From start to resolution."""
        return None if self.ended_at is None else self.ended_at - self.started_at


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _seconds(value: Any) -> timedelta | None:
    return None if value is None else timedelta(seconds=float(value))


def postmortem_facts(
    incident: Incident, event: Event, lang: str, policy: Any = None
) -> PostmortemFacts:
    """The facts of ``incident``'s post-mortem in ``lang``, from ``event.data["derived"]``."""
    data = event.data.get("derived")
    if isinstance(data, Mapping) and data.get("started_at"):
        started = _time(data["started_at"]) or incident.declared_at
        timeline = tuple(
            TimelineLine(
                at=_time(line["at"]) or started,
                icon=str(line.get("icon", "")),
                label=str(line.get("labels", {}).get(lang) or line.get("labels", {}).get("en", "")),
                text=str(line.get("text", "")),
            )
            for line in data.get("timeline", ())
        )
        titles = data.get("severity_titles", {})
        return PostmortemFacts(
            incident_id=str(data.get("incident_id", incident.id)),
            title=str(data.get("title", incident.title)),
            date=date.fromisoformat(str(data["date"])) if data.get("date") else started.date(),
            started_at=started,
            ended_at=_time(data.get("ended_at")),
            severity=str(data.get("severity", incident.severity)),
            severity_title=str(titles.get(lang) or titles.get("en") or ""),
            participants={str(k): tuple(v) for k, v in data.get("participants", {}).items()},
            contributors=tuple(data.get("contributors", ())),
            timeline=timeline,
            services=tuple(data.get("services", incident.services)),
            time_to_mitigate=_seconds(data.get("time_to_mitigate_seconds")),
        )
    return from_incident(incident, lang, policy)


def from_incident(incident: Incident, lang: str, policy: Any = None) -> PostmortemFacts:
    """Facts from the incident alone (no log): roles held now, written timeline lines."""
    started = incident.detected_at or incident.declared_at
    started = min(started, incident.declared_at)
    level = policy.find(incident.severity) if policy is not None else None
    pm = incident.postmortem
    additions = tuple(
        TimelineLine(at=entry.at, icon="✍️", label="", text=entry.text)
        for entry in (pm.timeline_additions if pm else ())
    )
    mitigated = incident.mitigated_at
    return PostmortemFacts(
        incident_id=incident.id,
        title=incident.title,
        date=started.astimezone(UTC).date(),
        started_at=started,
        ended_at=incident.resolved_at,
        severity=incident.severity,
        severity_title=level.title(lang) if level is not None else "",
        participants={role: tuple(people) for role, people in incident.roles.items()},
        contributors=(),
        timeline=tuple(sorted(additions, key=lambda line: line.at)),
        services=incident.services,
        time_to_mitigate=None if mitigated is None else mitigated - started,
    )
