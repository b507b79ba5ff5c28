"""Adaptive Cards (schema 1.5) for each lifecycle step, built as data.

Every piece of text people typed goes through :func:`imf_teams.text.md`, so it shows as
typed and cannot add links, mentions or emphasis. A message over Teams' 28 KB limit is never
sent as is: the card is rebuilt with shorter texts and fewer list items, with a note saying
so, until it fits.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import attrs

import imf
from imf_teams.text import md, plain

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

#: Teams' limit for one message.
MAX_MESSAGE_BYTES = 28 * 1024

#: What imf aims below, leaving room for what Teams adds around a post.
TARGET_BYTES = MAX_MESSAGE_BYTES - 1024

#: Container style (and text colour) per severity rank; lower severities are "good".
COLOURS = {1: "attention", 2: "warning", 3: "accent"}

#: At most this many link buttons.
MAX_ACTIONS = 6

Card = dict[str, Any]


@attrs.frozen
class Budget:
    """Limits on user text in one card: characters per text and items per list."""

    text: int | None = None
    items: int | None = None

    @property
    def shortened(self) -> bool:
        """Whether this budget cuts anything."""
        return self.text is not None or self.items is not None


#: Tried in order until the message fits.
BUDGETS = (
    Budget(),
    Budget(4000, 40),
    Budget(1500, 15),
    Budget(500, 8),
    Budget(150, 4),
    Budget(60, 2),
)


def encode(document: Any) -> bytes:
    """The UTF-8 JSON bytes imf sends (non-ASCII text is not expanded to escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def envelope(card: Card) -> dict[str, Any]:
    """The message a channel webhook (Workflows or connector) takes."""
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": card}],
    }


def fmt_time(value: datetime) -> str:
    """``2024-05-01 14:35 UTC``."""
    return value.strftime("%Y-%m-%d %H:%M") + " UTC"


def fmt_duration(ctx: imf.PluginContext, value: timedelta) -> str:
    """A duration in days, hours and minutes, in the context's language."""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return ctx.t("teams.duration.dh", d=days, h=hours)
    if hours:
        return ctx.t("teams.duration.hm", h=hours, m=minutes)
    return ctx.t("teams.duration.m", m=minutes)


def colour(ctx: imf.PluginContext, severity: str) -> str:
    """The severity's colour: attention, warning, accent or good."""
    level = ctx.policy.find(severity) if ctx.policy is not None else None
    return COLOURS.get(level.rank, "good") if level is not None else "accent"


class CardBuilder:
    """Builds the card of one event within a :class:`Budget`."""

    def __init__(
        self, incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext, budget: Budget
    ) -> None:
        self.incident = incident
        self.event = event
        self.ctx = ctx
        self.budget = budget

    # --- pieces -----------------------------------------------------------------------------

    def text(self, value: str, *, multiline: bool = False) -> str:
        """Escaped user text within the budget."""
        return md(value, self.budget.text, multiline=multiline)

    def items(self, values: tuple[str, ...] | list[str]) -> list[str]:
        """List items within the budget (a last item says how many were left out)."""
        kept = list(values)
        limit = self.budget.items
        if limit is not None and len(kept) > limit:
            left = len(kept) - limit
            return [self.text(v) for v in kept[:limit]] + [self.ctx.t("teams.more_items", n=left)]
        return [self.text(v) for v in kept]

    def header(self, headline: str, style: str) -> Card:
        """The coloured block: headline and the incident's title."""
        return {
            "type": "Container",
            "style": style,
            "bleed": True,
            "items": [
                {
                    "type": "TextBlock",
                    "text": headline,
                    "weight": "Bolder",
                    "color": style,
                    "wrap": True,
                },
                {
                    "type": "TextBlock",
                    "text": self.text(self.incident.title),
                    "size": "Large",
                    "weight": "Bolder",
                    "wrap": True,
                },
            ],
        }

    def facts(self, *extra: tuple[str, str]) -> Card:
        """Severity, status, services and the roles (titles in the organization's language)."""
        t, incident = self.ctx.t, self.incident
        level = self.ctx.policy.find(incident.severity) if self.ctx.policy is not None else None
        severity = md(incident.severity)
        if level is not None:
            severity += " — " + md(level.title(self.ctx.lang))
        facts = [
            {"title": t("teams.fact.severity"), "value": severity},
            {"title": t("teams.fact.status"), "value": t("core.status." + incident.status.value)},
        ]
        if incident.services:
            facts.append(
                {
                    "title": t("teams.fact.services"),
                    "value": self.text(", ".join(incident.services)),
                }
            )
        if incident.customer_facing:
            facts.append({"title": t("teams.fact.customer_facing"), "value": t("teams.yes")})
        for role in imf.ROLES:
            people = incident.roles.get(role)
            if people:
                facts.append(
                    {"title": t("core.role." + role), "value": self.text(", ".join(people))}
                )
        facts.extend({"title": title, "value": value} for title, value in extra)
        return {"type": "FactSet", "facts": facts}

    def section(self, label: str, value: str, *, multiline: bool = True) -> Card:
        """``**Label**: text``."""
        return {
            "type": "TextBlock",
            "text": f"**{label}**: {self.text(value, multiline=multiline)}",
            "wrap": True,
        }

    def listing(self, label: str, lines: list[str], *, numbered: bool = False) -> list[Card]:
        """A bold label and a Markdown list of already escaped ``lines``."""
        marks = [f"{n}." if numbered else "-" for n in range(1, len(lines) + 1)]
        return [
            {"type": "TextBlock", "text": f"**{label}**:", "wrap": True, "spacing": "Medium"},
            {
                "type": "TextBlock",
                "text": "\r".join(
                    f"{mark} {line}" for mark, line in zip(marks, lines, strict=True)
                ),
                "wrap": True,
                "spacing": "None",
            },
        ]

    def actions(self) -> list[Card]:
        """An Action.OpenUrl per web link of the incident (war room, status page...)."""
        found = []
        for label, url in self.incident.links.items():
            if not url.startswith(("https://", "http://")):
                continue
            title = self.ctx.t("teams.link." + label)
            if title == "teams.link." + label:
                title = plain(label, 40)
            found.append({"type": "Action.OpenUrl", "title": title, "url": url})
        return found[:MAX_ACTIONS]

    def card(self, headline: str, style: str, body: list[Card]) -> Card:
        """The card: header, ``body``, the shortening note, link buttons."""
        parts = [self.header(headline, style), *body]
        if self.budget.shortened:
            note = self.ctx.t("teams.shortened", id=md(self.incident.id))
            parts.append({"type": "TextBlock", "text": note, "isSubtle": True, "wrap": True})
        card: Card = {
            "type": "AdaptiveCard",
            "$schema": CARD_SCHEMA,
            "version": CARD_VERSION,
            "lang": self.ctx.lang,
            "fallbackText": headline,
            "msteams": {"width": "Full"},
            "body": parts,
        }
        found = self.actions()
        if found:
            card["actions"] = found
        return card

    # --- one card per event kind ------------------------------------------------------------

    def build(self) -> Card | None:
        """The card for the event, or None when this kind gets none."""
        make = getattr(self, "_" + self.event.kind, None)
        result: Card | None = make() if make is not None else None
        return result

    def _ids(self) -> dict[str, str]:
        return {"id": md(self.incident.id), "severity": md(self.incident.severity)}

    def _style(self) -> str:
        return colour(self.ctx, self.incident.severity)

    def _declared(self) -> Card:
        t, incident = self.ctx.t, self.incident
        body: list[Card] = [
            self.facts((t("teams.fact.declared_by"), self.text(incident.declared_by)))
        ]
        if incident.summary:
            body.append(self.section(t("teams.label.summary"), incident.summary))
        if incident.customer_impact:
            body.append(self.section(t("teams.label.impact"), incident.customer_impact))
        return self.card(t("teams.headline.declared", **self._ids()), self._style(), body)

    def _update_posted(self) -> Card | None:
        t = self.ctx.t
        posted = imf.posted_update(self.incident, self.event)
        if posted is None:
            return None
        headline = t("teams.headline.update", number=posted.number, time=fmt_time(posted.at))
        body: list[Card] = [self.facts()]
        if posted.summary:
            body.append(self.section(t("teams.label.summary"), posted.summary))
        if posted.since_last:
            body.extend(self.listing(t("teams.label.since_last"), self.items(posted.since_last)))
        understanding = [
            f"**{t('teams.label.root_cause')}**: {t('teams.root_cause.' + posted.root_cause)}"
        ]
        if posted.impact:
            understanding.append(f"**{t('teams.label.impact')}**: {self.text(posted.impact)}")
        if posted.eta:
            understanding.append(f"**{t('teams.label.eta')}**: {self.text(posted.eta)}")
        body.extend(self.listing(t("teams.label.understanding"), understanding))
        if posted.next_steps:
            steps = self.items(posted.next_steps)
            body.extend(self.listing(t("teams.label.next_steps"), steps, numbered=True))
        if posted.next_update_at is not None:
            label = t("teams.label.next_update")
            body.append(
                {"type": "TextBlock", "text": f"**{label}**: {fmt_time(posted.next_update_at)}"}
            )
        return self.card(headline, self._style(), body)

    def _escalated(self) -> Card:
        t, data = self.ctx.t, self.event.data
        key = (
            "teams.headline.escalated_down"
            if data.get("direction") == "down"
            else ("teams.headline.escalated_up")
        )
        headline = t(
            key, old=md(str(data.get("from", ""))), new=md(str(data.get("to", ""))), **self._ids()
        )
        body = [self.facts()]
        if data.get("reason"):
            body.append(self.section(t("teams.label.reason"), str(data["reason"])))
        return self.card(headline, self._style(), body)

    def _role_assigned(self) -> Card:
        t, data = self.ctx.t, self.event.data
        params = {
            "role": t("core.role." + str(data.get("role", ""))),
            "person": self.text(str(data.get("person", ""))),
            "previous": self.text(str(data.get("previous", ""))),
            **self._ids(),
        }
        key = "teams.headline.handover" if data.get("previous") else "teams.headline.assigned"
        return self.card(t(key, **params), self._style(), [self.facts()])

    def _role_unassigned(self) -> Card:
        t, data = self.ctx.t, self.event.data
        params = {"role": t("core.role." + str(data.get("role", ""))), **self._ids()}
        return self.card(t("teams.headline.unassigned", **params), self._style(), [self.facts()])

    def _resolved(self) -> Card:
        t, incident = self.ctx.t, self.incident
        ended = incident.resolved_at or self.event.at
        duration = fmt_duration(self.ctx, ended - incident.declared_at)
        headline = t("teams.headline.resolved", duration=duration, **self._ids())
        body: list[Card] = [self.facts((t("teams.fact.duration"), duration))]
        summary = str(self.event.data.get("summary") or "")
        if summary:
            body.append(self.section(t("teams.label.resolution"), summary))
        return self.card(headline, "good", body)

    def _reopened(self) -> Card:
        t, data = self.ctx.t, self.event.data
        body = [self.facts()]
        if data.get("reason"):
            body.append(self.section(t("teams.label.reason"), str(data["reason"])))
        return self.card(t("teams.headline.reopened", **self._ids()), self._style(), body)

    def _postmortem_published(self) -> Card:
        t, postmortem = self.ctx.t, self.incident.postmortem
        body: list[Card] = [self.facts()]
        if postmortem is not None and postmortem.summary:
            body.append(self.section(t("teams.label.summary"), postmortem.summary))
        if postmortem is not None and postmortem.root_cause:
            body.append(self.section(t("teams.label.root_cause"), postmortem.root_cause))
        return self.card(t("teams.headline.postmortem", **self._ids()), "accent", body)

    def _reminder(self) -> Card:
        t, data = self.ctx.t, self.event.data
        reason = str(data.get("reason", ""))
        key = "teams.headline.reminder." + reason
        headline = t(key, **self._ids())
        if headline == key:
            headline = t("teams.headline.reminder.other", **self._ids())
        extra = []
        due = data.get("due_at")
        if isinstance(due, str) and due:
            try:
                extra.append((t("teams.fact.due"), fmt_time(datetime.fromisoformat(due))))
            except ValueError:
                extra.append((t("teams.fact.due"), self.text(due)))
        detail = data.get("detail")
        if isinstance(detail, dict):
            for name, value in detail.items():
                shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
                extra.append((plain(str(name), 60), self.text(str(shown))))
        return self.card(headline, "warning", [self.facts(*extra)])


def fitted_card(
    incident: imf.Incident,
    event: imf.Event,
    ctx: imf.PluginContext,
    size: Callable[[Card], int],
    limit: int = TARGET_BYTES,
) -> Card | None:
    """The event's card, shortened (with a note) until ``size(card) <= limit``."""
    for budget in BUDGETS:
        card = CardBuilder(incident, event, ctx, budget).build()
        if card is None or size(card) <= limit:
            return card
    # Still too big (a huge number of roles or services): the header and the note only.
    builder = CardBuilder(incident, event, ctx, BUDGETS[-1])
    return builder.card(ctx.t("teams.headline.too_big", id=md(incident.id)), "warning", [])


def webhook_card(incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> Card | None:
    """The card for the channel webhook (its envelope within the size limit)."""
    return fitted_card(incident, event, ctx, lambda card: len(encode(envelope(card))))
