"""The incident as a projection of its events.

``project(events)`` folds an incident's events, oldest first, into an :class:`Incident`.
Replaying the same events always gives the same incident; the store keeps a snapshot of the
projection only to make reads fast, and rebuilds it from events when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from imf.model import (
    MULTI_HOLDER_ROLES,
    Event,
    Incident,
    Status,
    as_utc,
    update_from_event,
)

if TYPE_CHECKING:
    from imf.model_postmortem import Postmortem


Applier = Callable[[Incident, Event], None]
_APPLIERS: dict[str, Applier] = {}


def applies(*kinds: str) -> Callable[[Applier], Applier]:
    """Register the function that applies events of ``kinds`` to an incident."""

    def register(function: Applier) -> Applier:
        for kind in kinds:
            _APPLIERS[kind] = function
        return function

    return register


def known_kinds() -> frozenset[str]:
    """Event kinds the projection understands (others are kept in the log only)."""
    return frozenset(_APPLIERS)


def project(events: Iterable[Event]) -> Incident:
    """The incident that ``events`` (one incident's, oldest first) describe."""
    incident: Incident | None = None
    for event in events:
        if incident is None:
            if event.kind != "declared":
                raise ValueError(f"the first event of {event.incident_id} is {event.kind!r}")
            incident = _declared(event)
        else:
            apply(incident, event)
        incident.version = event.seq
    if incident is None:
        raise ValueError("no events")
    return incident


def apply(incident: Incident, event: Event) -> None:
    """Apply one event to ``incident`` in place (unknown kinds change nothing but version)."""
    applier = _APPLIERS.get(event.kind)
    if applier is not None:
        applier(incident, event)
    incident.version = event.seq


def _time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return as_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def _declared(event: Event) -> Incident:
    d = event.data
    return Incident(
        id=event.incident_id,
        number=int(d["number"]),
        title=d["title"],
        severity=d["severity"],
        status=Status(d.get("status", "investigating")),
        services=tuple(d.get("services", ())),
        customer_facing=bool(d.get("customer_facing", False)),
        tags=tuple(d.get("tags", ())),
        summary=d.get("summary", ""),
        customer_impact=d.get("customer_impact", ""),
        declared_by=event.actor,
        declared_at=event.at,
        detected_at=_time(d.get("detected_at")),
        classification=dict(d.get("classification", {})),
        version=event.seq,
    )


def _acknowledge(incident: Incident, at: datetime) -> None:
    if incident.acknowledged_at is None:
        incident.acknowledged_at = at


def _set_status(incident: Incident, status: Status, at: datetime) -> None:
    incident.status = status
    if status in (Status.MONITORING, Status.RESOLVED) and incident.mitigated_at is None:
        incident.mitigated_at = at
    if status is Status.RESOLVED:
        incident.resolved_at = at


@applies("acknowledged")
def _acknowledged(incident: Incident, event: Event) -> None:
    _acknowledge(incident, event.at)


@applies("update_posted")
def _update_posted(incident: Incident, event: Event) -> None:
    update = update_from_event(event)
    if update is None:
        return
    incident.updates.append(update)
    if update.summary:
        incident.summary = update.summary
    if update.impact:
        incident.customer_impact = update.impact
    _acknowledge(incident, event.at)
    _set_status(incident, update.status, event.at)


@applies("escalated")
def _escalated(incident: Incident, event: Event) -> None:
    incident.severity = event.data["to"]
    _acknowledge(incident, event.at)


@applies("role_assigned")
def _role_assigned(incident: Incident, event: Event) -> None:
    role, person = event.data["role"], event.data["person"]
    if role in MULTI_HOLDER_ROLES:
        holders = incident.roles.get(role, ())
        incident.roles[role] = holders if person in holders else (*holders, person)
    else:
        incident.roles[role] = (person,)
    if role == "commander":
        _acknowledge(incident, event.at)


@applies("role_unassigned")
def _role_unassigned(incident: Incident, event: Event) -> None:
    role, person = event.data["role"], event.data.get("person")
    remaining = tuple(p for p in incident.roles.get(role, ()) if person and p != person)
    if remaining:
        incident.roles[role] = remaining
    else:
        incident.roles.pop(role, None)


@applies("note_added")
def _note_added(incident: Incident, event: Event) -> None:
    from imf.model_log import Note

    incident.notes.append(
        Note(
            at=event.at, actor=event.actor, text=event.data["text"], key=bool(event.data.get("key"))
        )
    )


@applies("details_changed")
def _details_changed(incident: Incident, event: Event) -> None:
    d = event.data
    for name in ("title", "summary", "customer_impact"):
        if name in d:
            setattr(incident, name, d[name])
    if "services" in d:
        incident.services = tuple(d["services"])
    if "customer_facing" in d:
        incident.customer_facing = bool(d["customer_facing"])
    if "tags" in d:
        incident.tags = tuple(d["tags"])


@applies("resolved")
def _resolved(incident: Incident, event: Event) -> None:
    if event.data.get("summary"):
        incident.summary = event.data["summary"]
    _acknowledge(incident, event.at)
    _set_status(incident, Status.RESOLVED, event.at)


@applies("reopened")
def _reopened(incident: Incident, event: Event) -> None:
    incident.status = Status(event.data.get("status", "investigating"))
    incident.resolved_at = None
    incident.reopened += 1


@applies("external_ref")
def _external_ref(incident: Incident, event: Event) -> None:
    plugin = event.data["plugin"]
    merged = dict(incident.refs.get(plugin, {}))
    merged.update(event.data.get("refs", {}))
    incident.refs[plugin] = merged


@applies("checked", "unchecked")
def _checked(incident: Incident, event: Event) -> None:
    from imf.model_log import CheckState

    item = event.data["item"]
    incident.checks[item] = CheckState(
        item=item, checked=event.kind == "checked", by=event.actor, at=event.at
    )


@applies("playbook_attached")
def _playbook_attached(incident: Incident, event: Event) -> None:
    name = event.data["playbook"]
    if name not in incident.playbooks:
        incident.playbooks = (*incident.playbooks, name)


# --- post-mortem -----------------------------------------------------------------------------


def _postmortem(incident: Incident) -> Postmortem:
    if incident.postmortem is None:
        from imf.model_postmortem import Postmortem  # loaded by the first post-mortem event

        incident.postmortem = Postmortem()
    return incident.postmortem


@applies("postmortem_edited")
def _postmortem_edited(incident: Incident, event: Event) -> None:
    """``data.fields`` replaces the named sections (the full document on ``--edit``)."""
    from imf import serde
    from imf.model_postmortem import Postmortem

    pm = _postmortem(incident)
    fields: Mapping[str, Any] = event.data.get("fields", {})
    current = serde.unstructure(pm)
    current.update(fields)
    incident.postmortem = serde.structure(current, Postmortem)


@applies("postmortem_why_added")
def _postmortem_why(incident: Incident, event: Event) -> None:
    from imf.model_postmortem import Why

    pm = _postmortem(incident)
    pm.whys.append(Why(question=event.data["question"], answer=event.data["answer"]))


@applies("postmortem_timeline_added")
def _postmortem_timeline(incident: Incident, event: Event) -> None:
    from imf.model_postmortem import TimelineEntry

    pm = _postmortem(incident)
    at = _time(event.data["at"]) or event.at
    pm.timeline_additions.append(TimelineEntry(at=at, text=event.data["text"]))


@applies("action_added")
def _action_added(incident: Incident, event: Event) -> None:
    from imf import serde
    from imf.model_postmortem import ActionItem

    pm = _postmortem(incident)
    pm.action_items.append(serde.structure(event.data["item"], ActionItem))


@applies("action_changed")
def _action_changed(incident: Incident, event: Event) -> None:
    from imf import serde
    from imf.model_postmortem import ActionItem

    pm = _postmortem(incident)
    wanted = int(event.data["id"])
    for index, item in enumerate(pm.action_items):
        if item.id == wanted:
            current = serde.unstructure(item)
            current.update(event.data.get("changes", {}))
            pm.action_items[index] = serde.structure(current, ActionItem)


@applies("postmortem_published")
def _postmortem_published(incident: Incident, event: Event) -> None:
    pm = _postmortem(incident)
    pm.published_at = event.at
    pm.published_count += 1
