"""``imf update --preview``: what each active plugin would send, without storing or sending.

A draft ``update_posted`` event is built the way :meth:`imf.IncidentService.update` builds
it, applied to a copy of the incident, and handed to every ``imf_preview`` hookimpl.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import frozen

from imf.errors import ConflictError, UsageError
from imf.lifecycle import parse_status
from imf.model import ROOT_CAUSE_STATES, Event, Incident, Status, as_utc
from imf.projection import apply


@frozen
class Draft:
    """The fields of an update being written (as ``imf update`` takes them)."""

    status: str | None = None
    summary: str = ""
    since_last: Sequence[str] = ()
    root_cause: str | None = None
    impact: str = ""
    eta: str = ""
    next_steps: Sequence[str] = ()
    next_update_at: datetime | None = None
    public: str = ""


def draft_event(incident: Incident, draft: Draft, now: datetime, actor: str) -> Event:
    """The ``update_posted`` event ``draft`` would append (not stored)."""
    if not incident.is_open:
        raise ConflictError("core.incident_resolved", id=incident.id)
    status = parse_status(draft.status) if draft.status else None
    if status is Status.RESOLVED:
        raise UsageError("core.update_use_resolve")
    if draft.root_cause is not None and draft.root_cause not in ROOT_CAUSE_STATES:
        raise UsageError(
            "core.invalid_root_cause", value=draft.root_cause, valid=", ".join(ROOT_CAUSE_STATES)
        )
    previous = incident.last_update
    data = {
        "number": len(incident.updates) + 1,
        "status": (status or incident.status).value,
        "summary": draft.summary.strip() or (previous.summary if previous else ""),
        "since_last": [s.strip() for s in draft.since_last if s.strip()],
        "root_cause": draft.root_cause
        or (previous.root_cause if previous else "under-investigation"),
        "impact": draft.impact.strip(),
        "eta": draft.eta.strip(),
        "next_steps": [s.strip() for s in draft.next_steps if s.strip()],
        "next_update_at": as_utc(draft.next_update_at).isoformat()
        if draft.next_update_at
        else None,
        "public": draft.public.strip(),
    }
    if not (data["summary"] or data["since_last"] or status or data["public"]):
        raise UsageError("core.update_empty")
    return Event(
        incident_id=incident.id,
        kind="update_posted",
        at=now,
        actor=actor,
        data=data,
        seq=incident.version + 1,
    )


def applied(incident: Incident, event: Event) -> Incident:
    """A copy of ``incident`` with ``event`` applied (``incident`` is left as it is)."""
    after = copy.deepcopy(incident)
    apply(after, event)
    return after


def previews(app: Any, incident: Incident, event: Event) -> tuple[dict[str, str], dict[str, str]]:
    """What each active plugin implementing ``imf_preview`` would send, by plugin name, and
    the error of each plugin whose preview failed (a broken preview never hides the others)."""
    result: dict[str, str] = {}
    errors: dict[str, str] = {}
    for impl in app.host.impls("imf_preview"):
        try:
            text = app.host.call_impl(
                impl, incident=incident, event=event, ctx=app.context(impl.plugin_name, incident)
            )
        except Exception as exc:  # a plugin's bug must not stop the other previews
            errors[impl.plugin_name] = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            continue
        if text:
            result[impl.plugin_name] = str(text)
    return result, errors
