"""What each lifecycle step posts to Teams, and the references kept between steps.

Every card goes to the channel webhook and, once the incident has a war room, to the war
room channel too. For a severity that gets a war room (on declare, on escalation into it, on
reopen) the channel is opened first, so the card already links to it.

References: ``channel_id``, ``channel_name``, ``channel_url`` and ``team_id`` of the war room,
and ``links = {"war_room": url}``. A delivery that fails half-way is retried whole: the
channel is found again by name (never created twice); a card may then be posted twice.
"""

from __future__ import annotations

from typing import Any

import attrs

import imf
from imf_teams import cards, graph, webhook
from imf_teams.config import TeamsConfig, wants_war_room
from imf_teams.text import plain

Refs = dict[str, Any]

#: Event kinds that open the war room when the severity calls for one.
OPENS_WAR_ROOM = frozenset({"declared", "escalated", "reopened"})


def _config(ctx: imf.PluginContext) -> TeamsConfig:
    config: TeamsConfig = ctx.config
    return config


def open_war_room(incident: imf.Incident, ctx: imf.PluginContext) -> Refs:
    """Find or create the incident's war room channel; return its references."""
    room = _config(ctx).war_room
    if room is None:
        return {}
    client = graph.GraphClient(ctx, room)
    name = graph.channel_name(room, incident.id)
    description = plain(ctx.t("teams.channel_description", id=incident.id, title=incident.title))
    channel = client.ensure_channel(name, description)
    url = str(channel.get("webUrl") or "")
    refs: Refs = {
        "channel_id": str(channel["id"]),
        "channel_name": name,
        "channel_url": url,
        "team_id": room.team_id,
    }
    if url:
        refs["links"] = {"war_room": url}
    return refs


def _with_refs(incident: imf.Incident, name: str, refs: Refs) -> imf.Incident:
    """``incident`` as it will be once ``refs`` are stored (so the card links the room)."""
    merged = {**incident.refs, name: {**incident.refs.get(name, {}), **refs}}
    result: imf.Incident = attrs.evolve(incident, refs=merged)
    return result


def deliver(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Refs | None:
    """Post the event's card; open the war room first when the severity calls for it."""
    config = _config(ctx)
    refs: Refs = {}
    if (
        event.kind in OPENS_WAR_ROOM
        and not ctx.refs.get("channel_id")
        and wants_war_room(config, ctx.policy, incident.severity)
    ):
        refs = open_war_room(incident, ctx)
        incident = _with_refs(incident, ctx.name, refs)
    card = cards.webhook_card(incident, event, ctx)
    if card is None:
        return refs or None
    webhook.post(ctx, config.webhook_url.reveal(), cards.encode(cards.envelope(card)))
    channel_id = refs.get("channel_id") or ctx.refs.get("channel_id")
    room = config.war_room
    if channel_id and room is not None and room.post_cards:
        team_id = str(refs.get("team_id") or ctx.refs.get("team_id") or room.team_id)
        client = graph.GraphClient(ctx, attrs.evolve(room, team_id=team_id))
        attachment = graph.attachment_id(incident.id, event.seq)

        def size(candidate: cards.Card) -> int:
            return len(cards.encode(graph.message_body(candidate, attachment)))

        room_card = cards.fitted_card(incident, event, ctx, size)
        if room_card is not None:
            client.post_card(str(channel_id), room_card, attachment)
    return refs or None


def preview(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Any:
    """The webhook message this plugin would post for ``event``, or None."""
    card = cards.webhook_card(incident, event, ctx)
    return None if card is None else cards.envelope(card)
