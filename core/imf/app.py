"""The running application: configuration, plugins, severity policy, store and service.

``App.create()`` is what the CLI does on every command; a bot or service embedding imf does
the same and then uses ``app.service`` (see :mod:`imf.lifecycle`).

Everything is built on first use: a command that only reads the store (``imf list``) never
imports a plugin, and one that changes an incident imports the active plugins once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from imf.clock import utcnow
from imf.config import DEFAULTS_SOURCE, Config, Layer, build_config, file_layers
from imf.discovery import blocked_from_env
from imf.errors import ConfigError, PluginError
from imf.i18n import normalize_language, translate
from imf.plugins import PluginHost

if TYPE_CHECKING:
    from pathlib import Path

    from imf.context import PluginContext
    from imf.model import Incident, SeverityPolicy


class App:
    """Everything a command needs, built once per process.

    Use :meth:`create`; the constructor takes already-built parts. The active plugins are
    imported, registered and their configuration validated on first use of :attr:`host`,
    :attr:`plugin_configs`, :attr:`policy` or anything built on them; :meth:`load_plugins`
    does it explicitly (a plugin error is raised there).
    """

    def __init__(
        self,
        config: Config,
        host: PluginHost,
        *,
        lang: str,
        actor: str,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.config = config
        self._host = host
        self.lang = lang
        self.actor = actor
        self.clock = clock
        self._plugin_configs: dict[str, Any] | None = None
        self._asking_policy = False

    @classmethod
    def create(
        cls,
        *,
        config_path: str | None = None,
        store: str | None = None,
        lang: str | None = None,
        blocked: Iterable[str] = (),
        extra_plugins: Mapping[str, object] | None = None,
        load_entry_points: bool = True,
        actor: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        cwd: Path | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> App:
        """Load configuration and find plugins the way the ``imf`` command does.

        The configuration files and the ``[imf]`` table are read and validated here; plugins
        are imported when first needed (see :meth:`load_plugins`).

        :param config_path: an explicit config file (``--config``; else ``IMF_CONFIG``).
        :param store: a store URL overriding ``[imf] store`` (``--store``; else ``IMF_STORE``).
        :param lang: ``en`` or ``ru`` overriding ``[imf] language`` (``--lang``).
        :param blocked: plugins not to load (``-p no:NAME``), added to ``IMF_DISABLE_PLUGINS``.
        :param extra_plugins: plugin objects to register in-process, by name.
        :param overrides: a top layer of configuration data (like an ``imf.toml``).
        :param clock: the current time; when left as the real clock and ``IMF_NOW`` is set
            (an ISO time), the clock is stopped at that time — a testing aid for subprocess
            tests and reproducible examples, never meant for production.
        """
        host = PluginHost(
            blocked=set(blocked) | blocked_from_env(),
            extra=extra_plugins,
            load_entry_points=load_entry_points,
        )
        layers = [Layer(DEFAULTS_SOURCE, {"imf": {}})]
        for name in host.names():
            if not host.might_implement(name, "imf_default_config"):
                continue
            plugin = host.plugin(name)
            data = host.call_registration("imf_default_config", plugin)
            if data:
                info = host.info[name]
                label = f"distribution {info.distribution or name}"
                layers.append(Layer(label, _plain(data)))
        layers.extend(file_layers(config_path, cwd))
        if overrides:
            layers.append(Layer("overrides", _plain(overrides)))
        flags: dict[str, Any] = {}
        store = store or os.environ.get("IMF_STORE")
        if store:
            flags["store"] = store
        if lang:
            flags["language"] = normalize_language(lang)
        if flags:
            layers.append(Layer("command line", {"imf": flags}))
        config = build_config(layers)
        for name, table in config.plugin_tables.items():
            if name not in host.info and table.get("enabled", True) is not False:
                raise ConfigError(
                    "core.config_unknown_plugin",
                    key=f"plugins.{name}",
                    where=config.where(f"plugins.{name}"),
                    installed=", ".join(sorted(host.info)) or "-",
                )
        language = config.core.language
        who = actor or os.environ.get("IMF_ACTOR") or config.core.actor or _login()
        if clock is utcnow and os.environ.get("IMF_NOW"):
            clock = fixed_clock(os.environ["IMF_NOW"])
        host.save()  # what was learnt about plugins, even if none is loaded after this
        return cls(config, host, lang=language, actor=who, clock=clock)

    # --- plugins ---------------------------------------------------------------------------

    def load_plugins(self) -> None:
        """Import and register the active plugins and validate their configuration (once).

        A plugin is active when its ``[plugins.<name>]`` table is present and not
        ``enabled = false``, or when it is active by default and not switched off.
        """
        if self._plugin_configs is not None:
            return
        host, config = self._host, self.config

        def active(name: str) -> bool:
            if host.is_active_by_default(name):
                return config.plugin_tables.get(name, {}).get("enabled", True) is not False
            return config.plugin_enabled(name)

        host.activate(active)
        self._plugin_configs = self._validate_plugins()

    @property
    def host(self) -> PluginHost:
        """The plugin host, with the active plugins loaded."""
        self.load_plugins()
        return self._host

    @property
    def plugin_configs(self) -> dict[str, Any]:
        """Validated configuration of each active plugin (None for a plugin without a
        configuration class)."""
        self.load_plugins()
        assert self._plugin_configs is not None
        return self._plugin_configs

    @cached_property
    def policy(self) -> SeverityPolicy:
        """The severity policy (the first active plugin's answer to ``imf_severity_policy``)."""
        return self._ask_policy()

    def _validate_plugins(self) -> dict[str, Any]:
        validator = self.config.validator()
        configs: dict[str, Any] = {}
        host = self._host
        for name in host.names():
            if not host.info[name].active:
                continue
            plugin = host.plugin(name)
            config_class = host.call_registration("imf_config_class", plugin)
            table = dict(self.config.plugin_tables.get(name, {}))
            table.pop("enabled", None)
            if config_class is None:
                if table:
                    first = sorted(table)[0]
                    raise ConfigError(
                        "core.config_unknown_key",
                        key=f"plugins.{name}.{first}",
                        where=self.config.where(f"plugins.{name}.{first}"),
                        known="enabled",
                    )
                configs[name] = None
                continue
            configs[name] = validator.build(config_class, table, f"plugins.{name}")
        return configs

    def secret_keys(self) -> set[str]:
        """Dotted keys of configuration values that are secrets (for redaction)."""
        from imf.secrets import Secret
        from imf.validate import table_fields

        keys: set[str] = set()

        def walk(value: Any, dotted: str) -> None:
            if isinstance(value, Secret):
                keys.add(dotted)
            elif table_fields(type(value)) is not None:
                for name, key in table_fields(type(value)) or ():
                    walk(getattr(value, name), f"{dotted}.{key}")
            elif isinstance(value, Mapping):
                for k, v in value.items():
                    walk(v, f"{dotted}.{k}")
            elif isinstance(value, list | tuple):
                for v in value:
                    walk(v, dotted)

        for name, cfg in self.plugin_configs.items():
            walk(cfg, f"plugins.{name}")
        return keys

    def context(self, name: str, incident: Incident | None = None) -> PluginContext:
        """The :class:`PluginContext` for plugin ``name`` (and ``incident``)."""
        from imf.context import PluginContext

        return PluginContext(
            name=name,
            config=self.plugin_configs.get(name),
            lang=self.lang,
            # The policy plugin itself is asked with no policy yet.
            policy=None if self._asking_policy else self.policy,
            refs=dict(incident.refs.get(name, {})) if incident is not None else {},
            organization=self.config.core.organization,
            timeout=self.config.core.delivery.timeout,
            now=self.clock(),
        )

    def _ask_policy(self) -> SeverityPolicy:
        host = self.host
        self._asking_policy = True
        try:
            for impl in host.impls("imf_severity_policy"):
                policy = host.call_impl(impl, ctx=self.context(impl.plugin_name))
                if policy is not None:
                    return policy  # type: ignore[no-any-return]
        finally:
            self._asking_policy = False
        raise PluginError("core.no_severity_policy")

    # --- store and service -----------------------------------------------------------------

    @cached_property
    def store(self) -> Any:
        """The store (opened on first use)."""
        from imf.store import is_builtin_url, open_store

        url = self.config.core.store
        # Plugins are loaded only for a URL a plugin's backend must open.
        return open_store(url, None if is_builtin_url(url) else self.host)

    @cached_property
    def dispatcher(self) -> Any:
        """The outbox dispatcher."""
        from imf.delivery import Dispatcher

        return Dispatcher(self.store, self.host, self.context, self.config, self.clock)

    @cached_property
    def service(self) -> Any:
        """The lifecycle service (:class:`imf.lifecycle.IncidentService`)."""
        from imf.lifecycle import IncidentService

        dispatcher = self.dispatcher

        def gate(incident: Incident) -> Any:
            from imf.ics.checklists import app_gate  # only when resolving

            return app_gate(self)(incident)

        def deliver(incident_id: str, ids: list[int]) -> Any:
            from imf.delivery import Report

            if not ids:
                return Report()
            report = dispatcher.run(incident_id=incident_id, ids=ids)
            attempted = {o.delivery_id for o in report.outcomes}
            if attempted.issuperset(ids):
                return report  # nothing of this change waits behind earlier deliveries
            waiting = self.store.deliveries(incident_id=incident_id, states=("pending",))
            report.queued = sorted(
                {d.plugin for d in waiting if d.id in ids and d.id not in attempted}
            )
            return report

        return IncidentService(
            self.store,
            self.policy,
            dispatcher.targets,
            deliver,
            self.actor,
            self.clock,
            gate=gate,
        )

    def t(self, key: str, /, **params: Any) -> str:
        """Translate ``key`` into the active language."""
        return translate(key, self.lang, **params)

    def close(self) -> None:
        """Close the store and the shared HTTP client."""
        if "store" in self.__dict__:
            self.store.close()
        http = sys.modules.get("imf.http")  # never imported by commands that sent nothing
        if http is not None:
            http.close_shared_client()


def fixed_clock(value: str) -> Callable[[], datetime]:
    """A clock stopped at ISO time ``value`` (what ``IMF_NOW`` sets; see :meth:`App.create`)."""
    from imf.clock import as_utc

    try:
        now = as_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        raise ConfigError("ics.bad_imf_now", value=value) from None
    return lambda: now


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) if isinstance(v, Mapping) else v for k, v in data.items()}


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
