"""The post-mortem page in Confluence storage format, in the methodology's structure.

Severity and status are status lozenges, the blameless reminder an info panel, the timeline a
table, the action items a task list (done items ticked) and the 5 whys an expand section. An
invisible anchor carries :func:`marker`, which is how a later publish recognises a page it
created (when the page id was lost) and refuses to overwrite anyone else's page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import imf
from imf import PostmortemFacts as Facts
from imf import format_span as span
from imf import format_utc as utc
from imf_confluence import storage

T = Callable[..., str]

#: Status lozenge colour by severity rank (1 is the most severe).
COLOURS = {1: "Red", 2: "Yellow", 3: "Blue"}
TITLE_LIMIT = 255


def marker(incident: imf.Incident) -> str:
    """The anchor that identifies this incident's post-mortem page."""
    return f"imf-postmortem-{incident.id}-{incident.declared_at:%Y%m%dT%H%M%SZ}"


def title(incident: imf.Incident, facts: Facts, t: T) -> str:
    """The page title (unique per incident within a space, at most 255 characters)."""
    name = " ".join(
        storage.clean(t("confluence.page_title", id=incident.id, title=facts.title)).split()
    )
    return name[:TITLE_LIMIT]


def render(incident: imf.Incident, facts: Facts, t: T, policy: Any = None) -> str:
    """The storage-format body of ``incident``'s post-mortem page."""
    pm = incident.postmortem or imf.Postmortem()
    none = storage.text(t("confluence.none"))
    parts = [
        storage.macro("anchor", {"": marker(incident)}),
        storage.macro("info", body=f"<p>{storage.text(t('confluence.blameless'))}</p>"),
        _header(incident, facts, t, policy),
        _h2(t("confluence.summary")),
        storage.paragraphs(pm.summary) or f"<p>{none}</p>",
        _h2(t("confluence.impact")),
        _impact(pm, facts, t),
        _h2(t("confluence.timeline")),
        _timeline(facts, t),
        _h2(t("confluence.root_cause")),
        storage.paragraphs(pm.root_cause) or f"<p>{none}</p>",
        _h2(t("confluence.resolution")),
        storage.paragraphs(pm.resolution) or f"<p>{none}</p>",
        _h2(t("confluence.went_well")),
        _list(pm.went_well) or f"<p>{none}</p>",
        _h2(t("confluence.to_improve")),
        _list(pm.to_improve) or f"<p>{none}</p>",
        _h2(t("confluence.action_items")),
        _tasks(pm.action_items, t) or f"<p>{none}</p>",
        _h2(t("confluence.lessons")),
        storage.paragraphs(pm.lessons) or f"<p>{none}</p>",
        _h2(t("confluence.five_whys")),
        storage.macro("expand", {"title": t("confluence.five_whys_expand")}, _whys(pm, t)),
    ]
    body = "".join(parts)
    storage.check(body)
    return body


def _h2(value: str) -> str:
    return f"<h2>{storage.text(value)}</h2>"


def _row(label: str, value: str) -> str:
    return f"<tr><th>{storage.text(label)}</th><td>{value}</td></tr>"


def _header(incident: imf.Incident, facts: Facts, t: T, policy: Any) -> str:
    level = policy.find(facts.severity) if policy is not None else None
    colour = COLOURS.get(level.rank, "Grey") if level is not None else "Grey"
    severity = " ".join(p for p in (facts.severity, facts.severity_title) if p)
    if facts.ended_at is not None and facts.duration is not None:
        end = utc(facts.ended_at, day=facts.started_at.date())
        duration = f"{utc(facts.started_at)} – {end} UTC ({span(facts.duration)})"
    else:
        duration = f"{utc(facts.started_at)} UTC – {t('confluence.ongoing')}"
    state = t(f"core.status.{incident.status.value}")
    state_colour = "Green" if not incident.is_open else "Yellow"
    participants = [
        f"{t('core.role.' + role)}: {', '.join(people)}"
        for role, people in facts.participants.items()
    ]
    if facts.contributors:
        participants.append(f"{t('confluence.also')}: {', '.join(facts.contributors)}")
    rows = [
        _row(t("confluence.date"), storage.text(facts.date.isoformat())),
        _row(t("confluence.duration"), storage.text(duration)),
        _row(t("confluence.severity"), storage.status(severity, colour)),
        _row(t("confluence.status"), storage.status(state, state_colour)),
        _row(
            t("confluence.participants"),
            storage.text("; ".join(participants) or t("confluence.none")),
        ),
        _row(t("confluence.incident"), storage.text(incident.id)),
    ]
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def _impact(pm: imf.Postmortem, facts: Facts, t: T) -> str:
    downtime = pm.downtime or (span(facts.time_to_mitigate) if facts.time_to_mitigate else "")
    items = (
        ("users_affected", pm.users_affected),
        ("services_affected", ", ".join(pm.services_affected or facts.services)),
        ("revenue_impact", pm.revenue_impact),
        ("downtime", downtime),
    )
    lis = "".join(
        f"<li><strong>{storage.text(t('confluence.' + key))}</strong>: "
        f"{storage.text(value or t('confluence.none'))}</li>"
        for key, value in items
    )
    return f"<ul>{lis}</ul>"


def _timeline(facts: Facts, t: T) -> str:
    if not facts.timeline:
        return f"<p>{storage.text(t('confluence.none'))}</p>"
    time, event = storage.text(t("confluence.col.time")), storage.text(t("confluence.col.event"))
    rows = [f"<tr><th>{time}</th><th>{event}</th></tr>"]
    day = facts.started_at.date()
    for line in facts.timeline:
        label = " ".join(p for p in (line.icon, line.label) if p)
        event = f"{label} — {line.text}" if line.text and label else (line.text or label)
        rows.append(
            f"<tr><td>{storage.text(utc(line.at, day=day))}</td><td>{storage.text(event)}</td></tr>"
        )
    return f"<table><tbody>{''.join(rows)}</tbody></table>"


def _list(items: list[str]) -> str:
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{storage.text(item)}</li>" for item in items) + "</ul>"


def _tasks(items: list[Any], t: T) -> str:
    if not items:
        return ""
    tasks = []
    for item in items:
        details = [t("confluence.priority", priority=item.priority)]
        details.append(t("confluence.action_status", status=t(f"confluence.status.{item.status}")))
        if item.owner:
            details.append(t("confluence.owner", owner=item.owner))
        body = storage.text(item.action) + " — " + storage.text("; ".join(details))
        if item.due:
            body += (
                f'; {storage.text(t("confluence.due"))} <time datetime="{item.due.isoformat()}" />'
            )
        if item.link:
            body += f"; {storage.link(item.link, item.link)}"
        state = "complete" if item.status == "done" else "incomplete"
        tasks.append(
            f"<ac:task><ac:task-id>{item.id}</ac:task-id><ac:task-status>{state}</ac:task-status>"
            f"<ac:task-body>{body}</ac:task-body></ac:task>"
        )
    return f"<ac:task-list>{''.join(tasks)}</ac:task-list>"


def _whys(pm: imf.Postmortem, t: T) -> str:
    none = t("confluence.none")
    problem = storage.text(t("confluence.problem"))
    out = [f"<p><strong>{problem}</strong>: {storage.text(pm.problem or none)}</p>"]
    if pm.whys:
        items = "".join(
            f"<li><strong>{storage.text(why.question)}</strong><br />"
            f"→ {storage.text(why.answer)}</li>"
            for why in pm.whys
        )
        out.append(f"<ol>{items}</ol>")
    out.append(
        f"<p><strong>{storage.text(t('confluence.whys_root_cause'))}</strong>: "
        f"{storage.text(pm.whys_root_cause or none)}</p>"
    )
    out.append(f"<p><strong>{storage.text(t('confluence.prevention'))}</strong>:</p>")
    out.append(_list(pm.prevention) or f"<p>{storage.text(none)}</p>")
    return "".join(out)
