"""Events API v2: the trigger and resolve events imf sends, and sending them."""

from __future__ import annotations

import re
from typing import Any

import imf
from imf_pagerduty.config import PagerDutyConfig, Route, pagerduty_severity

#: PagerDuty's documented maximum length of ``payload.summary``.
SUMMARY_MAX = 1024

#: Longest text kept in one ``custom_details`` value (the whole event must stay < 512 KB).
DETAIL_MAX = 4000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` without control characters or line breaks, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters (whole code points), marked with "…"."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def dedup_key(config: PagerDutyConfig, incident_id: str) -> str:
    """The ``dedup_key`` of an incident: stable for its whole life, across config changes."""
    return f"{config.dedup_prefix}-{incident_id}" if config.dedup_prefix else incident_id


def summary(incident: imf.Incident) -> str:
    """``[P1] INC-7: title`` on one line, at most 1024 characters."""
    return shorten(one_line(f"[{incident.severity}] {incident.id}: {incident.title}"), SUMMARY_MAX)


def _detail(text: str) -> str:
    return shorten(text, DETAIL_MAX)


def custom_details(incident: imf.Incident, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What responders see under "custom details": status, roles, services, impact."""
    details: dict[str, Any] = {
        "incident": incident.id,
        "title": _detail(incident.title),
        "severity": incident.severity,
        "status": incident.status.value,
        "roles": {role: list(people) for role, people in incident.roles.items()},
        "services": list(incident.services),
        "customer_facing": incident.customer_facing,
        "declared_by": incident.declared_by,
        "declared_at": incident.declared_at.isoformat(),
    }
    if incident.summary:
        details["summary"] = _detail(incident.summary)
    if incident.customer_impact:
        details["customer_impact"] = _detail(incident.customer_impact)
    details.update(extra or {})
    return details


def links(incident: imf.Incident, skip: str = "pagerduty") -> list[dict[str, str]]:
    """The incident's web links (war room, status page, post-mortem) as Events API links."""
    return [
        {"href": url, "text": label}
        for label, url in incident.links.items()
        if label != skip and url.startswith(("https://", "http://"))
    ]


def trigger_event(
    incident: imf.Incident,
    event: imf.Event,
    ctx: imf.PluginContext,
    route_key: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The trigger event for ``incident`` (a new alert, or added to the open one)."""
    config: PagerDutyConfig = ctx.config
    level = ctx.policy.find(incident.severity) if ctx.policy is not None else None
    payload: dict[str, Any] = {
        "summary": summary(incident),
        "source": one_line(config.source or ctx.organization or "imf")[:255],
        "severity": pagerduty_severity(config, level, incident.severity),
        "timestamp": event.at.isoformat(),
        "class": "incident",
        "custom_details": custom_details(incident, extra),
    }
    if incident.services:
        payload["component"] = one_line(incident.services[0])
        payload["group"] = one_line(", ".join(incident.services))
    body: dict[str, Any] = {
        "routing_key": route_key,
        "event_action": "trigger",
        "dedup_key": dedup_key(config, incident.id),
        "client": "imf",
        "payload": payload,
    }
    found = links(incident)
    if found:
        body["links"] = found
    return body


def resolve_event(config: PagerDutyConfig, incident_id: str, route_key: str) -> dict[str, Any]:
    """The resolve event for the alert of ``incident_id``."""
    return {
        "routing_key": route_key,
        "event_action": "resolve",
        "dedup_key": dedup_key(config, incident_id),
    }


def send(ctx: imf.PluginContext, body: dict[str, Any]) -> str:
    """Enqueue ``body``; return the ``dedup_key`` PagerDuty answered with.

    202 is success; 400 (an invalid event) is permanent; 429 and 5xx are retried later,
    honouring ``Retry-After``, as PagerDuty advises.
    """
    config: PagerDutyConfig = ctx.config
    response = ctx.http.post(
        config.events_url,
        json=body,
        ok=(202,),
        service="PagerDuty Events API",
        timeout=ctx.timeout,
    )
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    key = answer.get("dedup_key") if isinstance(answer, dict) else None
    return str(key or body.get("dedup_key", ""))


def redacted(body: dict[str, Any], route: Route) -> dict[str, Any]:
    """``body`` with the routing key replaced by where it comes from (for previews)."""
    return {**body, "routing_key": f"<secret {route.path}>"}
