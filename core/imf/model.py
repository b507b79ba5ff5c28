"""The incident domain model: plain attrs classes, (un)structured with cattrs.

An :class:`Incident` is never written directly: it is the projection of its
:class:`Event` log (see :mod:`imf.projection`). Times are timezone-aware UTC.

Classes a command may never need are defined in modules of their own and loaded from here on
first access: the incident log's records (:class:`StatusUpdate`, :class:`Note`,
:class:`CheckState`) in :mod:`imf.model_log`, the post-mortem (:class:`Postmortem`,
:class:`ActionItem`, :class:`Why`, :class:`TimelineEntry`) in :mod:`imf.model_postmortem`.
:func:`resolve` loads them all for code that evaluates this module's annotations.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from attrs import define, field, frozen

from imf.clock import as_utc as as_utc
from imf.clock import utcnow as utcnow
from imf.lazy import attribute_loader

if TYPE_CHECKING:
    from imf.model_log import CheckState as CheckState
    from imf.model_log import Note as Note
    from imf.model_log import StatusUpdate as StatusUpdate
    from imf.model_postmortem import ActionItem as ActionItem
    from imf.model_postmortem import Postmortem as Postmortem
    from imf.model_postmortem import TimelineEntry as TimelineEntry
    from imf.model_postmortem import Why as Why

#: Classes loaded on first access: name -> module.
_LATER = {
    "StatusUpdate": "imf.model_log",
    "Note": "imf.model_log",
    "CheckState": "imf.model_log",
    "ActionItem": "imf.model_postmortem",
    "Postmortem": "imf.model_postmortem",
    "TimelineEntry": "imf.model_postmortem",
    "Why": "imf.model_postmortem",
}


__getattr__ = attribute_loader("imf.model", _LATER, globals())


def resolve() -> None:
    """Load every class defined elsewhere into this module, so that the annotations of
    :class:`Incident` can be evaluated (``typing.get_type_hints``, cattrs, hypothesis)."""
    for name in _LATER:
        if name not in globals():
            __getattr__(name)


class Status(enum.StrEnum):
    """Incident status values of the methodology, in lifecycle order."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MITIGATING = "mitigating"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


#: ICS roles, in the order they are shown. ``sme`` may be held by several people.
ROLES: tuple[str, ...] = (
    "commander",
    "tech-lead",
    "comms-lead",
    "ops-lead",
    "planning-lead",
    "scribe",
    "liaison",
    "sme",
)
MULTI_HOLDER_ROLES = frozenset({"sme"})

#: "Current understanding: root cause" values of the update template.
ROOT_CAUSE_STATES: tuple[str, ...] = ("known", "suspected", "under-investigation")


@frozen
class Event:
    """One appended fact about an incident. Events are never edited or deleted.

    :ivar incident_id: ``INC-<n>``.
    :ivar kind: what happened (``declared``, ``update_posted``, ``escalated``...).
    :ivar at: when it was recorded (UTC).
    :ivar actor: who did it.
    :ivar data: the kind's payload (JSON-compatible).
    :ivar seq: position in the incident's log, from 1 (assigned by the store).
    :ivar id: position in the whole store's log (assigned by the store).
    """

    incident_id: str
    kind: str
    at: datetime
    actor: str
    data: Mapping[str, Any] = field(factory=dict)
    seq: int = 0
    id: int | None = None


def _optional_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return as_utc(value if isinstance(value, datetime) else datetime.fromisoformat(value))


def update_from_event(event: Event) -> StatusUpdate | None:
    """The status update an ``update_posted`` event carries (None for other events)."""
    d = event.data
    if "status" not in d:
        return None
    from imf.model_log import StatusUpdate

    return StatusUpdate(
        number=int(d.get("number") or 0),
        at=event.at,
        actor=event.actor,
        status=Status(d["status"]),
        summary=str(d.get("summary", "")),
        since_last=tuple(d.get("since_last", ())),
        root_cause=str(d.get("root_cause", "under-investigation")),
        impact=str(d.get("impact", "")),
        eta=str(d.get("eta", "")),
        next_steps=tuple(d.get("next_steps", ())),
        next_update_at=_optional_time(d.get("next_update_at")),
        public=str(d.get("public", "")),
    )


def posted_update(incident: Incident, event: Event) -> StatusUpdate | None:
    """The update ``event`` posted: from the incident when it holds it, else from the event
    itself (an update being previewed, not stored yet)."""
    number = event.data.get("number")
    for posted in reversed(incident.updates):
        if posted.number == number:
            return posted
    found = update_from_event(event)
    if found is not None and not found.number:
        found = attrs.evolve(found, number=len(incident.updates) + 1)
    return found


ACTION_PRIORITIES: tuple[str, ...] = ("P0", "P1", "P2", "P3")
ACTION_STATUSES: tuple[str, ...] = ("open", "in-progress", "done")


@define
class Incident:
    """The current state of an incident: the projection of its events."""

    id: str
    number: int
    title: str
    severity: str
    status: Status = Status.INVESTIGATING
    services: tuple[str, ...] = ()
    customer_facing: bool = False
    tags: tuple[str, ...] = ()
    roles: dict[str, tuple[str, ...]] = field(factory=dict)
    summary: str = ""
    customer_impact: str = ""
    declared_by: str = ""
    declared_at: datetime = field(factory=utcnow)
    detected_at: datetime | None = None
    acknowledged_at: datetime | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    updates: list[StatusUpdate] = field(factory=list)
    notes: list[Note] = field(factory=list)
    refs: dict[str, dict[str, Any]] = field(factory=dict)
    checks: dict[str, CheckState] = field(factory=dict)
    playbooks: tuple[str, ...] = ()
    postmortem: Postmortem | None = None
    classification: dict[str, Any] = field(factory=dict)
    reopened: int = 0
    version: int = 0

    @property
    def is_open(self) -> bool:
        """True until the incident is resolved."""
        return self.status is not Status.RESOLVED

    @property
    def last_update(self) -> StatusUpdate | None:
        """The most recent status update, if any."""
        return self.updates[-1] if self.updates else None

    @property
    def links(self) -> dict[str, str]:
        """Links plugins reported (``refs[plugin]["links"]``): war room, status page, page."""
        merged: dict[str, str] = {}
        for plugin in sorted(self.refs):
            found = self.refs[plugin].get("links")
            if isinstance(found, Mapping):
                merged.update({str(k): str(v) for k, v in found.items()})
        return merged

    def holders(self, role: str) -> tuple[str, ...]:
        """Who holds ``role`` now (empty when nobody)."""
        return self.roles.get(role, ())


@frozen
class SeverityLevel:
    """One level of a severity policy (P1 … P4 by default).

    :ivar name: what responders type (``P1``, ``SEV1``...).
    :ivar rank: 1 is the most severe; escalating means a smaller rank.
    :ivar titles: display title per language.
    :ivar criteria: when the level applies, per language.
    :ivar response_target: how soon the incident must be acknowledged.
    :ivar update_min: / :ivar update_max: the update cadence window; the next update is due
        ``update_max`` after the last one unless the responder gave a time.
    :ivar war_room: ``activate``, ``prepare`` or ``none``.
    :ivar page: whether on-call is paged.
    :ivar notify: who is told (free-form names: ``team-lead``, ``executives``...).
    :ivar required_roles: roles that must be filled within ``roles_within``.
    :ivar verification_gate: resolving needs the verification checklist (or ``--force``).
    :ivar postmortem_required: a published post-mortem is expected within ``postmortem_due``.
    """

    name: str
    rank: int
    titles: Mapping[str, str] = field(factory=dict)
    criteria: Mapping[str, str] = field(factory=dict)
    response_target: timedelta = timedelta(hours=8)
    update_min: timedelta = timedelta(hours=24)
    update_max: timedelta = timedelta(hours=24)
    war_room: str = "none"
    page: bool = False
    notify: tuple[str, ...] = ()
    required_roles: tuple[str, ...] = ()
    roles_within: timedelta = timedelta(minutes=15)
    verification_gate: bool = False
    postmortem_required: bool = False
    postmortem_due: timedelta = timedelta(days=5)

    def title(self, lang: str = "en") -> str:
        """The display title in ``lang`` (English, then the name, as fallbacks)."""
        return self.titles.get(lang) or self.titles.get("en") or self.name


@frozen
class ClassificationRules:
    """Thresholds that turn impact facts into a severity (see :meth:`SeverityPolicy.classify`).

    Percentages are of users affected. Data loss or a security breach is always the most
    severe level; a workaround lowers the level by one.
    """

    critical_users: float = 50.0
    high_users: float = 10.0
    medium_users: float = 0.0


@frozen
class SeverityPolicy:
    """The active severity policy: ordered levels and the classification rules."""

    levels: tuple[SeverityLevel, ...]
    rules: ClassificationRules = ClassificationRules()

    def names(self) -> tuple[str, ...]:
        """Level names, most severe first."""
        return tuple(level.name for level in sorted(self.levels, key=lambda lv: lv.rank))

    def find(self, name: str) -> SeverityLevel | None:
        """The level called ``name`` (case-insensitive), or None."""
        wanted = name.strip().casefold()
        for level in self.levels:
            if level.name.casefold() == wanted:
                return level
        return None

    def level(self, name: str) -> SeverityLevel:
        """The level called ``name``; a :class:`~imf.errors.UsageError` listing valid ones."""
        found = self.find(name)
        if found is None:
            from imf.errors import UsageError

            raise UsageError("core.invalid_severity", value=name, valid=", ".join(self.names()))
        return found

    def classify(
        self,
        *,
        users_affected: float | None = None,
        data_loss: bool = False,
        security: bool = False,
        workaround: bool = False,
    ) -> str:
        """The level for the methodology's criteria: user impact, data, security, workaround."""
        ordered = sorted(self.levels, key=lambda lv: lv.rank)
        if data_loss or security:
            return ordered[0].name
        users = users_affected or 0.0
        rules = self.rules
        if users >= rules.critical_users:
            index = 0
        elif users >= rules.high_users:
            index = 1
        elif users > rules.medium_users:
            index = 2
        else:
            index = 3
        if workaround:
            index += 1
        return ordered[min(index, len(ordered) - 1)].name


@frozen
class Delivery:
    """One lifecycle event to be delivered to one plugin (a row of the outbox).

    :ivar state: ``pending``, ``delivered`` or ``dead``.
    """

    id: int
    event_id: int
    incident_id: str
    plugin: str
    hook: str
    state: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_error: str = ""
    delivered_at: datetime | None = None


def evolve(instance: Any, **changes: Any) -> Any:
    """A copy of an attrs instance with ``changes`` (re-exported for plugin authors)."""
    return attrs.evolve(instance, **changes)
