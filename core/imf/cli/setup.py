"""Setup commands: ``imf init``, ``imf plugins``, ``imf config``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from imf.cli.common import app_of, echo_json, json_option, t
from imf.cli.main import h, help_language
from imf.i18n import translate


def starter_config(lang: str) -> str:
    """A commented starter ``imf.toml`` (values written with tomli-w)."""
    import tomli_w

    from imf.i18n import translate

    core = tomli_w.dumps({"imf": {"organization": "", "language": lang, "store": ""}})
    lines = [
        f"# {translate('cli.init.header', lang)}",
        f"# {translate('cli.init.layers', lang)}",
        "",
        core.rstrip(),
        "",
    ]
    for key in ("severity", "pagerduty", "teams", "statuspage", "confluence"):
        lines.append(f"# {translate('cli.init.plugin.' + key, lang)}")
        lines.extend(
            f"# {line}" for line in translate(f"cli.init.example.{key}", lang).splitlines()
        )
        lines.append("")
    return "\n".join(lines)


@click.command(help=h("cmd.init"))
@click.option(
    "--path",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("imf.toml"),
    show_default=True,
    help=h("opt.init_path"),
)
@click.option("--force", is_flag=True, help=h("opt.force_overwrite"))
@click.option("--lang", "file_lang", type=click.Choice(["en", "ru"]), help=h("opt.lang"))
def init(target: Path, force: bool, file_lang: str | None) -> None:
    from imf.cli.common import lang
    from imf.errors import ConflictError

    if target.exists() and not force:
        raise ConflictError("core.init_exists", path=str(target))
    text = starter_config(file_lang or lang())
    from imf.config import parse_toml

    parse_toml(text, str(target))  # the starter must itself be valid
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    click.echo(t("cli.init_written", path=str(target)))


@click.command(help=h("cmd.plugins"))
@click.option("--all", "show_all", is_flag=True, help=h("opt.plugins_all"))
@click.option(
    "--requirements",
    is_flag=True,
    help=translate("authoring.opt.requirements", help_language()),
)
@json_option
def plugins(show_all: bool, requirements: bool, as_json: bool) -> None:
    app = app_of()
    app.host.validate_all()
    if requirements:
        from imf import __version__
        from imf.cli.requirements import pinned

        lines = pinned(app.host.info.values(), __version__)
        if as_json:
            echo_json(lines)
        else:
            click.echo("\n".join([t("authoring.requirements_header"), *lines]))
        return
    rows = [info for _, info in sorted(app.host.info.items()) if show_all or not info.blocked]
    if as_json:
        echo_json(rows)
        return
    for info in rows:
        state = t(
            "cli.plugin_state.blocked"
            if info.blocked
            else "cli.plugin_state.active"
            if info.active
            else "cli.plugin_state.inactive"
        )
        origin = t("cli.plugin_builtin") if info.builtin else f"{info.distribution} {info.version}"
        click.echo(f"{info.name:<14} {state:<10} {origin.strip():<20} {', '.join(info.hooks)}")


@click.group(help=h("cmd.config"))
def config() -> None:
    pass


@config.command("show", help=h("cmd.config_show"))
@json_option
def config_show(as_json: bool) -> None:
    from imf.config import redacted

    app = app_of()
    data = redacted(app.config, app.secret_keys())
    if as_json:
        echo_json({"config": data, "sources": app.config.sources})
        return
    for dotted, value in _leaves(data):
        click.echo(f"{dotted} = {_toml_value(value)}    # {app.config.where(dotted)}")


def _leaves(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.extend(_leaves(value, dotted + "."))
        else:
            out.append((dotted, value))
    return out


def _toml_value(value: Any) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)


@config.command("validate", help=h("cmd.config_validate"))
def config_validate() -> None:
    app = app_of()
    app.load_plugins()  # every active plugin's table, validated by its class
    app.policy  # noqa: B018 -- and the severity policy built from its table
    files = [layer.source for layer in app.config.layers if layer.path is not None]
    click.echo(t("cli.config_valid", files=", ".join(files) or t("cli.config_no_files")))


@config.command("path", help=h("cmd.config_path"))
@json_option
def config_path(as_json: bool) -> None:
    from imf.config import SYSTEM_CONFIG, user_config_file

    app = app_of()
    candidates = [Path(SYSTEM_CONFIG), Path(user_config_file()), Path.cwd() / "imf.toml"]
    loaded = {layer.source for layer in app.config.layers}
    rows = [{"path": str(p), "exists": p.is_file(), "loaded": str(p) in loaded} for p in candidates]
    for layer in app.config.layers:
        if layer.path is not None and str(layer.path) not in {r["path"] for r in rows}:
            rows.append({"path": str(layer.path), "exists": True, "loaded": True})
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        mark = (
            t("cli.config_loaded")
            if row["loaded"]
            else (t("cli.config_present") if row["exists"] else t("cli.config_absent"))
        )
        click.echo(f"{row['path']}  ({mark})")
