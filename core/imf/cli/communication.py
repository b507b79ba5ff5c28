"""``imf update``: prompting for the "Incident Update #N" template and ``--preview``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from imf.cli.common import echo_json, fmt_time, parse_when, t
from imf.model import ROOT_CAUSE_STATES, Status


def _lines(label: str) -> tuple[str, ...]:
    """Several lines, one per prompt, until a blank one."""
    click.echo(label, err=True)
    found: list[str] = []
    while True:
        line = click.prompt(" ", default="", show_default=False, prompt_suffix=" ", err=True)
        if not line.strip():
            return tuple(found)
        found.append(line.strip())


def prompt_update(app: Any, incident: Any) -> dict[str, Any]:
    """Ask for every field of the template (prompts go to stderr); returns the values as
    ``imf update`` takes them from its options."""
    previous = incident.last_update
    statuses = [s.value for s in Status if s is not Status.RESOLVED]
    click.echo(t("ics.prompt.intro", number=len(incident.updates) + 1, id=incident.id), err=True)
    status = click.prompt(
        t("ics.prompt.status"),
        type=click.Choice(statuses),
        default=incident.status.value if incident.status.value in statuses else statuses[0],
        err=True,
    )
    summary = click.prompt(
        t("ics.prompt.summary"),
        default=previous.summary if previous else incident.summary or "",
        show_default=bool(previous and previous.summary),
        err=True,
    )
    since_last = _lines(t("ics.prompt.since_last"))
    root_cause = click.prompt(
        t("ics.prompt.root_cause"),
        type=click.Choice(list(ROOT_CAUSE_STATES)),
        default=previous.root_cause if previous else "under-investigation",
        err=True,
    )
    impact = click.prompt(t("ics.prompt.impact"), default="", show_default=False, err=True)
    eta = click.prompt(t("ics.prompt.eta"), default="", show_default=False, err=True)
    next_steps = _lines(t("ics.prompt.next_steps"))
    level = app.policy.find(incident.severity)
    now = app.clock()
    cadence = fmt_time(now + level.update_max) if level else "-"

    def when(value: str) -> str:
        from imf.errors import ImfError

        if value.strip():
            try:
                parse_when(value, now)
            except ImfError as exc:
                raise click.UsageError(exc.render(app.lang)) from None
        return value.strip()

    next_update = click.prompt(
        t("ics.prompt.next_update", cadence=cadence),
        default="",
        show_default=False,
        value_proc=when,
        err=True,
    )
    public = click.prompt(t("ics.prompt.public"), default="", show_default=False, err=True)
    return {
        "status": status,
        "summary": summary,
        "since_last": since_last,
        "root_cause": root_cause,
        "impact": impact,
        "eta": eta,
        "next_steps": next_steps,
        "next_update": next_update or None,
        "public": public,
    }


def preview_update(app: Any, incident_id: str, fields: dict[str, Any], as_json: bool) -> None:
    """Show the update as the template and as each active plugin would send it; nothing is
    stored or sent."""
    from imf import serde
    from imf.ics.preview import Draft, applied, draft_event, previews
    from imf.ics.template import render_update

    incident = app.store.get(incident_id)
    now = app.clock()
    next_update: datetime | None = (
        parse_when(fields["next_update"], now) if fields.get("next_update") else None
    )
    draft = Draft(
        status=fields.get("status"),
        summary=fields.get("summary") or "",
        since_last=fields.get("since_last") or (),
        root_cause=fields.get("root_cause"),
        impact=fields.get("impact") or "",
        eta=fields.get("eta") or "",
        next_steps=fields.get("next_steps") or (),
        next_update_at=next_update,
        public=fields.get("public") or "",
    )
    event = draft_event(incident, draft, now, app.actor)
    after = applied(incident, event)
    update = after.updates[-1]
    template = render_update(after, update, app.policy.find(after.severity), app.lang)
    rendered, errors = previews(app, after, event)
    if as_json:
        echo_json(
            {
                "incident": incident.id,
                "update": serde.unstructure(update),
                "template": template,
                "previews": rendered,
                "errors": errors,
                "stored": False,
            }
        )
        return
    click.echo(t("ics.preview.heading", number=update.number, id=incident.id))
    click.echo("")
    click.echo(template)
    for plugin, text in rendered.items():
        click.echo("")
        click.echo(f"--- {plugin} ---")
        click.echo(text)
    for plugin, error in errors.items():
        click.echo("")
        click.echo(f"--- {plugin} ---")
        click.echo(t("ics.preview.failed", plugin=plugin, error=error))
    if not rendered and not errors:
        click.echo("")
        click.echo(t("ics.preview.no_plugins"))
