"""Shared pieces of the ICS workflow commands (checklists, playbooks, due, metrics, advice)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from imf.cli.common import fmt_duration, fmt_time, t


def hh(key: str) -> str:
    """A help text from the ``ics`` catalog, in the help language."""
    from imf.cli.main import help_language
    from imf.i18n import translate

    return translate(f"ics.help.{key}", help_language())


def header(app: Any, incident: Any) -> None:
    """The incident's first line: ``INC-1 [P1] Database down``."""
    click.echo(f"{incident.id} [{incident.severity}] {incident.title}")


def describe_breach(breach: Any, now: datetime) -> str:
    """One line for a breach found by :mod:`imf.ics.due`."""
    d = breach.detail
    late = fmt_duration(now - breach.due_at)
    due = fmt_time(breach.due_at)
    if breach.reason == "update_overdue":
        return t(
            "ics.breach.update_overdue", number=int(d.get("last_update", 0)) + 1, due=due, late=late
        )
    if breach.reason == "ack_overdue":
        return t("ics.breach.ack_overdue", due=due, late=late)
    if breach.reason == "roles_missing":
        roles = ", ".join(t("core.role." + r) for r in d.get("roles", ()))
        return t("ics.breach.roles_missing", roles=roles, due=due, late=late)
    return t(
        "ics.breach.escalation_due",
        text=d.get("text") or d.get("rule", ""),
        to=d.get("to", ""),
        due=due,
        late=late,
    )


# --- used by the incident commands (show, declare) ------------------------------------------


def attention(app: Any, incident: Any) -> dict[str, Any]:
    """What ``imf show`` flags: breaches, required roles still missing, the next update."""
    from imf.ics.due import breaches_of, missing_roles, next_update_due

    now = app.clock()
    level = app.policy.find(incident.severity)
    found = breaches_of(app, incident, now)
    missing = missing_roles(incident, level) if level is not None and incident.is_open else []
    next_at = next_update_due(incident, level) if level is not None and incident.is_open else None
    return {
        "now": now,
        "breaches": found,
        "missing_roles": missing,
        "roles_due_at": incident.declared_at + level.roles_within if missing and level else None,
        "next_update_at": next_at,
    }


def attention_data(found: dict[str, Any]) -> dict[str, Any]:
    """:func:`attention` as JSON-ready data."""
    return {
        "breaches": [b.event_data() | {"incident": b.incident_id} for b in found["breaches"]],
        "missing_roles": found["missing_roles"],
        "roles_due_at": found["roles_due_at"].isoformat() if found["roles_due_at"] else None,
        "next_update_at": found["next_update_at"].isoformat() if found["next_update_at"] else None,
    }


def print_attention(app: Any, incident: Any) -> None:
    """The attention lines of ``imf show``."""
    found = attention(app, incident)
    now = found["now"]
    lines = [describe_breach(b, now) for b in found["breaches"]]
    if found["missing_roles"] and not any(b.reason == "roles_missing" for b in found["breaches"]):
        roles = ", ".join(t("core.role." + r) for r in found["missing_roles"])
        lines.append(t("ics.roles_needed", roles=roles, due=fmt_time(found["roles_due_at"])))
    if lines:
        click.echo(f"  {t('ics.attention')}:")
        for line in lines:
            click.echo(f"    ! {line}")
    next_at = found["next_update_at"]
    if next_at is not None and next_at >= now:
        click.echo(
            f"  {t('ics.next_update')}: {fmt_time(next_at)} "
            f"({t('ics.in', left=fmt_duration(next_at - now))})"
        )


def declare_playbook(app: Any, name: str) -> Any:
    """The playbook ``imf declare --playbook NAME`` names (checked before declaring)."""
    from imf.ics.playbook_index import load

    return load(app).playbook(app, name)


def suggestions(app: Any, incident: Any) -> list[dict[str, Any]]:
    """Playbooks matching a new incident; a broken playbook or playbook directory is reported
    on stderr and never fails the declaration. Reads the playbook index, which parses only
    the files changed since the last command."""
    from imf.errors import ImfError
    from imf.ics.playbook_index import load
    from imf.ics.text import localize

    try:
        index = load(app)
    except ImfError as exc:
        click.echo(f"imf: {exc.render(app.lang)}", err=True)
        return []
    for problem in index.problem_lines(app.lang):
        click.echo("imf: " + t("ics.playbook_skipped", problem=problem), err=True)
    return [
        {
            "name": book["name"],
            "title": localize(book["title"], app.lang),
            "severity": book["severity"],
            "reasons": [{"kind": kind, "value": value} for kind, value in reasons],
        }
        for book, reasons in index.suggest(incident)
    ]


def suggestion_lines(incident: Any, found: list[dict[str, Any]]) -> list[str]:
    """Text lines suggesting ``found`` playbooks for ``incident``."""
    lines = []
    for entry in found:
        why = ", ".join(f"{t('ics.match.' + r['kind'])} {r['value']}" for r in entry["reasons"])
        lines.append(
            t(
                "ics.playbook_suggested",
                name=entry["name"],
                title=entry["title"],
                why=why,
                id=incident.id,
            )
        )
    return lines


def interactive(no_input: bool, forced: bool) -> bool:
    """Whether to prompt: never with ``--no-input``; with ``--interactive``, or when the
    standard input is a terminal."""
    import sys

    if no_input:
        return False
    return forced or sys.stdin.isatty()
