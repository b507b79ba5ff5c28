"""``imf declare``: declare an incident (classified by the severity policy), deliver it, and
suggest the playbooks that match."""

from __future__ import annotations

import click

from imf.cli.common import (
    app_of,
    done,
    fmt_duration,
    json_option,
    parse_when,
    strict_option,
    t,
)
from imf.cli.ics import declare_playbook, suggestion_lines, suggestions
from imf.cli.main import h


@click.command(help=h("cmd.declare"))
@click.argument("title")
@click.option("-s", "--severity", help=h("opt.severity"))
@click.option("-S", "--service", "services", multiple=True, help=h("opt.service"))
@click.option("--customer-facing", is_flag=True, help=h("opt.customer_facing"))
@click.option("--summary", default="", help=h("opt.summary"))
@click.option("--impact", default="", help=h("opt.impact"))
@click.option("--tag", "tags", multiple=True, help=h("opt.tag"))
@click.option("--detected-at", metavar="TIME", help=h("opt.detected_at"))
@click.option("--users-affected", type=float, metavar="PCT", help=h("opt.users_affected"))
@click.option("--data-loss", is_flag=True, help=h("opt.data_loss"))
@click.option("--security", is_flag=True, help=h("opt.security"))
@click.option("--workaround", is_flag=True, help=h("opt.workaround"))
@click.option("--commander", metavar="NAME", help=h("opt.commander"))
@click.option("--playbook", "playbook_name", metavar="NAME", help=h("opt.playbook"))
@json_option
@strict_option
def declare(
    title: str,
    severity: str | None,
    services: tuple[str, ...],
    customer_facing: bool,
    summary: str,
    impact: str,
    tags: tuple[str, ...],
    detected_at: str | None,
    users_affected: float | None,
    data_loss: bool,
    security: bool,
    workaround: bool,
    commander: str | None,
    playbook_name: str | None,
    as_json: bool,
    strict: bool,
) -> None:
    app = app_of()
    book = declare_playbook(app, playbook_name) if playbook_name else None
    incident, report = app.service.declare(
        title,
        severity=severity,
        services=[s for item in services for s in item.split(",") if s.strip()],
        customer_facing=customer_facing,
        summary=summary,
        customer_impact=impact,
        tags=tags,
        detected_at=parse_when(detected_at, app.clock()) if detected_at else None,
        users_affected=users_affected,
        data_loss=data_loss,
        security=security,
        workaround=workaround,
        commander=commander,
    )
    level = app.policy.level(incident.severity)
    message = t(
        "cli.declared",
        id=incident.id,
        severity=incident.severity,
        title=incident.title,
        level=level.title(app.lang),
        target=fmt_duration(level.response_target),
    )
    if book is not None:
        incident, _ = app.service.record(incident.id, "playbook_attached", {"playbook": book.name})
        message += "\n" + t("ics.playbook_attached_on_declare", name=book.name, id=incident.id)
    suggested = suggestions(app, incident)
    message = "\n".join([message, *suggestion_lines(incident, suggested)])
    done(incident, report, as_json, strict, message, {"playbooks_suggested": suggested})
