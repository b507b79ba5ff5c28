"""Human-readable descriptions of events (the timeline)."""

from __future__ import annotations

from typing import Any

from imf.i18n import translate
from imf.model import Event


def describe_event(event: Event, lang: str) -> str:
    """One line describing ``event`` in ``lang``."""
    d: dict[str, Any] = dict(event.data)
    key = f"cli.event.{event.kind}"
    params: dict[str, Any] = dict(d)
    if event.kind == "update_posted":
        params["status"] = translate(f"core.status.{d.get('status')}", lang)
        params["summary"] = d.get("summary") or ""
    elif event.kind in ("role_assigned", "role_unassigned"):
        params["role"] = translate(f"core.role.{d.get('role')}", lang)
        if d.get("previous"):
            key = "cli.event.role_handover"
    elif event.kind == "escalated":
        params = {"from_": d.get("from"), "to": d.get("to"), "reason": d.get("reason") or ""}
        key = f"cli.event.escalated_{d.get('direction', 'up')}"
    elif event.kind == "decision_recorded":
        params["decision"] = translate(f"ics.advise.decision.{d.get('decision')}", lang)
    elif event.kind == "reminder":
        params["reason"] = translate(f"cli.reminder.{d.get('reason')}", lang)
    elif event.kind == "external_ref":
        params = {"plugin": d.get("plugin"), "refs": _refs(d.get("refs", {}))}
    text = translate(key, lang, **params)
    if text == key:  # a kind added by an extension without a message: show it plainly
        details = ", ".join(f"{k}={v}" for k, v in d.items() if v not in (None, "", [], {}))
        return f"{event.kind} {details}".strip()
    return text


def _refs(refs: dict[str, Any]) -> str:
    shown = {k: v for k, v in refs.items() if k != "links"}
    return ", ".join(f"{k}={v}" for k, v in shown.items())
