"""Outbox commands: ``imf deliver`` and ``imf outbox``."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click

from imf.cli.common import app_of, echo_json, fmt_time, json_option, t
from imf.cli.main import h


@click.command(help=h("cmd.deliver"))
@click.option("--watch", is_flag=True, help=h("opt.watch"))
@click.option(
    "--interval", type=click.FloatRange(0.1), default=5.0, show_default=True, help=h("opt.interval")
)
@json_option
def deliver(watch: bool, interval: float, as_json: bool) -> None:
    app = app_of()
    stop = threading.Event()
    if watch:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    totals: dict[str, int] = {"delivered": 0, "pending": 0, "dead": 0, "skipped": 0}
    while True:
        report = app.dispatcher.run(stop=stop)
        for outcome in report.outcomes:
            totals[outcome.state] = totals.get(outcome.state, 0) + 1
            if not as_json and outcome.state != "delivered":
                click.echo(
                    t(
                        "cli.deliver_failed",
                        id=outcome.delivery_id,
                        plugin=outcome.plugin,
                        incident=outcome.incident_id,
                        error=outcome.error,
                    ),
                    err=True,
                )
        if not watch:
            break
        due = app.store.next_due()
        wait = interval
        if due is not None:
            wait = max(0.05, min(interval, (due - app.clock()).total_seconds()))
        if stop.wait(wait):
            break
    if as_json:
        echo_json(totals)
    else:
        click.echo(t("cli.deliver_summary", **totals))


@click.group(invoke_without_command=True, help=h("cmd.outbox"))
@json_option
@click.pass_context
def outbox(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    app = app_of()
    rows = app.store.deliveries(states=("pending", "dead"))
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(t("cli.outbox_empty"))
        return
    for d in rows:
        state = t("cli.delivery_state." + d.state)
        when = fmt_time(d.next_attempt_at) if d.state == "pending" else ""
        click.echo(
            f"{d.id:>6}  {d.incident_id:<10} {d.plugin:<12} {d.hook:<14} {state:<10} "
            f"{t('cli.attempts', n=d.attempts)}  {when}  {d.last_error}".rstrip()
        )


@outbox.command("retry", help=h("cmd.outbox_retry"))
@click.argument("delivery_id", type=int, required=False)
@click.option("--all-dead", is_flag=True, help=h("opt.all_dead"))
def retry(delivery_id: int | None, all_dead: bool) -> None:
    app: Any = app_of()
    if delivery_id is None and not all_dead:
        raise click.UsageError(t("cli.retry_needs_target"))
    count = app.store.requeue(delivery_id=delivery_id, all_dead=all_dead, now=app.clock())
    if delivery_id is not None and count == 0:
        from imf.errors import NotFoundError

        raise NotFoundError("core.delivery_not_found", id=delivery_id)
    click.echo(t("cli.requeued", n=count))
