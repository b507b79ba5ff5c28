"""``imf checklist``, ``imf check`` and ``imf uncheck``."""

from __future__ import annotations

from typing import Any

import click

from imf.cli.common import app_of, echo_json, fmt_time, incident_id, json_option, t
from imf.cli.ics import header, hh


def _lists(app: Any, incident: Any) -> list[Any]:
    """Every checklist (applicable or not) plus the incident's playbooks' steps."""
    from imf.ics.checklists import for_app, incident_checklists, ordered

    attached = [c for c in incident_checklists(app, incident) if c.playbook]
    return [*ordered(for_app(app)), *attached]


def _as_data(app: Any, incident: Any, checklist: Any) -> dict[str, Any]:
    from imf.ics.checklists import states
    from imf.ics.text import localize

    items = [
        {
            "id": s.item.id,
            "text": s.item.label(app.lang, incident.id),
            "section": localize(s.item.section, app.lang) if s.item.section else "",
            "command": s.item.command.replace("{id}", incident.id),
            "checked": s.checked,
            "by": s.by,
            "at": s.at.isoformat() if s.at else None,
            "role": s.item.role,
            "holders": list(s.holders),
        }
        for s in states(checklist, incident)
    ]
    return {
        "name": checklist.name,
        "title": localize(checklist.title, app.lang),
        "gates_resolve": checklist.gates_resolve,
        "playbook": checklist.playbook,
        "done": sum(1 for i in items if i["checked"]),
        "total": len(items),
        "items": items,
    }


def _print(data: dict[str, Any]) -> None:
    extra = f" — {t('ics.gates_resolve')}" if data["gates_resolve"] else ""
    click.echo(f"{data['title']}  {data['done']}/{data['total']}{extra}")
    width = max((len(i["id"]) for i in data["items"]), default=0)
    section = None
    for item in data["items"]:
        indent = "  "
        if item["section"]:
            if item["section"] != section:
                click.echo(f"  {item['section']}")
                section = item["section"]
            indent = "    "
        mark = "x" if item["checked"] else " "
        line = f"{indent}[{mark}] {item['id'].ljust(width)}  {item['text']}"
        if item["holders"]:
            line += f" — {', '.join(item['holders'])}"
        elif item["checked"]:
            line += f" — {item['by']}, {_fmt_iso(item['at'])}"
        click.echo(line)
        if item["command"] and not item["checked"]:
            click.echo(f"{indent}    $ {item['command']}")


def _fmt_iso(value: str | None) -> str:
    from datetime import datetime

    return fmt_time(datetime.fromisoformat(value)) if value else ""


@click.command(help=hh("cmd.checklist"))
@click.argument("incident")
@click.argument("phase", required=False)
@json_option
def checklist(incident: str, phase: str | None, as_json: bool) -> None:
    from imf.errors import UsageError
    from imf.ics.checklists import for_app, incident_checklists, phase_name

    app = app_of()
    found = app.store.get(incident_id(incident))
    if phase:
        name = phase_name(phase)
        lists = [c for c in _lists(app, found) if c.name in (name, f"playbook.{name}")]
        if not lists:
            known = [*for_app(app), *found.playbooks]
            raise UsageError("ics.unknown_phase", value=phase, valid=", ".join(known))
    else:
        lists = incident_checklists(app, found)
    data = [_as_data(app, found, c) for c in lists]
    if as_json:
        echo_json({"incident": found.id, "checklists": data})
        return
    header(app, found)
    for entry in data:
        _print(entry)


def _mark(incident: str, items: tuple[str, ...], checked: bool, as_json: bool) -> None:
    from imf.errors import ConflictError, UsageError
    from imf.ics.checklists import find_item

    app = app_of()
    found = app.store.get(incident_id(incident))
    lists = _lists(app, found)
    chosen = []
    for wanted in items:
        item = find_item(lists, found, wanted)
        if item.role:
            raise UsageError("ics.item_is_role", item=item.id, role=item.role, id=found.id)
        state = found.checks.get(item.id)
        if bool(state and state.checked) == checked:
            key = "ics.already_checked" if checked else "ics.not_checked"
            raise ConflictError(key, item=item.id, id=found.id)
        if item not in chosen:
            chosen.append(item)
    kind = "checked" if checked else "unchecked"
    for item in chosen:
        found, _ = app.service.record(found.id, kind, {"item": item.id})
    summaries = [
        _as_data(app, found, c)
        for c in _lists(app, found)
        if any(item in c.items for item in chosen)
    ]
    if as_json:
        echo_json(
            {
                "incident": found.id,
                "items": [i.id for i in chosen],
                "checked": checked,
                "checklists": summaries,
            }
        )
        return
    key = "ics.checked" if checked else "ics.unchecked"
    for item in chosen:
        click.echo(t(key, item=item.id, text=item.label(app.lang, found.id), id=found.id))
    for summary in summaries:
        click.echo(
            t(
                "ics.checklist_progress",
                title=summary["title"],
                done=summary["done"],
                total=summary["total"],
            )
        )
    _gate_hint(app, found)


def _gate_hint(app: Any, incident: Any) -> None:
    """Say so when the verification gate is now open."""
    from imf.ics.checklists import for_app, unchecked_gate

    level = app.policy.find(incident.severity)
    if level is None or not level.verification_gate:
        return
    if not unchecked_gate(for_app(app).values(), incident, level):
        click.echo(t("ics.gate_open", id=incident.id))


@click.command(help=hh("cmd.check"))
@click.argument("incident")
@click.argument("items", nargs=-1, required=True)
@json_option
def check(incident: str, items: tuple[str, ...], as_json: bool) -> None:
    _mark(incident, items, True, as_json)


@click.command(help=hh("cmd.uncheck"))
@click.argument("incident")
@click.argument("items", nargs=-1, required=True)
@json_option
def uncheck(incident: str, items: tuple[str, ...], as_json: bool) -> None:
    _mark(incident, items, False, as_json)
