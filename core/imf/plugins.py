"""The plugin manager: discovery, blocking, validation, activation and per-plugin calls.

There is no module-global manager: :func:`create_host` builds one, and everything that needs
plugins is handed it (as pytest does with its config). Bundled plugins are found through the
``imf`` entry-point group exactly like third-party ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

from imf.errors import PluginError
from imf.records import Record, factory

if TYPE_CHECKING:
    import pluggy


def __getattr__(name: str) -> Any:
    # ``hookimpl`` lives with the hook specifications, which import pluggy: a host built for a
    # command that calls no plugin does without it.
    if name == "hookimpl":
        from imf.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'imf.plugins' has no attribute {name!r}")


#: A plugin module (or object) setting this attribute to True is active without a
#: ``[plugins.<name>]`` table (unless the table says ``enabled = false``).
ACTIVE_BY_DEFAULT_ATTR = "IMF_ACTIVE_BY_DEFAULT"


def active_by_default(plugin: object) -> bool:
    """Whether ``plugin`` is active when the configuration does not mention it."""
    return getattr(plugin, ACTIVE_BY_DEFAULT_ATTR, False) is True


class PluginInfo(Record):
    """What ``imf plugins`` reports about one installed plugin."""

    name: str
    module: str
    distribution: str = ""
    version: str = ""
    builtin: bool = False
    active: bool = False
    blocked: bool = False
    hooks: list[str] = factory(list)


class PluginHost:
    """A pluggy manager plus what imf knows about each plugin.

    Installed plugins are discovered through the ``imf`` entry-point group (with the cache of
    :mod:`imf.discovery`) but imported only when needed: when they are active, when they ship
    configuration defaults, or when asked for. A plugin is validated (``check_pending``) when
    it is registered.

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
        from imf.discovery import PluginCache

        self.blocked = set(blocked)
        self.info: dict[str, PluginInfo] = {}
        self.cache = PluginCache() if load_entry_points else None
        self._entry_points = self.cache.entry_points() if self.cache else {}
        self._loaded: dict[str, object] = {}
        self._registered: set[str] = set()
        known = set(self._entry_points) | set(extra or {})
        unknown = sorted(self.blocked - known)
        if unknown:
            raise PluginError(
                "core.plugin_unknown_blocked",
                name=", ".join(unknown),
                installed=", ".join(sorted(known)) or "-",
            )
        for name, ep in self._entry_points.items():
            record = self.cache.record(name) if self.cache else {}
            self.info[name] = PluginInfo(
                name=name,
                module=ep.value,
                distribution=ep.distribution,
                version=ep.version,
                builtin=ep.distribution == "imf",
                blocked=name in self.blocked,
                hooks=list(record.get("hooks") or []),
            )
        for name, plugin in (extra or {}).items():
            self.info[name] = PluginInfo(
                name=name, module=_module_name(plugin), blocked=name in self.blocked
            )
            if name not in self.blocked:
                self._loaded[name] = plugin
                self._learn(name, plugin)

    @cached_property
    def pm(self) -> pluggy.PluginManager:
        """The pluggy manager (made on first need: listing plugins needs no pluggy)."""
        import pluggy

        from imf import hookspecs

        pm = pluggy.PluginManager("imf")
        pm.add_hookspecs(hookspecs)
        return pm

    # --- loading ---------------------------------------------------------------------------

    def _learn(self, name: str, plugin: object) -> None:
        hooks = sorted(
            attr
            for attr in dir(plugin)
            if attr.startswith("imf_") and callable(getattr(plugin, attr, None))
        )
        self.info[name].hooks = hooks
        if self.cache is not None and name in self._entry_points:
            self.cache.learn(name, plugin, hooks, active_by_default(plugin))

    def plugin(self, name: str) -> object | None:
        """The plugin object called ``name``, imported on first use (None if blocked)."""
        if name in self._loaded:
            return self._loaded[name]
        if name in self.blocked or name not in self._entry_points:
            return None
        try:
            plugin: object = self._entry_points[name].load()
        except Exception as exc:  # a broken plugin must be named, whatever it raised
            raise PluginError(
                "core.plugin_import_failed", name=name, reason=_one_line(exc)
            ) from None
        self._loaded[name] = plugin
        self._learn(name, plugin)
        return plugin

    def might_implement(self, name: str, hook: str) -> bool:
        """Whether ``name`` implements ``hook``, without importing it when the cache knows."""
        if name in self._loaded or self.cache is None or name not in self._entry_points:
            return hook in self.info[name].hooks
        hooks = self.cache.record(name).get("hooks")
        return hooks is None or hook in hooks

    def is_active_by_default(self, name: str) -> bool:
        """Whether ``name`` is active without a configuration table."""
        if name not in self._loaded and self.cache is not None and name in self._entry_points:
            record = self.cache.record(name)
            if record.get("hooks") is not None:
                return bool(record.get("active_by_default"))
        return active_by_default(self.plugin(name))

    def names(self) -> list[str]:
        """Installed (or in-process) plugins that are not blocked, loaded or not."""
        return sorted(n for n, info in self.info.items() if not info.blocked)

    def activate(self, active: Callable[[str], bool]) -> None:
        """Register (importing and validating) every plugin for which ``active(name)``."""
        import pluggy

        for name in self.names():
            if not active(name):
                continue
            plugin = self.plugin(name)
            try:
                self.pm.register(plugin, name=name)
            except (pluggy.PluginValidationError, ValueError) as exc:
                raise PluginError("core.plugin_invalid", name=name, reason=_one_line(exc)) from None
            self._registered.add(name)
            self.info[name].active = True
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(
                "core.plugin_invalid", name=self._name_of(exc.plugin), reason=_one_line(exc)
            ) from None
        self.save()

    def validate_all(self) -> None:
        """Import and validate every plugin that is not blocked (``imf plugins``)."""
        import pluggy

        from imf import hookspecs

        probe = pluggy.PluginManager("imf")
        probe.add_hookspecs(hookspecs)
        for name in self.names():
            plugin = self.plugin(name)
            try:
                probe.register(plugin, name=name)
                probe.check_pending()
            except (pluggy.PluginValidationError, ValueError) as exc:
                raise PluginError("core.plugin_invalid", name=name, reason=_one_line(exc)) from None
            finally:
                if probe.is_registered(plugin):
                    probe.unregister(plugin)
        self.save()

    def save(self) -> None:
        """Persist what was learnt about plugins."""
        if self.cache is not None:
            self.cache.save()

    def _name_of(self, plugin: object) -> str:
        return self.pm.get_name(plugin) or _module_name(plugin)

    # --- calling ---------------------------------------------------------------------------

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
