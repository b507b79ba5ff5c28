"""The post-mortem as Markdown, in the methodology's structure and the organization's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import imf
from imf import PostmortemFacts as Facts
from imf import format_span as span
from imf import format_utc as utc
from imf_markdown.text import block, cell, inline, link

T = Callable[..., str]


def render(incident: imf.Incident, facts: Facts, t: T) -> str:
    """The post-mortem document of ``incident`` (``t`` translates into its language)."""
    pm = incident.postmortem or imf.Postmortem()
    none = t("markdown.none")
    out = [f"# {t('markdown.pm.title', title=inline(facts.title))}", ""]
    out += _header(facts, t)
    out += ["", f"> {inline(t('markdown.pm.blameless'))}", ""]
    out += _section(t("markdown.pm.summary"), block(pm.summary) or none)
    downtime = pm.downtime or (span(facts.time_to_mitigate) if facts.time_to_mitigate else "")
    services = ", ".join(pm.services_affected or facts.services)
    out += _section(
        t("markdown.pm.impact"),
        "\n".join(
            f"- **{t('markdown.pm.' + key)}**: {inline(value) or none}"
            for key, value in (
                ("users_affected", pm.users_affected),
                ("services_affected", services),
                ("revenue_impact", pm.revenue_impact),
                ("downtime", downtime),
            )
        ),
    )
    out += _section(t("markdown.pm.timeline"), _timeline(facts, t))
    out += _section(t("markdown.pm.root_cause"), block(pm.root_cause) or none)
    out += _section(t("markdown.pm.resolution"), block(pm.resolution) or none)
    out += _section(t("markdown.pm.went_well"), _bullets(pm.went_well) or none)
    out += _section(t("markdown.pm.to_improve"), _bullets(pm.to_improve) or none)
    out += _section(t("markdown.pm.action_items"), _actions(pm.action_items, t) or none)
    out += _section(t("markdown.pm.lessons"), block(pm.lessons) or none)
    out += _section(t("markdown.pm.five_whys"), _whys(pm, t))
    return "\n".join(out).rstrip() + "\n"


def _header(facts: Facts, t: T) -> list[str]:
    if facts.ended_at is not None and facts.duration is not None:
        start = utc(facts.started_at)
        end = utc(facts.ended_at, day=facts.started_at.date())
        duration = f"{start} – {end} UTC ({span(facts.duration)})"
    else:
        duration = f"{utc(facts.started_at)} UTC – {t('markdown.ongoing')}"
    severity = facts.severity + (f" ({facts.severity_title})" if facts.severity_title else "")
    return [
        f"- **{t('markdown.pm.date')}**: {facts.date.isoformat()}",
        f"- **{t('markdown.pm.duration')}**: {duration}",
        f"- **{t('markdown.pm.severity')}**: {inline(severity)}",
        f"- **{t('markdown.pm.participants')}**: {_participants(facts, t)}",
        f"- **{t('markdown.pm.incident')}**: {inline(facts.incident_id)}",
    ]


def _participants(facts: Facts, t: T) -> str:
    parts = [
        f"{t('core.role.' + role)}: {inline(', '.join(people))}"
        for role, people in facts.participants.items()
    ]
    if facts.contributors:
        parts.append(f"{t('markdown.also')}: {inline(', '.join(facts.contributors))}")
    return "; ".join(parts) or t("markdown.none")


def _section(title: str, body: str) -> list[str]:
    return [f"## {title}", "", body, ""]


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {inline(item)}" for item in items)


def _timeline(facts: Facts, t: T) -> str:
    if not facts.timeline:
        return t("markdown.none")
    rows = [f"| {t('markdown.pm.col.time')} | {t('markdown.pm.col.event')} |", "|------|-------|"]
    day = facts.started_at.date()
    for line in facts.timeline:
        parts = [p for p in (line.icon, inline(line.label)) if p]
        text = " ".join(parts)
        if line.text:
            text = f"{text} — {cell(line.text)}" if text else cell(line.text)
        rows.append(f"| {utc(line.at, day=day)} | {text} |")
    return "\n".join(rows)


def _actions(items: list[Any], t: T) -> str:
    if not items:
        return ""
    columns = ("action", "owner", "due", "priority", "status")
    header = "| " + " | ".join(t(f"markdown.pm.col.{c}") for c in columns) + " |"
    rows = [header, "|" + "|".join("---" for _ in columns) + "|"]
    for item in items:
        action = cell(item.action)
        if item.link:
            action = f"{action} ({link(item.link, item.link)})"
        owner = cell(item.owner) or "—"
        due = item.due.isoformat() if item.due else "—"
        status = t(f"markdown.action_status.{item.status}")
        rows.append(f"| {action} | {owner} | {due} | {item.priority} | {status} |")
    return "\n".join(rows)


def _whys(pm: imf.Postmortem, t: T) -> str:
    none = t("markdown.none")
    out = [f"**{t('markdown.pm.problem')}**: {inline(pm.problem) or none}", ""]
    for number, why in enumerate(pm.whys, start=1):
        out += [
            f"**{t('markdown.pm.why', n=number)}**: {inline(why.question)}",
            "",
            f"→ {inline(why.answer)}",
            "",
        ]
    out += [f"**{t('markdown.pm.whys_root_cause')}**: {inline(pm.whys_root_cause) or none}", ""]
    out.append(f"**{t('markdown.pm.prevention')}**:")
    out.append("")
    out.append(_bullets(pm.prevention) or none)
    return "\n".join(out)
