"""Shared pieces of the CLI: building the app, errors, output."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

import click

from imf.errors import ImfError, PluginError, UsageError
from imf.i18n import translate

F = TypeVar("F", bound=Callable[..., Any])

_state: dict[str, str | None] = {"lang": None}

#: What in-process runners (``imf.testing``) inject into the next App built: plugin objects
#: by name (``extra_plugins``), ``load_entry_points`` and a ``clock``.
injected: dict[str, Any] = {}


class Options(NamedTuple):
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
    from imf.clock import utcnow

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


class PluginCommands:
    """The commands plugins add: listed from the plugin cache, imported only when run.

    ``imf --help`` shows plugin commands without importing any plugin when the cache knows
    them (see :mod:`imf.discovery`); running one imports just the plugin that provides it.
    """

    def __init__(self, ctx: click.Context, reserved: set[str]) -> None:
        try:
            blocked = set(blocked_plugins(ctx.params.get("plugin_flags") or ()))
        except ImfError:
            blocked = set()
        self.reserved = reserved
        self.lang = lang()
        from imf.discovery import blocked_from_env

        self.blocked = blocked | blocked_from_env()
        self.table: dict[str, tuple[str, str]] = {}
        self._host: Any = None
        if not self._from_cache():
            self._from_plugins()

    def _from_cache(self) -> bool:
        """Fill the table from the plugin cache alone (no plugin imported); False on a miss."""
        if injected.get("extra_plugins") or not injected.get("load_entry_points", True):
            return False
        from imf.discovery import PluginCache

        cache = PluginCache()
        if cache.records is None:
            return False
        table: dict[str, tuple[str, str]] = {}
        for name in sorted(cache.records):
            if name in self.blocked:
                continue
            record = cache.record(name)
            hooks = record.get("hooks")
            if hooks is None:
                return False
            if "imf_cli_commands" not in hooks:
                continue
            commands = (record.get("commands") or {}).get(self.lang)
            if commands is None:
                return False
            for command_name, short_help in commands:
                if command_name in self.reserved or command_name in table:
                    return False  # let the full path raise the clash error
                table[command_name] = (name, short_help)
        self.table = table
        return True

    @property
    def host(self) -> Any:
        """The plugin host, built on first need."""
        if self._host is None:
            from imf.plugins import PluginHost

            self._host = PluginHost(
                blocked=self.blocked,
                extra=injected.get("extra_plugins"),
                load_entry_points=injected.get("load_entry_points", True),
            )
        return self._host

    def _from_plugins(self) -> None:
        reserved = self.reserved
        for name in self.host.names():
            if not self.host.might_implement(name, "imf_cli_commands"):
                continue
            record = self._cached(name)
            if record is None:
                record = [[str(c.name), c.get_short_help_str(60)] for c in self._load(name)]
                if self.host.cache is not None and name in self.host.cache.records:
                    self.host.cache.set_commands(name, self.lang, record)
            for command_name, short_help in record:
                if command_name in reserved or command_name in self.table:
                    raise PluginError("core.plugin_command_clash", name=name, command=command_name)
                self.table[command_name] = (name, short_help)
        self.host.save()

    def _cached(self, name: str) -> list[list[str]] | None:
        cache = self.host.cache
        if cache is None or name not in (cache.records or {}):
            return None
        record = cache.record(name)
        if record.get("hooks") is None:
            return None
        found = (record.get("commands") or {}).get(self.lang)
        return list(found) if found is not None else None

    def _load(self, name: str) -> list[click.Command]:
        found = self.host.call_registration("imf_cli_commands", self.host.plugin(name))
        return list(found or ())

    def get(self, command_name: str) -> click.Command | None:
        """The command called ``command_name`` (importing its plugin)."""
        entry = self.table.get(command_name)
        if entry is None:
            return None
        return next((c for c in self._load(entry[0]) if c.name == command_name), None)


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
    if debug:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="imf: %(name)s: %(message)s")
    try:
        returned = command.main(args=args, prog_name="imf", standalone_mode=False)
        if isinstance(returned, int) and not isinstance(returned, bool):
            return returned  # click returns an Exit's code when not in standalone mode
    except ImfError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(
            f"imf: {translate('cli.error', _lang_for_errors(args))}: "
            f"{exc.render(_lang_for_errors(args))}",
            err=True,
        )
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo(f"imf: {translate('cli.aborted', _lang_for_errors(args))}", err=True)
        return 130
    except click.ClickException as exc:
        if debug:
            import traceback

            traceback.print_exc()
        message = " ".join(exc.format_message().split())
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            path = exc.ctx.command_path
            hint = f" ({translate('cli.try_help', _lang_for_errors(args), command=path)})"
        click.echo(
            f"imf: {translate('cli.error', _lang_for_errors(args))}: {message}{hint}", err=True
        )
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
            import traceback

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


def done(
    incident: Any,
    report: Any,
    as_json: bool,
    strict: bool,
    message: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Print the result of a change (or its JSON) and report its deliveries."""
    if as_json:
        echo_json(
            {
                **(extra or {}),
                "incident": incident,
                "deliveries": [
                    {"plugin": o.plugin, "state": o.state, "error": o.error}
                    for o in report.outcomes
                ],
            }
        )
    else:
        click.echo(message)
    report_deliveries(report, strict)


def report_deliveries(report: Any, strict: bool) -> None:
    """Print a warning line per failed or waiting delivery; under ``--strict`` exit 6 if any."""
    for outcome in report.failed:
        if outcome.state == "dead":
            click.echo(
                "imf: " + t("cli.delivery_dead", plugin=outcome.plugin, error=outcome.error),
                err=True,
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

    return click.option("--json", "as_json", is_flag=True, help=h("opt.json"))(f)


def strict_option(f: F) -> F:
    """The ``--strict`` flag (exit non-zero when a plugin delivery failed)."""
    from imf.cli.main import h

    return click.option("--strict", is_flag=True, help=h("opt.strict"))(f)
