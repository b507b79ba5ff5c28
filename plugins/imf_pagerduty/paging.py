"""What each lifecycle step sends to PagerDuty, and the references kept between steps.

References (``ctx.refs``, printed by ``imf show``) never hold a routing key: they keep the
configuration key it came from and a fingerprint, so the resolve goes out with the very key
the trigger used, even if the configuration changed since.

``state`` is ``triggered`` or ``resolved``; ``resolved_seq`` is the log position of the
resolve that was sent. A trigger for an event older than that resolve (a late retry) is
never sent, so a page cannot reopen after its resolve; a reopen is newer and re-triggers.
"""

from __future__ import annotations

from typing import Any

import imf
from imf_pagerduty import events, rest
from imf_pagerduty.config import (
    PagerDutyConfig,
    Route,
    choose_route,
    find_route,
    pages,
)

Refs = dict[str, Any]


def _config(ctx: imf.PluginContext) -> PagerDutyConfig:
    config: PagerDutyConfig = ctx.config
    return config


def is_open(refs: Any) -> bool:
    """Whether a page was triggered and not resolved yet."""
    return refs.get("state") == "triggered"


def stale(event: imf.Event, refs: Any) -> bool:
    """Whether ``event`` precedes a resolve that was already sent."""
    resolved = refs.get("resolved_seq")
    return isinstance(resolved, int) and event.seq < resolved


def stored_route(ctx: imf.PluginContext) -> Route:
    """The route the open page was triggered with; a permanent error if its key is gone."""
    routing = ctx.refs.get("routing") or {}
    path, wanted = str(routing.get("key", "")), str(routing.get("fingerprint", ""))
    found = find_route(_config(ctx), path, wanted)
    if found is None:
        raise imf.PermanentError(
            ctx.t(
                "pagerduty.route_gone",
                dedup_key=ctx.refs.get("dedup_key", "?"),
                path=path or "?",
                fingerprint=wanted or "?",
            )
        )
    return found


def _trigger_route(incident: imf.Incident, ctx: imf.PluginContext) -> Route:
    if is_open(ctx.refs):
        return stored_route(ctx)
    return choose_route(_config(ctx), incident.services)


def trigger(
    incident: imf.Incident,
    event: imf.Event,
    ctx: imf.PluginContext,
    extra: dict[str, Any] | None = None,
) -> Refs:
    """Send a trigger (a new page, or added to the open alert) and return the new refs."""
    route = _trigger_route(incident, ctx)
    reopening = not is_open(ctx.refs)
    body = events.trigger_event(incident, event, ctx, route.key.reveal(), extra)
    key = events.send(ctx, body)
    refs: Refs = {
        "dedup_key": key,
        "routing": {"key": route.path, "fingerprint": route.fingerprint},
        "state": "triggered",
        "severity": body["payload"]["severity"],
        "triggered_seq": event.seq,
    }
    if reopening and ctx.refs.get("incident_id"):
        # A new alert opens a new PagerDuty incident: forget the resolved one.
        refs.update({"incident_id": "", "links": {}})
    return refs


def declare(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Page for a declared incident whose severity pages."""
    if stale(event, ctx.refs) or not pages(_config(ctx), ctx.policy, incident.severity):
        return None
    return trigger(incident, event, ctx)


def _escalation(event: imf.Event) -> dict[str, Any]:
    data = event.data
    return {
        "escalation": {
            "from": data.get("from", ""),
            "to": data.get("to", ""),
            "direction": data.get("direction", ""),
            "reason": events.shorten(str(data.get("reason", "")), events.DETAIL_MAX),
        }
    }


def escalate(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Re-trigger an open page with the new severity, or page when the new severity pages."""
    if stale(event, ctx.refs):
        return None
    if is_open(ctx.refs) or pages(_config(ctx), ctx.policy, incident.severity):
        return trigger(incident, event, ctx, _escalation(event))
    return None


def reopen(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Page again when a paged (or paging) incident is reopened."""
    if stale(event, ctx.refs):
        return None
    if ctx.refs.get("dedup_key") or pages(_config(ctx), ctx.policy, incident.severity):
        return trigger(incident, event, ctx, {"reopened": incident.reopened})
    return None


def resolve(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Resolve the open page with the routing key it was triggered with.

    With no open page nothing is sent, but the resolve is still recorded: a trigger that
    failed before it and is retried later must not page for a resolved incident.
    """
    if not is_open(ctx.refs):
        return {"state": "resolved", "resolved_seq": event.seq}
    route = stored_route(ctx)
    events.send(ctx, events.resolve_event(_config(ctx), incident.id, route.key.reveal()))
    return {"state": "resolved", "resolved_seq": event.seq}


def update(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Add "Incident Update #N" as a note to the open PagerDuty incident (REST API)."""
    access = _config(ctx).rest
    posted = imf.posted_update(incident, event)
    if access is None or posted is None or not is_open(ctx.refs):
        return None
    if event.seq <= int(ctx.refs.get("noted_seq") or 0):
        return None  # already noted (a repeated delivery)
    refs: Refs = {}
    incident_id = str(ctx.refs.get("incident_id") or "")
    if not incident_id:
        dedup_key = str(ctx.refs.get("dedup_key", ""))
        found = rest.find_incident(ctx, access, dedup_key)
        if found is None:
            raise imf.RetryableError(ctx.t("pagerduty.incident_not_found", dedup_key=dedup_key))
        incident_id = str(found["id"])
        refs["incident_id"] = incident_id
        if isinstance(found.get("html_url"), str):
            refs["links"] = {"pagerduty": found["html_url"]}
    rest.add_note(ctx, access, incident_id, rest.update_note(posted, ctx))
    refs["noted_seq"] = event.seq
    return refs


def preview(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """The request this plugin would send for ``event`` (routing key redacted), or None."""
    config = _config(ctx)
    kind = event.kind
    triggers = {"declared": {}, "escalated": _escalation(event), "reopened": {}}
    if kind in triggers:
        paging = pages(config, ctx.policy, incident.severity)
        if not (is_open(ctx.refs) or paging or (kind == "reopened" and ctx.refs.get("dedup_key"))):
            return None
        route = _trigger_route(incident, ctx)
        body = events.trigger_event(incident, event, ctx, "", triggers[kind])
        return events.redacted(body, route)
    if kind == "resolved" and is_open(ctx.refs):
        route = stored_route(ctx)
        return events.redacted(events.resolve_event(config, incident.id, ""), route)
    if kind == "update_posted" and config.rest is not None and is_open(ctx.refs):
        posted = imf.posted_update(incident, event)
        if posted is None:
            return None
        target = ctx.refs.get("incident_id") or "{incident_id}"
        return {
            "method": "POST",
            "url": f"{config.api_url.rstrip('/')}/incidents/{target}/notes",
            "body": rest.note_body(rest.update_note(posted, ctx)),
        }
    return None
