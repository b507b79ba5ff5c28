"""The ``imf`` command: a lazy click group over the core commands and plugins' commands.

Start-up stays close to the cost of importing click: command modules, the store, attrs and
the plugins are imported only when the command that needs them runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import click

from imf import __version__

#: Core commands: name -> (module, attribute). Help texts come from the catalogs.
CORE_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("imf.cli.setup", "init"),
    "declare": ("imf.cli.declare", "declare"),
    "list": ("imf.cli.listing", "list_"),
    "show": ("imf.cli.incidents", "show"),
    "update": ("imf.cli.incidents", "update"),
    "escalate": ("imf.cli.incidents", "escalate"),
    "assign": ("imf.cli.incidents", "assign"),
    "unassign": ("imf.cli.incidents", "unassign"),
    "ack": ("imf.cli.incidents", "ack"),
    "note": ("imf.cli.incidents", "note"),
    "resolve": ("imf.cli.incidents", "resolve"),
    "reopen": ("imf.cli.incidents", "reopen"),
    "postmortem": ("imf.cli.postmortem", "postmortem"),
    "action": ("imf.cli.postmortem", "action"),
    "deliver": ("imf.cli.outbox", "deliver"),
    "outbox": ("imf.cli.outbox", "outbox"),
    "store": ("imf.cli.store", "store"),
    "plugins": ("imf.cli.setup", "plugins"),
    "plugin": ("imf.cli.plugin_new", "plugin"),
    "config": ("imf.cli.setup", "config"),
    "checklist": ("imf.cli.checklist", "checklist"),
    "check": ("imf.cli.checklist", "check"),
    "uncheck": ("imf.cli.checklist", "uncheck"),
    "playbook": ("imf.cli.playbook", "playbook"),
    "due": ("imf.cli.due", "due"),
    "metrics": ("imf.cli.metrics", "metrics"),
    "advise": ("imf.cli.advise", "advise"),
    "rollout": ("imf.cli.advise", "rollout"),
}

#: Core commands whose one-line help lives in another catalog than ``cli``: name -> key.
COMMAND_HELP: dict[str, str] = {
    name: f"ics.help.cmd.{name}"
    for name in ("checklist", "check", "uncheck", "playbook", "due", "metrics", "advise", "rollout")
}
COMMAND_HELP["store"] = "store.help.group"
COMMAND_HELP["plugin"] = "authoring.help.plugin"
COMMAND_HELP["postmortem"] = "postmortem.help.cmd.postmortem"
COMMAND_HELP["action"] = "postmortem.help.cmd.action"

#: Commands that run without loading configuration and plugins.
NO_APP_COMMANDS = frozenset({"init"})

#: Quick commands about one incident: they run with Python's cyclic garbage collector paused
#: (see :mod:`imf.cli.entry`); every other command turns it back on.
QUICK_COMMANDS = frozenset(
    {
        "declare",
        "list",
        "show",
        "update",
        "escalate",
        "assign",
        "unassign",
        "ack",
        "note",
        "resolve",
        "reopen",
        "check",
        "uncheck",
        "init",
    }
)


def help_language(argv: list[str] | None = None) -> str:
    """The language of help texts: ``--lang`` on the command line, else ``IMF_LANG``."""
    from imf.i18n import normalize_language

    args = sys.argv[1:] if argv is None else argv
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return normalize_language(args[index + 1])
        if arg.startswith("--lang="):
            return normalize_language(arg.split("=", 1)[1])
    return normalize_language(os.environ.get("IMF_LANG"))


def h(key: str) -> str:
    """A help text from the CLI catalog, in the help language."""
    from imf.i18n import translate

    return translate(f"cli.help.{key}", help_language())


def command_help(name: str) -> str:
    """The one-line help of core command ``name``, in the help language."""
    if name in COMMAND_HELP:
        from imf.i18n import translate

        return translate(COMMAND_HELP[name], help_language())
    return h(f"cmd.{name}")


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"imf {__version__}", color=ctx.color)
        ctx.exit()


def with_help(command: click.Command) -> click.Command:
    """Give ``command`` (and a group's commands) imf's ``-h/--help``, described in the help
    language; click's own one is then not made (its text is English only)."""
    if not any("--help" in param.opts for param in command.params):
        command.params.append(
            click.Option(
                ["-h", "--help"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_show_help,
                help=h("opt.help"),
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_help(sub)
    return command


class ImfGroup(click.Group):
    """Loads core commands on demand and adds the commands plugins register."""

    def plugin_commands(self, ctx: click.Context) -> Any:
        """The commands of installed, non-blocked plugins (a ``PluginCommands``)."""
        found = ctx.meta.get("imf.plugin_commands")
        if found is None:
            from imf.cli.common import PluginCommands

            found = ctx.meta["imf.plugin_commands"] = PluginCommands(ctx, set(CORE_COMMANDS))
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(CORE_COMMANDS)
        # Help must work even when a plugin is broken: its commands are just not listed.
        with contextlib.suppress(Exception):
            names |= set(self.plugin_commands(ctx).table)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in CORE_COMMANDS:
            import importlib

            module, attr = CORE_COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attr)
            return with_help(command)
        found: click.Command | None = self.plugin_commands(ctx).get(cmd_name)
        return None if found is None else with_help(found)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in CORE_COMMANDS:
                rows.append((name, command_help(name)))
            else:
                rows.append((name, self.plugin_commands(ctx).table[name][1]))
        if rows:
            with formatter.section(h("commands")):
                formatter.write_dl(rows)


@click.group(cls=ImfGroup, help=h("imf"), context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=h("opt.version"),
)
@click.option("--config", "config_path", metavar="PATH", help=h("opt.config"))
@click.option("--store", metavar="URL", help=h("opt.store"))
@click.option("--lang", type=click.Choice(["en", "ru"]), help=h("opt.lang"))
@click.option("-p", "plugin_flags", multiple=True, metavar="no:NAME", help=h("opt.p"))
@click.pass_context
def cli(
    ctx: click.Context,
    config_path: str | None,
    store: str | None,
    lang: str | None,
    plugin_flags: tuple[str, ...],
) -> None:
    from imf.cli.common import Options, blocked_plugins, build_app

    if ctx.invoked_subcommand not in QUICK_COMMANDS:
        from imf.cli.entry import resume_gc

        resume_gc()
    options = Options(config_path, store, lang, blocked_plugins(plugin_flags))
    ctx.meta["imf.options"] = options
    if ctx.invoked_subcommand not in NO_APP_COMMANDS:
        ctx.obj = build_app(ctx, options)
        ctx.call_on_close(ctx.obj.close)


with_help(cli)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, non-zero exits, tracebacks only with IMF_DEBUG=1."""
    args = sys.argv[1:] if argv is None else argv
    from imf.cli.common import run

    sys.exit(run(cli, args))
