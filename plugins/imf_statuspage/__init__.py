"""imf's status page plugin: Atlassian Statuspage and a self-hosted static status page.

Customer-facing incidents (and incidents of the severities listed in
``[plugins.statuspage] severities``) are published when declared; their public updates,
impact changes, resolution and reopening follow. Only what responders wrote for customers
(``--public``) is shown, else a neutral message for the status in the organization's
language. See ``docs/plugins/statuspage.md``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import imf
from imf_statuspage.config import StatuspageConfig
from imf_statuspage.messages import CATALOG, translate

__all__ = ["CATALOG", "StatuspageConfig", "deliver"]

#: Event kinds this plugin publishes.
HANDLED = frozenset({"declared", "update_posted", "escalated", "resolved", "reopened"})


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.statuspage]`` is validated by :class:`StatuspageConfig`."""
    return StatuspageConfig


@imf.hookimpl
def imf_cli_commands() -> Sequence[Any]:
    """``imf statuspage build`` and ``imf statuspage serve``."""
    from imf_statuspage.cli import statuspage

    return [statuspage]


def deliver(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Publish ``event`` to every configured backend; return the references to keep.

    Nothing happens for an incident that is not public and was never published. The static
    page is written first: it cannot be throttled, and when Statuspage then fails the whole
    delivery is retried, which rewrites the same page.
    """
    started = time.monotonic()
    config: StatuspageConfig = ctx.config
    if event.kind not in HANDLED or (not ctx.refs and not config.is_public(incident)):
        return None
    refs: dict[str, Any] = dict(ctx.refs)
    known_links = refs.get("links")
    links: dict[str, str] = dict(known_links) if isinstance(known_links, Mapping) else {}
    if config.static is not None:
        from imf_statuspage import static

        refs["static"] = static.publish(incident, event, ctx, config.static)
        url = static.page_url(config.static, incident.id)
        if url:
            links[translate("statuspage.link_static", ctx.lang)] = url
    if config.atlassian is not None:
        from imf_statuspage import atlassian

        found = atlassian.sync(incident, event, ctx, started=started)
        if found is not None:
            refs["atlassian"] = found
            if found.get("shortlink"):
                links[translate("statuspage.link", ctx.lang)] = str(found["shortlink"])
    if links:
        refs["links"] = links
    return refs


@imf.hookimpl
def imf_declare(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Create the public incident (customer-facing or a listed severity)."""
    return deliver(incident, event, ctx)


@imf.hookimpl
def imf_update(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Post the update's public text (or the neutral wording) with the new status."""
    return deliver(incident, event, ctx)


@imf.hookimpl
def imf_escalate(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Change the impact and the affected components' status to the new severity's."""
    return deliver(incident, event, ctx)


@imf.hookimpl
def imf_resolve(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Mark the incident resolved and its components operational."""
    return deliver(incident, event, ctx)


@imf.hookimpl
def imf_reopen(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> dict[str, Any] | None:
    """Reopen the public incident and degrade its components again."""
    return deliver(incident, event, ctx)


@imf.hookimpl
def imf_preview(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> str | None:
    """What each backend would publish for ``event``: the Statuspage request and the public
    update of the static page."""
    config: StatuspageConfig | None = ctx.config
    if config is None or event.kind not in HANDLED:
        return None
    if not ctx.refs and not config.is_public(incident):
        return translate("statuspage.preview.not_public", ctx.lang, severity=incident.severity)
    from imf_statuspage.public import body_of, entry_of_event

    lines: list[str] = []
    if config.atlassian is not None:
        from imf_statuspage.atlassian import Plan

        known = ctx.refs.get("atlassian")
        remote_id = known.get("id") if isinstance(known, Mapping) else None
        planned = Plan(incident, event, ctx).preview(remote_id)
        if planned is None:
            lines.append(
                translate("statuspage.preview.atlassian", ctx.lang, method="-", path="-")
                + ": "
                + translate("statuspage.preview.nothing", ctx.lang)
            )
        else:
            lines.append(
                translate(
                    "statuspage.preview.atlassian",
                    ctx.lang,
                    method=planned.method,
                    path=planned.path,
                )
            )
            lines.append(json.dumps(planned.body, ensure_ascii=False, indent=2))
    if config.static is not None:
        entry = entry_of_event(event)
        lines.append(
            translate("statuspage.preview.static", ctx.lang, path=config.static.output_dir)
        )
        if entry is None:
            lines.append(translate("statuspage.preview.nothing", ctx.lang))
        else:
            status = translate(f"statuspage.status.{entry['status']}", ctx.lang)
            lines.append(f"{status}: {body_of(entry, ctx.lang)}")
    return "\n".join(lines)
