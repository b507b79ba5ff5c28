"""``[plugins.teams]``: the channel webhook and the optional war room (Microsoft Graph)."""

from __future__ import annotations

import attrs

import imf

GRAPH_URL = "https://graph.microsoft.com/v1.0"
"""The Microsoft Graph v1.0 base URL."""

TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
"""The Microsoft identity platform token endpoint (``{tenant}`` is filled in)."""


@attrs.frozen
class WarRoomConfig:
    """``[plugins.teams.war_room]``: a channel per incident, created through Microsoft Graph.

    The app signs in with its own identity (client credentials). It needs to read and create
    channels in the team and to post to them: see ``docs/plugins/teams.md`` for the
    permissions.

    :ivar tenant: the directory (tenant) id or domain.
    :ivar client_id: the app registration's client id.
    :ivar client_secret: its client secret.
    :ivar team_id: the team (group id) the war room channels are created in.
    :ivar severities: severities that get a war room; by default those whose policy says
        ``war_room = "activate"``.
    :ivar channel_name: the channel's display name (``{id}`` is the incident id); a name
        without the id or longer than 50 characters falls back to ``incident-{id}``.
    :ivar post_cards: post every card in the war room too (the app must be allowed to post
        channel messages with its own identity); false only creates the channel and links it.
    :ivar graph_url: / :ivar token_url: the endpoints (``{tenant}`` is filled in).
    """

    tenant: str
    client_id: str
    client_secret: imf.Secret
    team_id: str
    severities: list[str] | None = None
    channel_name: str = "incident-{id}"
    post_cards: bool = True
    graph_url: str = GRAPH_URL
    token_url: str = TOKEN_URL


@attrs.frozen
class TeamsConfig:
    """``[plugins.teams]``.

    :ivar webhook_url: the channel's Workflows (or legacy connector) webhook URL. It carries
        a signature: give it as ``{ env = "..." }`` or ``{ file = "..." }``.
    :ivar war_room: war room channels through Microsoft Graph (optional).
    """

    webhook_url: imf.Secret
    war_room: WarRoomConfig | None = None


def wants_war_room(config: TeamsConfig, policy: imf.SeverityPolicy | None, severity: str) -> bool:
    """Whether an incident of ``severity`` gets a war room channel."""
    room = config.war_room
    if room is None:
        return False
    if room.severities is not None:
        return severity.casefold() in {name.casefold() for name in room.severities}
    level = policy.find(severity) if policy is not None else None
    return bool(level and level.war_room == "activate")
