"""The lifecycle service: the documented Python API for running incidents.

The CLI is a thin layer over :class:`IncidentService`; so is any bot or service a platform
team writes. Each method validates its input against the active severity policy, appends
the event(s) in one store transaction together with one outbox delivery per interested
plugin, then hands the new deliveries to the dispatcher and returns the incident and a
delivery report. A plugin that fails never undoes the change.

Example::

    from imf import App
    app = App.create()
    incident, report = app.service.declare("API errors", severity="P2", services=["api"])
    app.service.update(incident.id, status="identified", summary="Bad deploy 1.4.2")
    app.service.resolve(incident.id, summary="Rolled back")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from imf.delivery import Report
from imf.errors import ConflictError, UsageError
from imf.model import (
    MULTI_HOLDER_ROLES,
    ROLES,
    ROOT_CAUSE_STATES,
    Event,
    Incident,
    SeverityPolicy,
    Status,
    as_utc,
    utcnow,
)
from imf.store.base import Store, WriteTx

Result = tuple[Incident, Report]

#: Aliases accepted for role names (ICS long forms).
ROLE_ALIASES = {
    "ic": "commander",
    "incident-commander": "commander",
    "tl": "tech-lead",
    "technical-lead": "tech-lead",
    "communications-lead": "comms-lead",
    "operations-lead": "ops-lead",
    "customer-liaison": "liaison",
}


def normalize_role(role: str) -> str:
    """The canonical ICS role name for ``role``; a UsageError listing valid roles otherwise."""
    key = role.strip().lower().replace("_", "-").replace(" ", "-")
    key = ROLE_ALIASES.get(key, key)
    if key not in ROLES:
        raise UsageError("core.invalid_role", value=role, valid=", ".join(ROLES))
    return key


def parse_status(value: str) -> Status:
    """A :class:`Status` from text; a UsageError listing valid ones otherwise."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        raise UsageError(
            "core.invalid_status", value=value, valid=", ".join(s.value for s in Status)
        ) from None


def _clean(text: str | None, what: str, *, required: bool = False, limit: int = 100_000) -> str:
    value = (text or "").strip()
    if required and not value:
        raise UsageError("core.empty_value", what=what)
    if len(value) > limit:
        raise UsageError("core.value_too_long", what=what, limit=limit)
    return value


class IncidentService:
    """Declare, update, escalate, assign, note, resolve and reopen incidents.

    :param store: where events are appended.
    :param policy: the active severity policy.
    :param targets: ``kind -> [(plugin, hook)]``: who gets an event delivered.
    :param deliver: called with the new delivery ids after each commit; returns a report.
    :param actor: who is acting (recorded on every event).
    :param clock: the current time.
    :param gate: the unchecked checklist items that keep an incident from being resolved
        (default: the bundled verification checklist; see :mod:`imf.ics.checklists`).
    """

    def __init__(
        self,
        store: Store,
        policy: SeverityPolicy,
        targets: Callable[[str], Sequence[tuple[str, str]]],
        deliver: Callable[[str, list[int]], Report],
        actor: str,
        clock: Callable[[], datetime] = utcnow,
        gate: Callable[[Incident], Sequence[str]] | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.targets = targets
        self.deliver = deliver
        self.actor = actor
        self.clock = clock
        self.gate = gate

    # --- plumbing --------------------------------------------------------------------------

    def event(self, incident_id: str, kind: str, data: dict[str, Any], at: datetime) -> Event:
        """A new event by this service's actor (not yet stored: return it from ``build``)."""
        return Event(incident_id=incident_id, kind=kind, at=at, actor=self.actor, data=data)

    def _commit(
        self, tx: WriteTx, incident: Incident | None, events: list[Event]
    ) -> tuple[Incident, list[int]]:
        incident, stored = tx.append(incident, events)
        ids: list[int] = []
        for event in stored:
            ids.extend(tx.enqueue(event, self.targets(event.kind), event.at))
        return incident, ids

    def change(
        self, incident_id: str, build: Callable[[Incident, datetime], list[Event]]
    ) -> Result:
        """Change an incident in one transaction: ``build(incident, now)`` sees the incident
        locked against other writers and returns the events to append (or raises an
        :class:`~imf.ImfError` to change nothing). Core extensions (post-mortems, checklists)
        build on this."""
        with self.store.write() as tx:
            incident = tx.load(incident_id)
            now = self.clock()
            events = build(incident, now)
            incident, ids = self._commit(tx, incident, events)
        return incident, self.deliver(incident.id, ids)

    # --- the lifecycle ---------------------------------------------------------------------

    def declare(
        self,
        title: str,
        *,
        severity: str | None = None,
        services: Iterable[str] = (),
        customer_facing: bool = False,
        summary: str = "",
        customer_impact: str = "",
        tags: Iterable[str] = (),
        detected_at: datetime | None = None,
        users_affected: float | None = None,
        data_loss: bool = False,
        security: bool = False,
        workaround: bool = False,
        commander: str | None = None,
    ) -> Result:
        """Declare an incident. Without ``severity`` it is classified from the impact facts."""
        title = _clean(title, "title", required=True, limit=1000)
        classification: dict[str, Any] = {}
        if severity:
            level = self.policy.level(severity)
        else:
            if users_affected is not None and not 0 <= users_affected <= 100:
                raise UsageError("core.invalid_users_affected", value=users_affected)
            classification = {
                "users_affected": users_affected,
                "data_loss": data_loss,
                "security": security,
                "workaround": workaround,
            }
            level = self.policy.level(
                self.policy.classify(
                    users_affected=users_affected,
                    data_loss=data_loss,
                    security=security,
                    workaround=workaround,
                )
            )
        svc = [_clean(s, "service", required=True, limit=200) for s in services]
        with self.store.write() as tx:
            now = self.clock()
            number = tx.next_number()
            incident_id = f"INC-{number}"
            data: dict[str, Any] = {
                "number": number,
                "title": title,
                "severity": level.name,
                "status": Status.INVESTIGATING.value,
                "services": list(dict.fromkeys(svc)),
                "customer_facing": bool(customer_facing),
                "summary": _clean(summary, "summary"),
                "customer_impact": _clean(customer_impact, "impact"),
                "tags": list(dict.fromkeys(t.strip() for t in tags if t.strip())),
                "detected_at": as_utc(detected_at).isoformat() if detected_at else None,
                "classification": classification,
            }
            events = [self.event(incident_id, "declared", data, now)]
            if commander:
                events.append(
                    self.event(
                        incident_id,
                        "role_assigned",
                        {"role": "commander", "person": _clean(commander, "person", required=True)},
                        now,
                    )
                )
            incident, ids = self._commit(tx, None, events)
        return incident, self.deliver(incident.id, ids)

    def update(
        self,
        incident_id: str,
        *,
        status: str | Status | None = None,
        summary: str = "",
        since_last: Sequence[str] = (),
        root_cause: str | None = None,
        impact: str = "",
        eta: str = "",
        next_steps: Sequence[str] = (),
        next_update_at: datetime | None = None,
        public: str = "",
    ) -> Result:
        """Post "Incident Update #N" (and change the status if ``status`` is given)."""
        new_status = parse_status(status) if isinstance(status, str) else status
        if new_status is Status.RESOLVED:
            raise UsageError("core.update_use_resolve")
        if root_cause is not None and root_cause not in ROOT_CAUSE_STATES:
            raise UsageError(
                "core.invalid_root_cause", value=root_cause, valid=", ".join(ROOT_CAUSE_STATES)
            )

        def build(incident: Incident, now: datetime) -> list[Event]:
            if not incident.is_open:
                raise ConflictError("core.incident_resolved", id=incident.id)
            previous = incident.last_update
            data = {
                "number": len(incident.updates) + 1,
                "status": (new_status or incident.status).value,
                "summary": _clean(summary, "summary") or (previous.summary if previous else ""),
                "since_last": [_clean(s, "since-last") for s in since_last if s.strip()],
                "root_cause": root_cause
                or (previous.root_cause if previous else "under-investigation"),
                "impact": _clean(impact, "impact"),
                "eta": _clean(eta, "eta", limit=200),
                "next_steps": [_clean(s, "next-step") for s in next_steps if s.strip()],
                "next_update_at": as_utc(next_update_at).isoformat() if next_update_at else None,
                "public": _clean(public, "public"),
            }
            if not (data["summary"] or data["since_last"] or new_status or data["public"]):
                raise UsageError("core.update_empty")
            return [self.event(incident.id, "update_posted", data, now)]

        return self.change(incident_id, build)

    def escalate(self, incident_id: str, severity: str, *, reason: str = "") -> Result:
        """Change the severity, up or down."""
        level = self.policy.level(severity)

        def build(incident: Incident, now: datetime) -> list[Event]:
            if not incident.is_open:
                raise ConflictError("core.incident_resolved", id=incident.id)
            current = self.policy.find(incident.severity)
            if level.name == incident.severity:
                raise ConflictError("core.severity_unchanged", id=incident.id, severity=level.name)
            direction = "up" if current is None or level.rank < current.rank else "down"
            data = {
                "from": incident.severity,
                "to": level.name,
                "direction": direction,
                "reason": _clean(reason, "reason"),
            }
            return [self.event(incident.id, "escalated", data, now)]

        return self.change(incident_id, build)

    def assign(self, incident_id: str, role: str, person: str) -> Result:
        """Give ``role`` to ``person`` (a handover when someone held it)."""
        role = normalize_role(role)
        person = _clean(person, "person", required=True, limit=200)

        def build(incident: Incident, now: datetime) -> list[Event]:
            holders = incident.holders(role)
            if person in holders:
                raise ConflictError(
                    "core.role_already_held", id=incident.id, role=role, person=person
                )
            data: dict[str, Any] = {"role": role, "person": person}
            if holders and role not in MULTI_HOLDER_ROLES:
                data["previous"] = holders[0]
            return [self.event(incident.id, "role_assigned", data, now)]

        return self.change(incident_id, build)

    def unassign(self, incident_id: str, role: str, person: str | None = None) -> Result:
        """Release ``role`` (one holder of a multi-holder role when ``person`` is given)."""
        role = normalize_role(role)

        def build(incident: Incident, now: datetime) -> list[Event]:
            holders = incident.holders(role)
            if not holders or (person and person not in holders):
                raise ConflictError("core.role_not_held", id=incident.id, role=role)
            data = {"role": role, "person": person or ""}
            return [self.event(incident.id, "role_unassigned", data, now)]

        return self.change(incident_id, build)

    def note(self, incident_id: str, text: str, *, key: bool = False) -> Result:
        """Add a note to the incident log (``key`` marks it for the post-mortem timeline)."""
        text = _clean(text, "note", required=True)
        return self.change(
            incident_id,
            lambda inc, now: [self.event(inc.id, "note_added", {"text": text, "key": key}, now)],
        )

    def acknowledge(self, incident_id: str) -> Result:
        """Record that a responder has acknowledged the incident."""

        def build(incident: Incident, now: datetime) -> list[Event]:
            if incident.acknowledged_at is not None:
                raise ConflictError("core.already_acknowledged", id=incident.id)
            return [self.event(incident.id, "acknowledged", {}, now)]

        return self.change(incident_id, build)

    def resolve(
        self, incident_id: str, *, summary: str = "", public: str = "", force_reason: str = ""
    ) -> Result:
        """Resolve the incident.

        At a severity with a verification gate, every item of the gating checklists must be
        checked first (a ConflictError lists the unchecked ones) unless ``force_reason`` is
        given; the reason and the unchecked items are then recorded on the event.
        """
        gate = self.gate
        if gate is None:
            from imf.ics.checklists import default_gate

            gate = default_gate(self.policy)

        def build(incident: Incident, now: datetime) -> list[Event]:
            if not incident.is_open:
                raise ConflictError("core.incident_resolved", id=incident.id)
            unchecked = list(gate(incident))
            reason = _clean(force_reason, "reason")
            if unchecked and not reason:
                raise ConflictError(
                    "ics.resolve_gated",
                    id=incident.id,
                    severity=incident.severity,
                    items=", ".join(unchecked),
                )
            data: dict[str, Any] = {
                "summary": _clean(summary, "summary"),
                "public": _clean(public, "public"),
                "forced": reason,
            }
            if unchecked:
                data["unchecked"] = unchecked
            return [self.event(incident.id, "resolved", data, now)]

        return self.change(incident_id, build)

    def reopen(self, incident_id: str, *, reason: str = "") -> Result:
        """Reopen a resolved incident (status back to investigating)."""

        def build(incident: Incident, now: datetime) -> list[Event]:
            if incident.is_open:
                raise ConflictError("core.incident_not_resolved", id=incident.id)
            data = {"reason": _clean(reason, "reason"), "status": Status.INVESTIGATING.value}
            return [self.event(incident.id, "reopened", data, now)]

        return self.change(incident_id, build)

    def record(self, incident_id: str, kind: str, data: dict[str, Any]) -> Result:
        """Append an event of any ``kind`` (for core extensions such as checklists and
        post-mortems); delivered to plugins when ``kind`` is a lifecycle kind."""
        return self.change(incident_id, lambda inc, now: [self.event(inc.id, kind, data, now)])
