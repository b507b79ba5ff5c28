"""PagerDuty: page on-call through the Events API v2, note status updates through REST.

Enable it with a ``[plugins.pagerduty]`` table (see ``docs/plugins/pagerduty.md``)::

    [plugins.pagerduty]
    routing_key = { env = "PD_ROUTING_KEY" }

Declaring an incident whose severity pages sends a trigger (``dedup_key`` from the incident
id); escalating re-triggers it with the new severity; resolving sends the resolve with the
routing key the trigger used; each status update becomes a note on the PagerDuty incident
when ``[plugins.pagerduty.rest]`` is set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import imf
from imf_pagerduty import messages
from imf_pagerduty.config import PagerDutyConfig

__all__ = ["CATALOG", "PagerDutyConfig"]

CATALOG = messages.CATALOG


def _paging() -> ModuleType:
    """The module that talks to the service, imported on first delivery (not at start-up)."""
    from imf_pagerduty import paging

    return paging


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.pagerduty]`` is validated by :class:`PagerDutyConfig`."""
    return PagerDutyConfig


@imf.hookimpl
def imf_declare(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Trigger a page when the incident's severity pages."""
    return _paging().declare(incident, event, ctx)


@imf.hookimpl
def imf_escalate(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Re-trigger the open page with the new severity (or page, escalating into paging)."""
    return _paging().escalate(incident, event, ctx)


@imf.hookimpl
def imf_update(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Add the status update as a note to the PagerDuty incident (with REST access)."""
    return _paging().update(incident, event, ctx)


@imf.hookimpl
def imf_resolve(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Resolve the page with the routing key it was triggered with."""
    return _paging().resolve(incident, event, ctx)


@imf.hookimpl
def imf_reopen(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Page again for a reopened incident that paged (or whose severity pages)."""
    return _paging().reopen(incident, event, ctx)


@imf.hookimpl
def imf_preview(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> str | None:
    """The Events API (or REST) request for ``event``, routing key redacted, as JSON."""
    body = _paging().preview(incident, event, ctx)
    return None if body is None else json.dumps(body, indent=2, ensure_ascii=False)
