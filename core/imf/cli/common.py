"""Shared pieces of the CLI: building the app, errors, output."""

from __future__ import annotations

import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import click
from attrs import frozen

from imf.errors import ImfError, PluginError, UsageError
from imf.i18n import translate
from imf.model import utcnow

F = TypeVar("F", bound=Callable[..., Any])

_state: dict[str, str | None] = {"lang": None}

#: What in-process runners (``imf.testing``) inject into the next App built: plugin objects
#: by name (``extra_plugins``), ``load_entry_points`` and a ``clock``.
injected: dict[str, Any] = {}


@frozen
class Options:
    """Global options of the ``imf`` command."""

    config_path: str | None
    store: str | None
    lang: str | None
    blocked: frozenset[str]


def blocked_plugins(flags: Iterable[str]) -> frozenset[str]:
    """Plugin names from ``-p no:NAME`` flags."""
    names = set()
    for flag in flags:
        if not flag.startswith("no:") or not flag[3:].strip():
            raise PluginError("core.plugin_flag_invalid", flag=flag)
        names.add(flag[3:].strip())
    return frozenset(names)


def build_app(ctx: click.Context, options: Options) -> Any:
    """The :class:`imf.App` for this invocation."""
    from imf.app import App

    app = App.create(
        config_path=options.config_path,
        store=options.store,
        lang=options.lang,
        blocked=options.blocked,
        extra_plugins=injected.get("extra_plugins"),
        load_entry_points=injected.get("load_entry_points", True),
        clock=injected.get("clock") or utcnow,
    )
    _state["lang"] = app.lang
    return app


def plugin_commands(ctx: click.Context, reserved: set[str]) -> dict[str, click.Command]:
    """Commands that installed, non-blocked plugins add (inactive plugins included)."""
    from imf.plugins import PluginHost, blocked_from_env

    args = sys.argv[1:]
    flags = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-p"]
    flags += [a[2:] for a in args if a.startswith("-pno:")]
    try:
        blocked = set(blocked_plugins(flags))
    except ImfError:
        blocked = set()
    host = PluginHost(
        blocked=blocked | blocked_from_env(),
        extra=injected.get("extra_plugins"),
        load_entry_points=injected.get("load_entry_points", True),
    )
    commands: dict[str, click.Command] = {}
    for name in host.names():
        found = host.call_registration("imf_cli_commands", host.plugin(name)) or ()
        for command in found:
            if command.name in reserved or command.name in commands:
                raise PluginError("core.plugin_command_clash", name=name, command=command.name)
            commands[str(command.name)] = command
    return commands


def app_of(ctx: click.Context | None = None) -> Any:
    """The running :class:`imf.App`."""
    ctx = ctx or click.get_current_context()
    return ctx.find_root().obj


def lang() -> str:
    """The active language (the app's, or the help language before the app exists)."""
    try:
        app = app_of()
    except RuntimeError:
        app = None
    if app is not None:
        return str(app.lang)
    from imf.cli.main import help_language

    return help_language()


def t(key: str, /, **params: Any) -> str:
    """Translate ``key`` into the active language."""
    return translate(key, lang(), **params)


def run(command: click.Command, args: list[str]) -> int:
    """Run ``command``; turn every failure into one line on stderr and an exit code."""
    debug = os.environ.get("IMF_DEBUG", "") not in ("", "0")
    _state["lang"] = None
    try:
        returned = command.main(args=args, prog_name="imf", standalone_mode=False)
        if isinstance(returned, int) and not isinstance(returned, bool):
            return returned  # click returns an Exit's code when not in standalone mode
    except ImfError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"imf: {translate('cli.error', _lang_for_errors(args))}: "
                   f"{exc.render(_lang_for_errors(args))}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo(f"imf: {translate('cli.aborted', _lang_for_errors(args))}", err=True)
        return 130
    except click.ClickException as exc:
        if debug:
            traceback.print_exc()
        message = " ".join(exc.format_message().split())
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" ({translate('cli.try_help', _lang_for_errors(args), command=exc.ctx.command_path)})"
        click.echo(f"imf: {translate('cli.error', _lang_for_errors(args))}: {message}{hint}",
                   err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except KeyboardInterrupt:
        click.echo(f"imf: {translate('cli.aborted', _lang_for_errors(args))}", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place an unexpected error becomes a line, not a trace
        if debug:
            traceback.print_exc()
        text = " ".join(str(exc).split())
        click.echo(
            f"imf: {translate('cli.internal_error', _lang_for_errors(args))}: "
            f"{type(exc).__name__}: {text}",
            err=True,
        )
        return 70
    return 0


def _lang_for_errors(args: list[str]) -> str:
    """The app's language once it exists; before that ``--lang`` or ``IMF_LANG``."""
    if _state["lang"]:
        return _state["lang"]
    from imf.cli.main import help_language

    return help_language(args)


# --- output ----------------------------------------------------------------------------------


def echo_json(data: Any) -> None:
    """Print ``data`` as JSON (model objects unstructured)."""
    from imf import serde

    click.echo(json.dumps(serde.unstructure(data), ensure_ascii=False, indent=2, default=str))


def fmt_time(value: datetime | None) -> str:
    """``2026-11-28 18:27 UTC`` (empty for None)."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def fmt_duration(value: timedelta) -> str:
    """``1h 05m`` / ``3d 2h`` / ``12m``."""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    return f"{sign}{minutes}m"


def incident_id(value: str) -> str:
    """``12``, ``inc-12`` or ``INC-12`` → ``INC-12``."""
    match = re.fullmatch(r"(?:inc-?)?(\d+)", value.strip(), flags=re.IGNORECASE)
    if not match:
        raise UsageError("core.invalid_incident_id", value=value)
    return f"INC-{int(match.group(1))}"


def parse_when(value: str, now: datetime) -> datetime:
    """An absolute ISO time, ``HH:MM`` (UTC, today or tomorrow) or ``+30m``/``+2h``."""
    from imf.validate import parse_duration

    text = value.strip()
    try:
        if text.startswith("+"):
            return now + parse_duration(text[1:])
        if re.fullmatch(r"\d{1,2}:\d{2}", text):
            hour, minute = (int(x) for x in text.split(":"))
            when = now.astimezone(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)
            return when if when > now else when + timedelta(days=1)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except ValueError:
        raise UsageError("core.invalid_time", value=value) from None


def report_deliveries(report: Any, strict: bool) -> None:
    """Print a warning line per failed or waiting delivery; under ``--strict`` exit 6 if any."""
    for outcome in report.failed:
        if outcome.state == "dead":
            click.echo(
                "imf: " + t("cli.delivery_dead", plugin=outcome.plugin, error=outcome.error), err=True
            )
        else:
            click.echo(
                "imf: "
                + t(
                    "cli.delivery_retry",
                    plugin=outcome.plugin,
                    error=outcome.error,
                    when=fmt_time(outcome.next_attempt_at),
                ),
                err=True,
            )
    failed = {o.plugin for o in report.failed}
    for plugin in report.queued:
        if plugin not in failed:
            click.echo("imf: " + t("cli.delivery_queued", plugin=plugin), err=True)
    if strict and (report.failed or report.queued):
        raise click.exceptions.Exit(6)


def json_option(f: F) -> F:
    """The ``--json`` flag."""
    from imf.cli.main import h

    return click.option("--json", "as_json", is_flag=True, help=h("opt.json"))(f)  # type: ignore[return-value]


def strict_option(f: F) -> F:
    """The ``--strict`` flag (exit non-zero when a plugin delivery failed)."""
    from imf.cli.main import h

    return click.option("--strict", is_flag=True, help=h("opt.strict"))(f)  # type: ignore[return-value]
