"""``imf metrics``: response metrics per severity, services, breaches, action items."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import click

from imf.cli.common import app_of, echo_json, fmt_duration, parse_when, t
from imf.cli.ics import hh


def _when(value: str | None, now: datetime) -> datetime | None:
    """``7d`` (ago), a date, an ISO time or anything ``parse_when`` takes."""
    if not value:
        return None
    from imf.validate import parse_duration

    text = value.strip()
    if re.fullmatch(r"[\d.]+[dhms]([\d.]+[dhms])*", text):
        return now - parse_duration(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        text += "T00:00:00+00:00"
    return parse_when(text, now)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.0f}s"
    return fmt_duration(timedelta(seconds=seconds))


def _print(metrics: Any) -> None:
    from imf.ics.metrics import DURATIONS

    click.echo(t("ics.metrics.total", count=metrics.count, open=metrics.open))
    if not metrics.count:
        return
    head = [t("ics.metrics.col.severity"), t("ics.metrics.col.count"), t("ics.metrics.col.open")]
    for name, _ in DURATIONS:
        head.append(t(f"ics.metrics.col.{name}"))
    head += [t("ics.metrics.col.response_breaches"), t("ics.metrics.col.cadence_breaches")]
    rows = []
    for severity, s in metrics.severities.items():
        row = [severity, str(s.count), str(s.open)]
        for name, _ in DURATIONS:
            stats = getattr(s, name)
            row.append(" / ".join(_duration(v) for v in (stats.median, stats.p90, stats.mean)))
        row += [str(s.response_breaches), str(s.cadence_breaches)]
        rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for row in [head, *rows]:
        click.echo("  ".join(v.ljust(widths[i]) for i, v in enumerate(row)).rstrip())
    click.echo(t("ics.metrics.legend"))
    if metrics.services:
        services = ", ".join(f"{k} {v}" for k, v in metrics.services.items())
        click.echo(f"{t('ics.metrics.services')}: {services}")
    click.echo(t("ics.metrics.action_items", count=metrics.open_action_items))


@click.command(help=hh("cmd.metrics"))
@click.option("--since", metavar="WHEN", help=hh("opt.since"))
@click.option("--until", metavar="WHEN", help=hh("opt.until"))
@click.option("-s", "--severity", help=hh("opt.metrics_severity"))
@click.option("-S", "--service", help=hh("opt.metrics_service"))
@click.option("--json", "as_json", is_flag=True, help=hh("opt.json"))
@click.option("--csv", "as_csv", is_flag=True, help=hh("opt.csv"))
def metrics(
    since: str | None,
    until: str | None,
    severity: str | None,
    service: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    from imf.errors import UsageError
    from imf.ics.metrics import Query, as_data, as_rows, compute

    if as_json and as_csv:
        raise UsageError("ics.json_or_csv")
    app = app_of()
    now = app.clock()
    query = Query(
        since=_when(since, now),
        until=_when(until, now),
        severity=app.policy.level(severity).name if severity else None,
        service=service.strip() if service else None,
    )
    if not hasattr(app.store, "transaction"):
        raise UsageError("ics.metrics_need_sql")
    found = compute(app.store, app.policy, query, now)
    if as_json:
        echo_json(as_data(found, query))
    elif as_csv:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["scope", "name", "metric", "value"])
        for row in as_rows(found):
            writer.writerow(["" if v is None else v for v in row])
        click.echo(buffer.getvalue(), nl=False)
    else:
        _print(found)
