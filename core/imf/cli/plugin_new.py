"""``imf plugin new NAME``: start a plugin project that passes its tests from the first minute.

The project is rendered from the templates in ``imf/templates/plugin/`` (shipped as package
data): a ``__module__`` path part becomes the package name, a ``dot-`` file-name prefix
becomes ``.``, and the ``.j2`` suffix is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from imf.cli.common import t
from imf.errors import ConflictError, UsageError

NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
MAX_NAME = 40


def _help(key: str) -> str:
    from imf.cli.main import help_language
    from imf.i18n import translate

    return translate(f"authoring.{key}", help_language())


def plugin_names(name: str) -> dict[str, str]:
    """The names of a new plugin: ``name`` (the plugin's, as in ``[plugins.NAME]``),
    ``module`` (``imf_NAME``), ``dist`` (``imf-NAME``) and ``config_class``.

    :raises UsageError: ``name`` is not a lowercase word (an ``imf-``/``imf_`` prefix is
        dropped).
    """
    raw = name.strip()
    bare = re.sub(r"^imf[-_]", "", raw)
    if not NAME_PATTERN.fullmatch(bare) or len(bare) > MAX_NAME:
        raise UsageError("authoring.invalid_name", name=raw)
    words = re.split(r"[-_]", bare)
    return {
        "name": bare,
        "module": "imf_" + "_".join(words),
        "dist": "imf-" + "-".join(words),
        "config_class": "".join(w.capitalize() for w in words) + "Config",
    }


def _installed(name: str) -> str | None:
    """The distribution that already provides plugin ``name``, if any."""
    from importlib.metadata import entry_points

    for ep in entry_points(group="imf"):
        if ep.name == name:
            dist = getattr(ep, "dist", None)
            return dist.name if dist else ep.value
    return None


def _templates() -> Any:
    from importlib import resources

    return resources.files("imf").joinpath("templates", "plugin")


def _walk(folder: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found.extend(_walk(entry, (*prefix, entry.name)))
        elif entry.name.endswith(".j2"):
            found.append(((*prefix, entry.name), entry))
    return found


def _target(parts: tuple[str, ...], names: dict[str, str]) -> Path:
    out = []
    for part in parts:
        part = part.replace("__module__", names["module"]).removesuffix(".j2")
        out.append("." + part[4:] if part.startswith("dot-") else part)
    return Path(*out)


def generate(name: str, directory: Path, *, description: str = "", lang: str = "en") -> Path:
    """Render a plugin project for ``name`` into ``directory/imf-<name>`` and return its path.

    :raises UsageError: the name is invalid.
    :raises ConflictError: the project directory exists, or a plugin of that name is installed.
    """
    import jinja2

    from imf import __version__
    from imf.i18n import translate

    names = plugin_names(name)
    distribution = _installed(names["name"])
    if distribution is not None:
        raise ConflictError(
            "authoring.reserved_name", name=names["name"], distribution=distribution
        )
    project = directory / names["dist"]
    if project.exists():
        raise ConflictError("authoring.exists", path=str(project))
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    values = {
        **names,
        "description": description.strip() or translate("authoring.default_description", lang),
        "imf_version": __version__,
        "lang": lang,
    }
    rendered = {
        _target(parts, names): env.from_string(entry.read_text(encoding="utf-8")).render(values)
        for parts, entry in _walk(_templates())
    }
    for relative, text in rendered.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


@click.group(help=_help("help.plugin"))
def plugin() -> None:
    """``imf plugin``: commands for plugin authors."""


@plugin.command("new", help=_help("help.plugin_new"))
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help=_help("opt.dir"),
)
@click.option("--description", default="", help=_help("opt.description"))
def new(name: str, directory: Path, description: str) -> None:
    """Create the project and say what to do next."""
    from imf.cli.common import lang

    project = generate(name, directory, description=description, lang=lang())
    names = plugin_names(name)
    click.echo(
        t(
            "authoring.created",
            path=str(project),
            name=names["name"],
            module=names["module"],
            dist=names["dist"],
        )
    )
    click.echo(t("authoring.next_steps", path=str(project), name=names["name"]))
