"""imf-webhook: POST every incident lifecycle event as JSON to a URL, optionally signed.

Configure it in ``imf.toml``::

    [plugins.webhook]
    url = "https://hooks.example.com/imf"
    secret = { env = "IMF_WEBHOOK_SECRET" }   # optional: HMAC-SHA256 signature header
    events = ["declared", "escalated", "resolved"]   # optional: default every event

Each request carries ``X-Imf-Event`` (the event kind), ``X-Imf-Delivery`` (``INC-7:3``,
the incident and the event's position in its log; the same on every retry, so receivers can
drop duplicates) and, with a secret, ``X-Imf-Signature-256: sha256=<hex>``: the HMAC-SHA256
of the raw body keyed with the secret. Timeouts, connection failures, 429 and 5xx answers
are retried by imf's outbox (``imf deliver``); other 4xx answers are permanent failures.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import attrs

import imf

#: Event kinds this plugin can send, with the hook each arrives through.
EVENTS = {
    "declared": "imf_declare",
    "escalated": "imf_escalate",
    "update_posted": "imf_update",
    "role_assigned": "imf_assign",
    "role_unassigned": "imf_assign",
    "resolved": "imf_resolve",
    "reopened": "imf_reopen",
    "postmortem_published": "imf_postmortem",
    "reminder": "imf_remind",
}

SIGNATURE_HEADER = "X-Imf-Signature-256"


def _check_url(instance: Any, attribute: Any, value: str) -> None:
    if not value.startswith(("http://", "https://")):
        raise imf.ConfigError("webhook.invalid_url")


def _check_events(instance: Any, attribute: Any, value: list[str]) -> None:
    unknown = sorted(set(value) - set(EVENTS))
    if unknown:
        raise imf.ConfigError(
            "webhook.unknown_events", events=", ".join(unknown), known=", ".join(EVENTS)
        )


@attrs.frozen
class WebhookConfig:
    """``[plugins.webhook]``.

    :ivar url: where to POST (``http://`` or ``https://``). It may carry a token in its
        query; imf never prints it (errors name only the host).
    :ivar secret: the key of the HMAC-SHA256 signature; without it requests are unsigned.
    :ivar events: event kinds to send (default: all of :data:`EVENTS`).
    :ivar headers: extra request headers (not secret: they show in ``imf config show``).
    """

    url: str = attrs.field(validator=_check_url)
    secret: imf.Secret | None = None
    events: list[str] = attrs.field(factory=lambda: list(EVENTS), validator=_check_events)
    headers: dict[str, str] = attrs.field(factory=dict)


def sign(body: bytes, secret: str) -> str:
    """The signature header value of ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def payload(incident: imf.Incident, event: imf.Event, organization: str) -> dict[str, Any]:
    """The JSON document sent for ``event``."""
    return {
        "delivery": f"{incident.id}:{event.seq}",
        "organization": organization,
        "event": {
            "kind": event.kind,
            "seq": event.seq,
            "at": event.at.isoformat(),
            "actor": event.actor,
            "data": dict(event.data),
        },
        "incident": {
            "id": incident.id,
            "title": incident.title,
            "severity": incident.severity,
            "status": incident.status.value,
            "services": list(incident.services),
            "customer_facing": incident.customer_facing,
            "roles": {role: list(people) for role, people in incident.roles.items()},
            "declared_at": incident.declared_at.isoformat() if incident.declared_at else None,
            "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
            "links": dict(incident.links),
        },
    }


def send(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> dict[str, Any] | None:
    """POST ``event`` unless it is filtered out or was sent before; return the references."""
    config: WebhookConfig = ctx.config
    if event.kind not in config.events:
        return None
    if int(ctx.refs.get("last_seq", 0)) >= event.seq:
        return None  # delivered before (the outbox repeats a call after a crash)
    body = json.dumps(payload(incident, event, ctx.organization), ensure_ascii=False).encode()
    headers = {
        **config.headers,
        "Content-Type": "application/json; charset=utf-8",
        "X-Imf-Event": event.kind,
        "X-Imf-Delivery": f"{incident.id}:{event.seq}",
    }
    if config.secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, config.secret.reveal())
    ctx.http.post(config.url, content=body, headers=headers, service="webhook", timeout=ctx.timeout)
    return {"last_seq": event.seq}


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.webhook]`` is validated by :class:`WebhookConfig`."""
    return WebhookConfig


@imf.hookimpl
def imf_declare(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``declared``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_escalate(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``escalated``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_update(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``update_posted``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_assign(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``role_assigned`` and ``role_unassigned``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_resolve(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``resolved``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_reopen(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``reopened``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_postmortem(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``postmortem_published``."""
    return send(incident, event, ctx)


@imf.hookimpl
def imf_remind(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """Send ``reminder``."""
    return send(incident, event, ctx)


CATALOG = imf.Catalog(
    "webhook",
    en={
        "webhook.invalid_url": "plugins.webhook.url must be an http:// or https:// URL",
        "webhook.unknown_events": (
            "plugins.webhook.events: unknown event kind(s) {events}; known: {known}"
        ),
    },
    ru={
        "webhook.invalid_url": "plugins.webhook.url должен быть адресом http:// или https://",
        "webhook.unknown_events": (
            "plugins.webhook.events: неизвестные виды событий {events}; известные: {known}"
        ),
    },
)
