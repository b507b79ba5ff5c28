"""``imf list``: incidents from the store's rows, without loading the model or any plugin."""

from __future__ import annotations

import click

from imf.cli.common import app_of, echo_json, fmt_time, json_option, t
from imf.cli.main import h


@click.command("list", help=h("cmd.list"))
@click.option("--all", "show_all", is_flag=True, help=h("opt.all"))
@click.option("-s", "--severity", help=h("opt.filter_severity"))
@click.option("--status", help=h("opt.filter_status"))
@click.option("-S", "--service", help=h("opt.filter_service"))
@click.option("--limit", type=click.IntRange(1), help=h("opt.limit"))
@json_option
def list_(
    show_all: bool,
    severity: str | None,
    status: str | None,
    service: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    app = app_of()
    if severity:
        severity = app.policy.level(severity).name
    if status:
        from imf.lifecycle import parse_status

        status = parse_status(status).value
    rows = app.store.rows(
        open_only=not show_all and not status,
        severity=severity,
        status=status,
        service=service,
        limit=limit,
    )
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(t("cli.list_empty" if show_all else "cli.list_empty_open"))
        return
    header = (
        t("cli.col.id"),
        t("cli.col.sev"),
        t("cli.col.status"),
        t("cli.col.declared"),
        t("cli.col.title"),
    )
    lines = [
        (r.id, r.severity, t(f"core.status.{r.status}"), fmt_time(r.declared_at), r.title)
        for r in rows
    ]
    widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(4)]
    for line in [header, *lines]:
        click.echo(
            "  ".join(str(v).ljust(widths[i]) for i, v in enumerate(line[:4])) + "  " + line[4]
        )
