"""The plugin manager: discovery, blocking, validation, activation and per-plugin calls.

There is no module-global manager: :func:`create_host` builds one, and everything that needs
plugins is handed it (as pytest does with its config). Bundled plugins are found through the
``imf`` entry-point group exactly like third-party ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

import pluggy
from attrs import define, field

from imf import hookspecs
from imf.errors import PluginError

hookimpl = pluggy.HookimplMarker("imf")

#: A plugin module (or object) setting this attribute to True is active without a
#: ``[plugins.<name>]`` table (unless the table says ``enabled = false``).
ACTIVE_BY_DEFAULT_ATTR = "IMF_ACTIVE_BY_DEFAULT"


def active_by_default(plugin: object) -> bool:
    """Whether ``plugin`` is active when the configuration does not mention it."""
    return getattr(plugin, ACTIVE_BY_DEFAULT_ATTR, False) is True


@define
class PluginInfo:
    """What ``imf plugins`` reports about one installed plugin."""

    name: str
    module: str
    distribution: str = ""
    version: str = ""
    builtin: bool = False
    active: bool = False
    blocked: bool = False
    hooks: list[str] = field(factory=list)


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return list(entry_points(group="imf"))


def blocked_from_env() -> set[str]:
    """Names in ``IMF_DISABLE_PLUGINS`` (comma or space separated)."""
    raw = os.environ.get("IMF_DISABLE_PLUGINS", "")
    return {p for p in raw.replace(",", " ").split() if p}


class PluginHost:
    """A pluggy manager plus what imf knows about each plugin.

    :param blocked: plugin names not to load (``-p no:NAME``, ``IMF_DISABLE_PLUGINS``).
    :param extra: plugins to register in-process, name to module or object (tests, one-offs).
    :param load_entry_points: set False to load only ``extra``.
    """

    def __init__(
        self,
        blocked: Iterable[str] = (),
        extra: Mapping[str, object] | None = None,
        load_entry_points: bool = True,
    ) -> None:
        self.pm = pluggy.PluginManager("imf")
        self.pm.add_hookspecs(hookspecs)
        self.blocked = set(blocked)
        self.info: dict[str, PluginInfo] = {}
        self._inactive: dict[str, object] = {}
        eps = _entry_points() if load_entry_points else []
        known = {ep.name for ep in eps} | set(extra or {})
        unknown = sorted(self.blocked - known)
        if unknown:
            raise PluginError(
                "core.plugin_unknown_blocked",
                name=", ".join(unknown),
                installed=", ".join(sorted(known)) or "-",
            )
        for ep in eps:
            dist = getattr(ep, "dist", None)
            info = PluginInfo(
                name=ep.name,
                module=ep.value,
                distribution=dist.name if dist else "",
                version=dist.version if dist else "",
                builtin=bool(dist and dist.name == "imf"),
                blocked=ep.name in self.blocked,
            )
            self.info[ep.name] = info
            if info.blocked:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin must be named, whatever it raised
                raise PluginError(
                    "core.plugin_import_failed", name=ep.name, reason=_one_line(exc)
                ) from None
            self._register(ep.name, plugin)
        for name, plugin in (extra or {}).items():
            if name in self.blocked:
                self.info[name] = PluginInfo(name=name, module=_module_name(plugin), blocked=True)
                continue
            self.info[name] = PluginInfo(name=name, module=_module_name(plugin))
            self._register(name, plugin)
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                "core.plugin_invalid", name=self._name_of(exc.plugin), reason=_one_line(exc)
            ) from None

    def _register(self, name: str, plugin: object) -> None:
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError("core.plugin_invalid", name=name, reason=_one_line(exc)) from None
        except ValueError as exc:
            raise PluginError("core.plugin_invalid", name=name, reason=_one_line(exc)) from None
        self.info[name].hooks = sorted(
            caller.name for caller in self.pm.get_hookcallers(plugin) or ()
        )

    def _name_of(self, plugin: object) -> str:
        return self.pm.get_name(plugin) or _module_name(plugin)

    def names(self) -> list[str]:
        """Registered (loaded, not blocked) plugin names, including inactive ones."""
        return sorted([n for n, _ in self.pm.list_name_plugin()] + list(self._inactive))

    def plugin(self, name: str) -> object | None:
        """The registered plugin object called ``name``."""
        return self.pm.get_plugin(name) or self._inactive.get(name)

    def activate(self, active: Callable[[str], bool]) -> None:
        """Unregister every plugin for which ``active(name)`` is false (kept for reporting)."""
        for name, plugin in list(self.pm.list_name_plugin()):
            if plugin is None:
                continue
            if active(name):
                self.info[name].active = True
            else:
                self.pm.unregister(plugin)
                self._inactive[name] = plugin
                self.info[name].active = False

    def impls(self, hook: str) -> list[pluggy.HookImpl]:
        """The hookimpls of ``hook`` among active plugins, in pluggy's call order."""
        caller = getattr(self.pm.hook, hook)
        return list(reversed(caller.get_hookimpls()))

    def implementers(self, hook: str) -> list[str]:
        """Names of active plugins implementing ``hook``, in call order."""
        return [impl.plugin_name for impl in self.impls(hook)]

    def call_impl(self, impl: pluggy.HookImpl, **kwargs: Any) -> Any:
        """Call one hookimpl with the subset of ``kwargs`` it declares."""
        return impl.function(*[kwargs[arg] for arg in impl.argnames])

    def call_registration(self, hook: str, plugin: object, **kwargs: Any) -> Any:
        """Call ``hook`` on one plugin object, registered or not (None if it lacks the hook)."""
        function = getattr(plugin, hook, None)
        if function is None:
            return None
        import inspect

        params = inspect.signature(function).parameters
        return function(**{k: v for k, v in kwargs.items() if k in params})


def _module_name(plugin: object) -> str:
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__name__ not in text else text
