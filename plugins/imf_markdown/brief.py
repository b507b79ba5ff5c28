"""The running incident brief: the methodology's working document, rewritten on every change.

Sections, in the methodology's order: goal and context → diagnosis and classification →
action plan and command → metrics and alerts → RCA and improvements → TODO → changes since
the previous version. The last section compares a small summary of the incident (its
*state*) with the state the previous version was written from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import imf
from imf import format_span as span
from imf import format_utc as utc
from imf_markdown.text import block, cell, inline, link

if TYPE_CHECKING:
    from collections.abc import Callable

    T = Callable[..., str]


def state(incident: imf.Incident, t: T) -> dict[str, str]:
    """What "changes since the previous version" compares: label key → displayed value."""
    values: dict[str, str] = {
        "title": incident.title,
        "status": t(f"core.status.{incident.status.value}"),
        "severity": incident.severity,
        "services": ", ".join(incident.services),
        "summary": incident.summary,
        "impact": incident.customer_impact,
        "updates": str(len(incident.updates)),
    }
    last = incident.last_update
    values["root_cause_state"] = t(f"markdown.root_cause.{last.root_cause}") if last else ""
    for role, people in incident.roles.items():
        values[f"role:{role}"] = ", ".join(people)
    pm = incident.postmortem
    for item in pm.action_items if pm else ():
        values[f"action:{item.id}"] = (
            f"{item.action} ({t(f'markdown.action_status.{item.status}')})"
        )
    if pm is not None and pm.published_count:
        values["published"] = str(pm.published_count)
    return values


def changes(previous: Mapping[str, str] | None, current: Mapping[str, str], t: T) -> list[str]:
    """Markdown list items describing how ``current`` differs from ``previous``."""
    if previous is None:
        return [f"- {t('markdown.brief.first_version')}"]
    lines = []
    for key in [*current, *(k for k in previous if k not in current)]:
        before, after = previous.get(key, ""), current.get(key, "")
        if before == after:
            continue
        label = _label(key, t)
        if key == "updates":
            lines.append(
                f"- {t('markdown.brief.new_updates', n=int(after or 0) - int(before or 0))}"
            )
        elif not before:
            lines.append(f"- **{label}**: {inline(after)}")
        elif not after:
            lines.append(f"- **{label}**: ~~{inline(before)}~~")
        else:
            lines.append(f"- **{label}**: {inline(before)} → {inline(after)}")
    return lines or [f"- {t('markdown.brief.no_changes')}"]


def _label(key: str, t: T) -> str:
    kind, _, name = key.partition(":")
    if kind == "role":
        return t(f"core.role.{name}")
    if kind == "action":
        return t("markdown.brief.action_item", id=name)
    return t(f"markdown.state.{kind}")


def render(
    incident: imf.Incident,
    event: imf.Event,
    *,
    t: T,
    lang: str,
    policy: Any,
    now: datetime,
    version: int,
    change_lines: list[str],
    alerts: list[Mapping[str, Any]],
) -> str:
    """The brief of ``incident`` as of ``event``."""
    level = policy.find(incident.severity) if policy is not None else None
    none = t("markdown.none")
    out = [
        f"# {t('markdown.brief.title', id=incident.id, title=inline(incident.title))}",
        "",
        "_"
        + t(
            "markdown.brief.stamp",
            at=utc(event.at),
            version=version,
            event=_event_label(event, t),
        )
        + "_",
        "",
    ]
    out += _section(t("markdown.brief.context"), _context(incident, t))
    out += _section(t("markdown.brief.diagnosis"), _diagnosis(incident, level, t, lang))
    out += _section(t("markdown.brief.plan"), _plan(incident, level, t))
    out += _section(t("markdown.brief.metrics"), _metrics(incident, level, now, alerts, t))
    out += _section(t("markdown.brief.rca"), _rca(incident, t))
    out += _section(t("markdown.brief.todo"), _todo(incident, level, now, t) or none)
    out += _section(t("markdown.brief.changes"), "\n".join(change_lines))
    return "\n".join(out).rstrip() + "\n"


def _section(title: str, body: str) -> list[str]:
    return [f"## {title}", "", body, ""]


def _event_label(event: imf.Event, t: T) -> str:
    key = f"markdown.event.{event.kind}"
    text = t(key, **{k: v for k, v in event.data.items() if isinstance(v, str | int)})
    return inline(event.kind if text == key else text)


def _fact(label: str, value: str) -> str:
    return f"- **{label}**: {value}".rstrip()


def _context(incident: imf.Incident, t: T) -> str:
    none = t("markdown.none")
    goal = t("markdown.brief.goal_resolved" if not incident.is_open else "markdown.brief.goal_open")
    lines = [
        _fact(t("markdown.brief.goal"), goal),
        _fact(t("markdown.state.status"), t(f"core.status.{incident.status.value}")),
        _fact(t("markdown.state.services"), inline(", ".join(incident.services)) or none),
        _fact(
            t("markdown.brief.customer_facing"),
            t("markdown.yes") if incident.customer_facing else t("markdown.no"),
        ),
        _fact(t("markdown.state.summary"), inline(incident.summary) or none),
        _fact(t("markdown.state.impact"), inline(incident.customer_impact) or none),
    ]
    if incident.detected_at is not None:
        lines.append(_fact(t("markdown.brief.detected"), f"{utc(incident.detected_at)} UTC"))
    declared = t(
        "markdown.brief.by", at=utc(incident.declared_at), who=inline(incident.declared_by)
    )
    lines.append(_fact(t("markdown.brief.declared"), declared))
    if incident.resolved_at is not None:
        lines.append(_fact(t("markdown.brief.resolved"), f"{utc(incident.resolved_at)} UTC"))
    for label, url in incident.links.items():
        lines.append(f"- {link(label, url)}")
    return "\n".join(lines)


def _diagnosis(incident: imf.Incident, level: Any, t: T, lang: str) -> str:
    none = t("markdown.none")
    severity = incident.severity
    if level is not None:
        severity += f" ({level.title(lang)})"
    lines = [_fact(t("markdown.state.severity"), inline(severity))]
    if level is not None and level.criteria:
        criteria = level.criteria.get(lang) or level.criteria.get("en", "")
        lines.append(_fact(t("markdown.brief.criteria"), inline(criteria)))
    facts = incident.classification
    if facts:
        users = facts.get("users_affected")
        parts = [
            t("markdown.brief.users", pct="—" if users is None else f"{users:g}"),
            t("markdown.brief.data_loss", value=_yes(facts.get("data_loss"), t)),
            t("markdown.brief.security", value=_yes(facts.get("security"), t)),
            t("markdown.brief.workaround", value=_yes(facts.get("workaround"), t)),
        ]
        lines.append(_fact(t("markdown.brief.classification"), "; ".join(parts)))
    last = incident.last_update
    cause = (
        t(f"markdown.root_cause.{last.root_cause}")
        if last
        else t("markdown.root_cause.under-investigation")
    )
    lines.append(_fact(t("markdown.state.root_cause_state"), cause))
    if last is not None:
        lines.append(
            _fact(
                t("markdown.brief.latest_update", number=last.number, at=utc(last.at)),
                inline(last.summary) or none,
            )
        )
        lines += [f"  - {inline(item)}" for item in last.since_last]
        if last.impact:
            lines.append(_fact(t("markdown.state.impact"), inline(last.impact)))
    return "\n".join(lines)


def _yes(value: Any, t: T) -> str:
    return t("markdown.yes") if value else t("markdown.no")


def _plan(incident: imf.Incident, level: Any, t: T) -> str:
    none = t("markdown.none")
    lines = []
    required = set(level.required_roles) if level is not None else set()
    roles = [role for role in imf.ROLES if role in incident.roles or role in required]
    if roles:
        lines.append(f"| {t('markdown.brief.col.role')} | {t('markdown.brief.col.who')} |")
        lines.append("|---|---|")
        for role in roles:
            people = ", ".join(incident.roles.get(role, ()))
            who = cell(people) if people else f"**{t('markdown.brief.unassigned')}**"
            lines.append(f"| {t('core.role.' + role)} | {who} |")
        lines.append("")
    if level is not None:
        lines.append(_fact(t("markdown.brief.war_room"), t(f"markdown.war_room.{level.war_room}")))
        lines.append(_fact(t("markdown.brief.page"), _yes(level.page, t)))
        if level.notify:
            lines.append(_fact(t("markdown.brief.notify"), inline(", ".join(level.notify))))
    last = incident.last_update
    steps = list(last.next_steps) if last else []
    lines.append(_fact(t("markdown.brief.next_steps"), "" if steps else none))
    lines += [f"  {n}. {inline(step)}" for n, step in enumerate(steps, start=1)]
    if last is not None and last.eta:
        lines.append(_fact(t("markdown.brief.eta"), inline(last.eta)))
    if incident.playbooks:
        lines.append(_fact(t("markdown.brief.playbooks"), inline(", ".join(incident.playbooks))))
    return "\n".join(lines).rstrip()


def _metrics(
    incident: imf.Incident,
    level: Any,
    now: datetime,
    alerts: list[Mapping[str, Any]],
    t: T,
) -> str:
    start = min(incident.detected_at or incident.declared_at, incident.declared_at)
    rows = [
        f"| {t('markdown.brief.col.metric')} | {t('markdown.brief.col.value')} "
        f"| {t('markdown.brief.col.target')} |",
        "|---|---|---|",
    ]
    target = span(level.response_target) if level is not None else "—"
    ack = incident.acknowledged_at
    ack_value = span(ack - incident.declared_at) if ack else t("markdown.brief.not_yet")
    if level is not None:
        late = (ack or now) - incident.declared_at > level.response_target
        ack_value += " ⚠️" if late else " ✅"
    rows.append(f"| {t('markdown.brief.time_to_ack')} | {ack_value} | {target} |")
    mitigated = incident.mitigated_at
    rows.append(
        f"| {t('markdown.brief.time_to_mitigate')} | "
        f"{span(mitigated - start) if mitigated else t('markdown.brief.not_yet')} | — |"
    )
    end = incident.resolved_at
    label = "markdown.brief.time_to_resolve" if end else "markdown.brief.open_for"
    rows.append(f"| {t(label)} | {span((end or now) - start)} | — |")
    cadence = "—"
    if level is not None:
        low, high = span(level.update_min), span(level.update_max)
        cadence = low if low == high else f"{low}–{high}"
    rows.append(f"| {t('markdown.brief.updates')} | {len(incident.updates)} | {cadence} |")
    next_due = _next_update(incident, level)
    if incident.is_open and next_due is not None:
        mark = " ⚠️" if next_due < now else ""
        rows.append(f"| {t('markdown.brief.next_update')} | {utc(next_due)} UTC{mark} | — |")
    lines = ["\n".join(rows), ""]
    lines.append(_fact(t("markdown.brief.alerts"), "" if alerts else t("markdown.none")))
    for alert in alerts:
        reason = t(f"markdown.reminder.{alert.get('reason', '')}")
        lines.append(f"  - {alert.get('at', '')} UTC — {inline(reason)}")
    return "\n".join(lines).rstrip()


def _next_update(incident: imf.Incident, level: Any) -> datetime | None:
    last = incident.last_update
    if last is not None and last.next_update_at is not None:
        return last.next_update_at
    if level is None:
        return None
    since = last.at if last is not None else incident.declared_at
    return since + level.update_max


def _rca(incident: imf.Incident, t: T) -> str:
    none = t("markdown.none")
    pm = incident.postmortem
    if pm is None:
        return t("markdown.brief.rca_pending")
    out = [f"**{t('markdown.pm.root_cause')}**", "", block(pm.root_cause) or none]
    if pm.whys:
        out += ["", f"**{t('markdown.pm.five_whys')}**", ""]
        out += [
            f"{n}. {inline(why.question)} → {inline(why.answer)}"
            for n, why in enumerate(pm.whys, start=1)
        ]
    for key, items in (("to_improve", pm.to_improve), ("prevention", pm.prevention)):
        if items:
            out += ["", f"**{t('markdown.pm.' + key)}**", ""]
            out += [f"- {inline(item)}" for item in items]
    return "\n".join(out)


def _todo(incident: imf.Incident, level: Any, now: datetime, t: T) -> str:
    lines = []
    required = level.required_roles if level is not None else ()
    for role in required:
        if not incident.roles.get(role) and incident.is_open:
            lines.append(f"- [ ] {t('markdown.brief.todo_role', role=t('core.role.' + role))}")
    last = incident.last_update
    if incident.is_open and last is not None:
        lines += [f"- [ ] {inline(step)}" for step in last.next_steps]
    pm = incident.postmortem
    for item in pm.action_items if pm else ():
        mark = "x" if item.status == "done" else " "
        extra = [inline(item.owner)] if item.owner else []
        if item.due:
            extra.append(item.due.isoformat())
        suffix = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"- [{mark}] #{item.id} {inline(item.action)}{suffix}")
    published = pm is not None and pm.published_count > 0
    if not incident.is_open and level is not None and level.postmortem_required and not published:
        due = (incident.resolved_at or now) + _as_delta(level.postmortem_due)
        lines.append(f"- [ ] {t('markdown.brief.todo_postmortem', due=utc(due))}")
    return "\n".join(lines)


def _as_delta(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else imf.parse_duration(value)
