"""Generate the reference pages from the code: ``cli.md`` from the click commands (plugins'
commands included) and ``hooks.md`` from the hookspec docstrings, grouped by stage.

MkDocs runs this file as a hook (``hooks:`` in ``mkdocs.yml``): the pages are generated on
every build and never go stale. To look at them without MkDocs::

    python docs/gen_ref.py OUTDIR      # writes OUTDIR/cli.md and OUTDIR/hooks.md
"""

from __future__ import annotations

import ast
import inspect
import os
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent

#: The generated pages: path under docs/ -> function producing the Markdown.
PAGES = {"cli.md": "cli_page", "hooks.md": "hooks_page"}

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):`~?([^`]+)`")


# --------------------------------------------------------------------------------------------
# reStructuredText docstrings -> Markdown
# --------------------------------------------------------------------------------------------


def _inline(text: str) -> str:
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    return text.replace("``", "`")


def rst_to_md(doc: str) -> str:
    """Markdown for a docstring: inline literals and roles, ``:param:`` fields as a list,
    ``::`` literal blocks as fenced Python code."""
    lines = inspect.cleandoc(doc).splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        field_match = re.match(r":(param|raises|returns?)\s*([^:]*):\s*(.*)", line)
        if field_match:
            kind, name, text = field_match.groups()
            index += 1
            while index < len(lines) and lines[index].startswith((" ", "\t")):
                text += " " + lines[index].strip()
                index += 1
            label = {"param": f"`{name.strip()}`", "raises": f"raises `{name.strip()}`"}.get(
                kind, "returns"
            )
            out.append(f"- {label}: {_inline(text)}")
            continue
        if line.rstrip().endswith("::"):
            intro = line.rstrip()[:-2].rstrip()
            out.append(_inline(intro + ":") if intro else "")
            index += 1
            block: list[str] = []
            while index < len(lines) and (not lines[index].strip() or lines[index][:1] == " "):
                block.append(lines[index])
                index += 1
            code = textwrap.dedent("\n".join(block)).strip("\n")
            out.extend(["", "```python", code, "```", ""])
            continue
        out.append(_inline(line))
        index += 1
    return "\n".join(out).strip() + "\n"


# --------------------------------------------------------------------------------------------
# Hooks
# --------------------------------------------------------------------------------------------


@dataclass
class HookDoc:
    """One hookspec as the reference shows it."""

    name: str
    signature: str
    firstresult: bool
    doc: str
    implemented_by: list[str] = field(default_factory=list)


@dataclass
class Stage:
    """A group of hooks under one banner of ``imf/hookspecs.py``."""

    title: str
    intro: str
    hooks: list[HookDoc] = field(default_factory=list)


def signature_of(function: Any) -> str:
    """``def name(arg: Type, ...) -> Return`` with the annotations as written."""
    sig = inspect.signature(function)
    params = []
    for param in sig.parameters.values():
        annotation = param.annotation
        params.append(
            param.name if annotation is inspect.Parameter.empty else f"{param.name}: {annotation}"
        )
    returns = sig.return_annotation
    tail = "" if returns is inspect.Signature.empty else f" -> {returns}"
    return f"def {function.__name__}({', '.join(params)}){tail}"


def _banners(source: str) -> list[tuple[int, str, str]]:
    """``(line, title, intro)`` of each ``# ---`` / ``# Title`` / ``# ---`` banner."""
    lines = source.splitlines()
    found = []
    for index in range(len(lines) - 2):
        if (
            lines[index].startswith("# ---")
            and lines[index + 2].startswith("# ---")
            and lines[index + 1].startswith("# ")
        ):
            intro = []
            for line in lines[index + 3 :]:
                if not line.startswith("#"):
                    break
                intro.append(line[1:].strip())
            found.append((index + 1, lines[index + 1][2:].strip(), " ".join(intro)))
    return found


def _implementers() -> dict[str, list[str]]:
    """Installed plugins implementing each hook, from ``imf plugins``' view of them."""
    from imf.plugins import PluginHost

    by_hook: dict[str, list[str]] = {}
    for name, info in sorted(PluginHost().info.items()):
        for hook in info.hooks:
            by_hook.setdefault(hook, []).append(name)
    return by_hook


def hook_stages() -> list[Stage]:
    """Every hookspec, grouped by the banners of ``imf/hookspecs.py``, in source order."""
    from imf import hookspecs

    source = inspect.getsource(hookspecs)
    banners = _banners(source)
    stages = [Stage(title, intro) for _, title, intro in banners]
    implementers = _implementers()
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("imf_"):
            continue
        function = getattr(hookspecs, node.name)
        opts = getattr(function, "imf_spec", None)
        if opts is None:
            continue
        position = max(i for i, (line, _, _) in enumerate(banners) if line <= node.lineno)
        stages[position].hooks.append(
            HookDoc(
                name=node.name,
                signature=signature_of(function),
                firstresult=bool(opts.get("firstresult")),
                doc=rst_to_md(function.__doc__ or ""),
                implemented_by=implementers.get(node.name, []),
            )
        )
    return [stage for stage in stages if stage.hooks]


def _plugin_link(name: str) -> str:
    page = DOCS / "plugins" / f"{name}.md"
    return f"[{name}](plugins/{name}.md)" if page.is_file() else f"`{name}`"


def hooks_page() -> str:
    """The hook reference in Markdown."""
    from imf import hookspecs

    stages = hook_stages()
    out = [
        "# Hook reference",
        "",
        "<!-- Generated by docs/gen_ref.py from imf/hookspecs.py; edit the docstrings there. -->",
        "",
        rst_to_md(hookspecs.__doc__ or "").strip(),
        "",
        "When each hook fires is drawn in [the lifecycle](lifecycle.md). Every hook at a glance:",
        "",
        "| stage | hooks |",
        "|---|---|",
    ]
    for stage in stages:
        names = ", ".join(f"[`{h.name}`](#{h.name})" for h in stage.hooks)
        out.append(f"| {stage.title} | {names} |")
    out.append("")
    for stage in stages:
        out += [f"## {stage.title}", ""]
        if stage.intro:
            out += [_inline(stage.intro), ""]
        for hook in stage.hooks:
            out += [f"### {hook.name}", "", "```python", hook.signature, "```", ""]
            if hook.firstresult:
                out += ["*First result wins:* imf stops at the first plugin that answers.", ""]
            out += [hook.doc.strip(), ""]
            if hook.implemented_by:
                links = ", ".join(_plugin_link(n) for n in hook.implemented_by)
                out += [f"Implemented by: {links}.", ""]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _option_row(param: Any, ctx: Any) -> str:
    import click

    names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    if param.is_flag:
        value = ""
    elif isinstance(param.type, click.Choice):
        value = " | ".join(str(c) for c in param.type.choices)
    else:
        value = param.metavar or param.type.name.upper()
    default = ""
    if param.show_default and param.default not in (None, False, (), ""):
        default = f" (default: `{param.default}`)"
    repeat = " (repeatable)" if param.multiple and "repeatable" not in (param.help or "") else ""
    return f"| {names} | {_cell(value)} | {_cell((param.help or '') + repeat + default)} |"


def _command_section(
    command: Any, path: list[str], depth: int, parent: Any, *, recurse: bool = True
) -> list[str]:
    import click

    ctx = click.Context(command, info_name=path[-1], parent=parent)
    title = " ".join(path)
    out = [f"{'#' * min(depth, 4)} {title}", ""]
    help_text = inspect.cleandoc(command.help or "")
    if help_text:
        out += [help_text.replace("\b\n", ""), ""]
    pieces = " ".join(command.collect_usage_pieces(ctx))
    out += ["```", f"{title} {pieces}".rstrip(), "```", ""]
    options = [
        p
        for p in command.get_params(ctx)
        if isinstance(p, click.Option) and not p.hidden and p.name != "help"
    ]
    if options:
        out += ["| option | value | meaning |", "|---|---|---|"]
        out += [_option_row(p, ctx) for p in options]
        out.append("")
    if recurse and isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                out += _command_section(sub, [*path, name], depth + 1, ctx)
    return out


def cli_page() -> str:
    """The CLI reference in Markdown, core and installed plugins' commands."""
    os.environ["IMF_LANG"] = "en"  # help texts are translated: the reference is in English
    import click

    from imf.cli.main import CORE_COMMANDS, cli

    root = click.Context(cli, info_name="imf")
    names = cli.list_commands(root)
    plugin_names = [n for n in names if n not in CORE_COMMANDS]
    out = [
        "# CLI reference",
        "",
        "<!-- Generated by docs/gen_ref.py from the click commands. -->",
        "",
        "Every command that prints data takes `--json`; errors are one line on standard error "
        "and a non-zero exit status (`IMF_DEBUG=1` adds the traceback). Help texts exist in "
        "English and Russian: `imf --lang ru COMMAND --help`.",
        "",
        "Commands: " + ", ".join(f"[`{n}`](#imf-{n.replace('_', '-')})" for n in names) + ".",
        "",
    ]
    if plugin_names:
        out += [
            "Added by installed plugins (through `imf_cli_commands`): "
            + ", ".join(f"`{n}`" for n in plugin_names)
            + ".",
            "",
        ]
    out += _command_section(cli, ["imf"], 2, None, recurse=False)
    for name in names:
        command = cli.get_command(root, name)
        if command is not None and not command.hidden:
            out += _command_section(command, ["imf", name], 2, root)
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------------------------
# MkDocs hook and command line
# --------------------------------------------------------------------------------------------


def render(page: str) -> str:
    """The Markdown of generated ``page`` (a key of :data:`PAGES`)."""
    return str(globals()[PAGES[page]]())


def on_files(files: Any, config: Any) -> Any:
    """MkDocs hook: add the generated pages to the build."""
    from mkdocs.structure.files import File

    for page in PAGES:
        existing = files.get_file_from_path(page)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, page, content=render(page)))
    return files


def main(argv: list[str]) -> int:
    """Write the generated pages into the directory ``argv[0]``."""
    if len(argv) != 1:
        sys.stderr.write("usage: python docs/gen_ref.py OUTDIR\n")
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    for page in PAGES:
        (out / page).write_text(render(page), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
