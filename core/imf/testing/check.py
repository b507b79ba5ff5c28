"""Checking a plugin against imf's hook specifications, the way imf will load it.

:func:`check_plugin` finds what would otherwise fail late or silently: a misspelled hook name
(pluggy refuses it only at start-up, naming the hook but not the fix), a hookimpl argument the
hook does not pass, a function named like a hook but not marked with ``@imf.hookimpl`` (it
would simply never be called), a config class that is not an attrs class, and imports of
imf's private modules (a plugin uses only ``imf``'s public names).
"""

from __future__ import annotations

import ast
import difflib
import inspect
from pathlib import Path
from types import ModuleType

import pluggy

from imf import hookspecs
from imf.testing.recorder import hook_names


class PluginCheckError(AssertionError):
    """A plugin failed :func:`check_plugin`; :attr:`problems` lists each problem."""

    def __init__(self, name: str, problems: list[str]) -> None:
        self.name = name
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"plugin {name!r} has {len(problems)} problem(s):\n{listing}")


def _spec_args(hook: str) -> list[str]:
    return list(inspect.signature(getattr(hookspecs, hook)).parameters)


def _required_args(function: object) -> list[str]:
    params = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return [
        p.name
        for p in params
        if p.default is p.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        and p.name != "self"
    ]


def _members(plugin: object) -> dict[str, object]:
    """Attributes named like a hook, and attributes marked as hookimpls under other names."""
    names = dir(plugin) if not isinstance(plugin, ModuleType) else list(vars(plugin))
    found = {}
    for name in names:
        if name.startswith("__"):
            continue
        member = getattr(plugin, name, None)
        if name.startswith("imf_") or getattr(member, "imf_impl", None) is not None:
            found[name] = member
    return found


def _hook_problems(plugin: object) -> list[str]:
    known = hook_names()
    problems = []
    for name, member in sorted(_members(plugin).items()):
        if not callable(member):
            continue
        opts = getattr(member, "imf_impl", None)
        hook = (opts or {}).get("specname") or name
        if hook not in known:
            if opts is None:
                continue  # a helper that merely starts with imf_ and is not marked
            close = difflib.get_close_matches(hook, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{name}: no hook named {hook!r}{hint}")
            continue
        if opts is None:
            problems.append(f"{name}: not marked with @imf.hookimpl, so imf never calls it")
            continue
        extra = [a for a in _required_args(member) if a not in _spec_args(hook)]
        if extra:
            problems.append(
                f"{name}: argument(s) {', '.join(extra)} not passed by the hook; "
                f"{hook} passes ({', '.join(_spec_args(hook))})"
            )
    return problems


def _config_problems(plugin: object) -> list[str]:
    function = getattr(plugin, "imf_config_class", None)
    if function is None or getattr(function, "imf_impl", None) is None:
        return []
    try:
        config_class = function()
    except Exception as exc:  # report whatever it raised, as imf would on start-up
        return [f"imf_config_class raised {type(exc).__name__}: {exc}"]
    import attrs

    if config_class is not None and not (
        isinstance(config_class, type) and attrs.has(config_class)
    ):
        return [f"imf_config_class returned {config_class!r}, not an attrs class"]
    return []


def _sources(plugin: object) -> list[Path]:
    # Only a module (or package) plugin is its own source; an object's module may be a test.
    file = getattr(plugin, "__file__", None) if isinstance(plugin, ModuleType) else None
    if not file:
        return []
    path = Path(file)
    if path.name == "__init__.py":
        return sorted(path.parent.rglob("*.py"))
    return [path] if path.suffix == ".py" else []


def _import_problems(plugin: object) -> list[str]:
    problems = []
    for path in _sources(plugin):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("imf.") and not name.startswith("imf.testing"):
                    problems.append(
                        f"{path.name}:{node.lineno}: imports {name}; a plugin uses only "
                        "the public names of 'imf' (import imf)"
                    )
    return problems


def check_plugin(plugin: object, name: str | None = None) -> None:
    """Check ``plugin`` (a module or object with hookimpls) as imf would load it.

    :param name: the plugin's name in messages (default: the module's name).
    :raises PluginCheckError: listing every problem found, one per line.

    >>> import imf
    >>> class Good:
    ...     @imf.hookimpl
    ...     def imf_declare(self, incident):
    ...         return None
    >>> check_plugin(Good())
    >>> class Bad:
    ...     @imf.hookimpl
    ...     def imf_declared(self, incident):
    ...         return None
    >>> check_plugin(Bad(), "bad")
    Traceback (most recent call last):
      ...
    imf.testing.check.PluginCheckError: plugin 'bad' has 1 problem(s):
      - imf_declared: no hook named 'imf_declared' (did you mean imf_declare?)
    """
    label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
    problems = _hook_problems(plugin) + _config_problems(plugin) + _import_problems(plugin)
    if not problems:
        pm = pluggy.PluginManager("imf")
        pm.add_hookspecs(hookspecs)
        try:
            pm.register(plugin, name=label)
            pm.check_pending()
        except (pluggy.PluginValidationError, ValueError) as exc:
            problems.append(" ".join(str(exc).split()))
    if problems:
        raise PluginCheckError(label, problems)
