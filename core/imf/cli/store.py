"""``imf store``: check, migrate, copy and rebuild the incident store."""

from __future__ import annotations

from typing import Any

import click

from imf.cli.common import app_of, echo_json, json_option, t


def _h(key: str) -> str:
    from imf.cli.main import help_language
    from imf.i18n import translate

    return translate(f"store.help.{key}", help_language())


def _url(app: Any) -> str:
    from imf.store import default_url

    return str(app.config.core.store or default_url())


@click.group(help=_h("group"))
def store() -> None:
    pass


@store.command(help=_h("migrate"))
@json_option
def migrate(as_json: bool) -> None:
    from imf.store import display_url
    from imf.store.admin import backend_name, stored_version

    app = app_of()
    url = _url(app)
    found = stored_version(url)
    version = int(app.store.schema_version)  # opening the store migrates it
    found = version if found is None else found
    if as_json:
        echo_json(
            {
                "url": display_url(url),
                "backend": backend_name(url),
                "found": found,
                "version": version,
                "migrated": found != version,
            }
        )
    elif found != version:
        click.echo(t("store.migrated", url=display_url(url), found=found, version=version))
    else:
        click.echo(t("store.up_to_date", url=display_url(url), version=version))


@store.command(help=_h("check"))
@json_option
def check(as_json: bool) -> None:
    from imf.errors import StoreError
    from imf.store import display_url
    from imf.store.admin import backend_name, counts, stored_version
    from imf.store.sql import SCHEMA_VERSION

    app = app_of()
    url = _url(app)
    shown = display_url(url)
    found = stored_version(url)
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError("core.store_too_new", url=shown, found=found, supported=SCHEMA_VERSION)
    report: dict[str, Any] = {"url": shown, "backend": backend_name(url)}
    current = found is None or found == SCHEMA_VERSION
    if current:
        opened = app.store
        found = int(opened.schema_version) if found is None else found
        if report["backend"] == "postgresql":
            report["server"] = opened.server_version()
        report["counts"] = counts(opened, app.clock())
    report.update(
        schema_version=found,
        supported=SCHEMA_VERSION,
        status="ok" if current else "needs_migration",
    )
    if as_json:
        echo_json(report)
    else:
        _print_check(report)
    if not current:
        raise click.exceptions.Exit(1)


def _print_check(report: dict[str, Any]) -> None:
    click.echo(t("store.check.url", url=report["url"]))
    click.echo(t("store.check.backend", backend=report["backend"]))
    if "server" in report:
        click.echo(t("store.check.server", version=report["server"]))
    click.echo(
        t("store.check.schema", found=report["schema_version"], supported=report["supported"])
    )
    click.echo(t("store.check.ok" if report["status"] == "ok" else "store.check.needs_migration"))
    found = report.get("counts")
    if found is None:
        return
    click.echo(t("store.check.incidents", total=found.incidents, open=found.open_incidents))
    click.echo(t("store.check.events", n=found.events))
    states = found.deliveries
    click.echo(
        t(
            "store.check.deliveries",
            pending=states.get("pending", 0),
            leased=found.leased,
            delivered=states.get("delivered", 0),
            dead=states.get("dead", 0),
        )
    )


@store.command(help=_h("copy"))
@click.argument("src", metavar="SRC")
@click.argument("dst", metavar="DST")
@click.option("--batch", type=click.IntRange(1), default=1000, show_default=True, help=_h("batch"))
@json_option
def copy(src: str, dst: str, batch: int, as_json: bool) -> None:
    from imf.store import display_url, open_store
    from imf.store.admin import copy_store

    app = app_of()
    source = open_store(src, app.host)
    try:
        target = open_store(dst, app.host)
        try:
            report = copy_store(source, target, batch=batch)
        finally:
            target.close()
    finally:
        source.close()
    if as_json:
        echo_json({"src": display_url(src), "dst": display_url(dst), **_plain(report)})
        return
    click.echo(
        t(
            "store.copied",
            incidents=report.incidents,
            events=report.events,
            deliveries=sum(report.deliveries.values()),
            src=display_url(src),
            dst=display_url(dst),
        )
    )


@store.command(help=_h("rebuild"))
@json_option
def rebuild(as_json: bool) -> None:
    app = app_of()
    count = app.store.rebuild()
    if as_json:
        echo_json({"incidents": count})
    else:
        click.echo(t("store.rebuilt", n=count))


def _plain(report: Any) -> dict[str, Any]:
    import attrs

    return attrs.asdict(report)
