"""Microsoft Teams: Adaptive Cards to a channel webhook, and a war room channel per incident.

Enable it with a ``[plugins.teams]`` table (see ``docs/plugins/teams.md``)::

    [plugins.teams]
    webhook_url = { env = "TEAMS_WEBHOOK_URL" }

Every lifecycle step (declare, update, escalate, role change, resolve, reopen, post-mortem,
reminder) posts an Adaptive Card. With ``[plugins.teams.war_room]``, severities whose policy
activates a war room get a channel ``incident-<id>`` through Microsoft Graph, and later cards
go there as well.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import imf
from imf_teams import messages
from imf_teams.config import TeamsConfig, WarRoomConfig

__all__ = ["CATALOG", "TeamsConfig", "WarRoomConfig"]

CATALOG = messages.CATALOG


def _posting() -> ModuleType:
    """The module that talks to the service, imported on first delivery (not at start-up)."""
    from imf_teams import posting

    return posting


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.teams]`` is validated by :class:`TeamsConfig`."""
    return TeamsConfig


@imf.hookimpl
def imf_declare(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Open the war room (when the severity calls for it) and post the declare card."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_escalate(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the escalation card (opening the war room when escalating into one)."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_update(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the "Incident Update #N" card."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_assign(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the role change card."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_resolve(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the resolved card."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_reopen(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the reopened card."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_postmortem(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the post-mortem card (with its link when an export plugin reported one)."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_remind(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Post the reminder card (an overdue update, acknowledgement, role or escalation)."""
    return _posting().deliver(incident, event, ctx)


@imf.hookimpl
def imf_preview(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> str | None:
    """The webhook message (Adaptive Card) for ``event``, as JSON."""
    message = _posting().preview(incident, event, ctx)
    return None if message is None else json.dumps(message, indent=2, ensure_ascii=False)
