"""What is due on open incidents: updates, acknowledgements, required roles, escalations.

From the severity policy of each incident's level:

* ``update_overdue`` — the next update is due at the time the last update named
  (``--next-update``), else ``update_max`` after the last update (or the declaration);
* ``ack_overdue`` — not acknowledged ``response_target`` after the declaration;
* ``roles_missing`` — a required role is empty ``roles_within`` after the declaration;
* ``escalation_due`` — an escalation rule (of an attached playbook or ``[[imf.escalation]]``)
  fires: the incident is neither mitigated nor resolved ``after`` its declaration and the
  rule's step (if any) is not checked.

Each breach occurrence has a key (reason, due time, what); :func:`record` appends one
``reminder`` event per occurrence not reminded yet, which the outbox delivers to plugins'
``imf_remind``. Running it again never repeats a reminder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from attrs import field, frozen

from imf.ics.playbooks import EscalationRule, Found
from imf.ics.text import as_text, localize
from imf.model import Event, Incident, SeverityLevel, as_utc

REASONS: tuple[str, ...] = ("ack_overdue", "update_overdue", "roles_missing", "escalation_due")


@frozen
class Breach:
    """One breach on one incident.

    :ivar reason: one of :data:`REASONS`.
    :ivar due_at: when it was due.
    :ivar detail: what exactly (always holds ``key``, which tells occurrences apart).
    """

    incident_id: str
    severity: str
    title: str
    reason: str
    due_at: datetime
    detail: Mapping[str, Any] = field(factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identifies the occurrence: a reminder is recorded once per key."""
        return (self.reason, as_utc(self.due_at).isoformat(), str(self.detail.get("key", "")))

    def event_data(self) -> dict[str, Any]:
        """The data of the ``reminder`` event."""
        return {
            "reason": self.reason,
            "due_at": as_utc(self.due_at).isoformat(),
            "detail": dict(self.detail),
        }


def next_update_due(incident: Incident, level: SeverityLevel) -> datetime:
    """When the next status update is due."""
    last = incident.last_update
    if last is not None and last.next_update_at is not None:
        return last.next_update_at
    return (last.at if last is not None else incident.declared_at) + level.update_max


def missing_roles(incident: Incident, level: SeverityLevel) -> list[str]:
    """Required roles of ``level`` nobody holds on ``incident``."""
    return [role for role in level.required_roles if not incident.holders(role)]


def config_rules(app: Any) -> list[EscalationRule]:
    """The organization's ``[[imf.escalation]]`` rules."""
    return [
        EscalationRule(
            id=rule.id,
            key=f"imf.escalation.{rule.id}",
            after=rule.after,
            to=rule.to,
            text=as_text(rule.text),
            severities=tuple(rule.severities),
        )
        for rule in app.config.core.escalation
    ]


def rules_for(
    incident: Incident, playbooks: Found | None, extra: Sequence[EscalationRule]
) -> list[EscalationRule]:
    """Escalation rules that apply to ``incident``: its playbooks' and ``extra``."""
    rules = list(extra)
    if playbooks is not None:
        for name in incident.playbooks:
            if name in playbooks.playbooks:
                rules.extend(playbooks.playbooks[name].escalation)
    return [r for r in rules if not r.severities or incident.severity in r.severities]


def breaches(
    incident: Incident,
    level: SeverityLevel | None,
    rules: Iterable[EscalationRule],
    now: datetime,
    lang: str = "en",
) -> list[Breach]:
    """Everything overdue on ``incident`` at ``now`` (nothing once it is resolved)."""
    if not incident.is_open or level is None:
        return []

    def breach(reason: str, due: datetime, **detail: Any) -> Breach:
        return Breach(incident.id, incident.severity, incident.title, reason, due, detail)

    found: list[Breach] = []
    ack_due = incident.declared_at + level.response_target
    if incident.acknowledged_at is None and now > ack_due:
        found.append(
            breach("ack_overdue", ack_due, key="ack", target=level.response_target.total_seconds())
        )
    update_due = next_update_due(incident, level)
    if now > update_due:
        last = incident.last_update
        found.append(
            breach(
                "update_overdue",
                update_due,
                key=f"update-{last.number if last else 0}",
                last_update=last.number if last else 0,
                last_update_at=as_utc(last.at if last else incident.declared_at).isoformat(),
            )
        )
    roles = missing_roles(incident, level)
    roles_due = incident.declared_at + level.roles_within
    if roles and now > roles_due:
        found.append(breach("roles_missing", roles_due, key=",".join(roles), roles=roles))
    if incident.mitigated_at is None:
        for rule in rules:
            due = incident.declared_at + rule.after
            settled = (
                rule.step and incident.checks.get(rule.step) and incident.checks[rule.step].checked
            )
            if now > due and not settled:
                found.append(
                    breach(
                        "escalation_due",
                        due,
                        key=rule.key,
                        rule=rule.key,
                        to=rule.to,
                        text=localize(rule.text, lang, incident_id=incident.id),
                        after=rule.after.total_seconds(),
                    )
                )
    return found


def reminded(events: Iterable[Event]) -> set[tuple[str, str, str]]:
    """Keys of the breaches already reminded, from an incident's events."""
    keys = set()
    for event in events:
        if event.kind == "reminder":
            detail = event.data.get("detail") or {}
            due = as_utc(datetime.fromisoformat(str(event.data.get("due_at")))).isoformat()
            keys.add((str(event.data.get("reason")), due, str(detail.get("key", ""))))
    return keys


def breaches_of(app: Any, incident: Incident, now: datetime) -> list[Breach]:
    """What is overdue on one incident of ``app``'s store at ``now``."""
    playbooks = None
    if incident.playbooks:
        from imf.ics.playbooks import discover

        playbooks = discover(app)
    rules = rules_for(incident, playbooks, config_rules(app))
    return breaches(incident, app.policy.find(incident.severity), rules, now, app.lang)


def scan(app: Any, now: datetime) -> list[tuple[Incident, list[Breach]]]:
    """Every open incident with what is overdue on it, oldest incident first."""
    incidents = list(app.store.incidents(open_only=True))
    playbooks = None
    if any(i.playbooks for i in incidents):
        from imf.ics.playbooks import discover

        playbooks = discover(app)
    extra = config_rules(app)
    result = []
    for incident in incidents:
        level = app.policy.find(incident.severity)
        rules = rules_for(incident, playbooks, extra)
        result.append((incident, breaches(incident, level, rules, now, app.lang)))
    return result


def record(app: Any, now: datetime) -> list[tuple[Breach, Any]]:
    """Append one ``reminder`` event per breach occurrence not reminded yet and deliver it;
    return the new breaches with the delivery report of their incident."""
    recorded: list[tuple[Breach, Any]] = []
    for incident, found in scan(app, now):
        if not found:
            continue
        done = reminded(app.store.events(incident.id))
        fresh = [b for b in found if b.key not in done]
        if fresh:
            report = _append(app, incident, fresh, now)
            if report is not None:
                recorded.extend((b, report) for b in fresh)
    return recorded


def _append(app: Any, seen: Incident, fresh: list[Breach], now: datetime) -> Any:
    """Append the reminders if the incident is still as ``seen`` (another watcher may have
    reminded meanwhile: then nothing is written and the next check decides again)."""
    service = app.service
    with app.store.write() as tx:
        current = tx.load(seen.id)
        if current.version != seen.version:
            return None
        events = [
            Event(
                incident_id=seen.id,
                kind="reminder",
                at=now,
                actor=service.actor,
                data=b.event_data(),
            )
            for b in fresh
        ]
        _, stored = tx.append(current, events)
        ids: list[int] = []
        for event in stored:
            ids.extend(tx.enqueue(event, service.targets(event.kind), event.at))
    return service.deliver(seen.id, ids)


def overdue_for(breach: Breach, now: datetime) -> timedelta:
    """How long past due ``breach`` is at ``now``."""
    return now - breach.due_at
