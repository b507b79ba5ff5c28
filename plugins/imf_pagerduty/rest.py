"""REST API v2: find the PagerDuty incident of an alert and add notes to it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import imf
from imf_pagerduty.config import PagerDutyConfig, RestConfig

#: The versioned media type every REST API v2 request must accept.
ACCEPT = "application/vnd.pagerduty+json;version=2"

SERVICE = "PagerDuty REST API"

#: Statuses of a PagerDuty incident that is still open.
OPEN_STATUSES = ("triggered", "acknowledged")


def headers(rest: RestConfig, *, sender: bool = False) -> dict[str, str]:
    """Authorization and versioning headers (``From`` for writes made on a user's behalf)."""
    found = {
        "Authorization": f"Token token={rest.token.reveal()}",
        "Accept": ACCEPT,
        "Content-Type": "application/json",
    }
    if sender:
        found["From"] = rest.from_email
    return found


def find_incident(
    ctx: imf.PluginContext, rest: RestConfig, dedup_key: str
) -> dict[str, Any] | None:
    """The PagerDuty incident opened by the alert with ``dedup_key`` (its incident key)."""
    config: PagerDutyConfig = ctx.config
    response = ctx.http.get(
        f"{config.api_url.rstrip('/')}/incidents",
        params={"incident_key": dedup_key, "statuses[]": list(OPEN_STATUSES), "limit": 1},
        headers=headers(rest),
        ok=(200,),
        service=SERVICE,
        timeout=ctx.timeout,
    )
    try:
        incidents = response.json().get("incidents") or []
    except (ValueError, AttributeError):
        incidents = []
    first = incidents[0] if incidents else None
    return first if isinstance(first, dict) and first.get("id") else None


def note_body(content: str) -> dict[str, Any]:
    """The body of ``POST /incidents/{id}/notes``."""
    return {"note": {"content": content}}


def add_note(ctx: imf.PluginContext, rest: RestConfig, incident_id: str, content: str) -> None:
    """Add a note to PagerDuty incident ``incident_id``."""
    config: PagerDutyConfig = ctx.config
    ctx.http.post(
        f"{config.api_url.rstrip('/')}/incidents/{quote(incident_id, safe='')}/notes",
        json=note_body(content),
        headers=headers(rest, sender=True),
        ok=(201,),
        service=SERVICE,
        timeout=ctx.timeout,
    )


def update_note(update: imf.StatusUpdate, ctx: imf.PluginContext) -> str:
    """The text of a note for "Incident Update #N", in the organization's language."""
    t = ctx.t
    lines = [
        t("pagerduty.note.heading", number=update.number, time=update.at.strftime("%H:%M")),
        t("pagerduty.note.status", status=t("core.status." + update.status.value)),
    ]
    if update.summary:
        lines.append(t("pagerduty.note.summary", text=update.summary))
    if update.since_last:
        lines.append(t("pagerduty.note.since_last"))
        lines.extend(f"- {item}" for item in update.since_last)
    state = t("pagerduty.root_cause." + update.root_cause)
    lines.append(t("pagerduty.note.root_cause", state=state))
    if update.impact:
        lines.append(t("pagerduty.note.impact", text=update.impact))
    if update.eta:
        lines.append(t("pagerduty.note.eta", text=update.eta))
    if update.next_steps:
        lines.append(t("pagerduty.note.next_steps"))
        lines.extend(f"{n}. {step}" for n, step in enumerate(update.next_steps, 1))
    if update.next_update_at is not None:
        when = update.next_update_at.strftime("%Y-%m-%d %H:%M")
        lines.append(t("pagerduty.note.next_update", time=when))
    return "\n".join(lines)
