"""Layered TOML configuration.

Layers, lowest first: built-in defaults < installed distributions' defaults (the
``imf_default_config`` hook) < ``/etc/imf/imf.toml`` < the user config directory <
``./imf.toml`` < ``IMF_CONFIG`` or ``--config`` < command-line flags. Tables merge key by key;
every value remembers the layer it came from, so errors and ``imf config show`` can say where.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from imf.errors import ConfigError
from imf.records import Record, factory
from imf.validate import Validator

if TYPE_CHECKING:
    from pathlib import Path

DEFAULTS_SOURCE = "built-in defaults"
SYSTEM_CONFIG = "/etc/imf/imf.toml"


class DeliveryConfig(Record, frozen=True):
    """``[imf.delivery]``: how the outbox calls plugins and retries them.

    :ivar timeout: seconds one plugin call may take before it counts as failed (retried).
    :ivar max_parallel: plugin calls made at the same time (1 calls them one after another).
    :ivar max_attempts: attempts before a delivery is given up as dead.
    :ivar max_age: how long after its event a delivery is still tried (``"24h"``).
    :ivar backoff_base: seconds before the first retry; doubled at each attempt, with jitter.
    :ivar backoff_max: the longest wait between attempts, in seconds.
    :ivar lease: seconds a worker holds the deliveries it claimed (at least twice the
        timeout); a worker that dies mid-send loses them to others after that.
    """

    timeout: float = 5.0
    max_parallel: int = 16
    max_attempts: int = 15
    max_age: timedelta = timedelta(hours=24)
    backoff_base: float = 2.0
    backoff_max: float = 900.0
    lease: float = 60.0


class ChecklistItemConfig(Record, frozen=True):
    """One checklist item: ``{ id = "canary-green", text = { en = "...", ru = "..." } }``.

    :ivar id: stable within its checklist (``[a-z0-9-]``); ``imf check`` records
        ``<checklist>.<id>``. An item with the id of an existing one replaces it in place.
    :ivar text: the item, a string or a table of language to text; ``{id}`` becomes the
        incident id.
    :ivar section: an optional heading the item is shown under.
    :ivar command: an optional command to show with the item.
    :ivar role: the item is done while someone holds this ICS role (no check needed).
    :ivar when: ``customer-facing`` limits the item to customer-facing incidents.
    """

    id: str
    text: str | dict[str, str]
    section: str | dict[str, str] = ""
    command: str = ""
    role: str = ""
    when: Literal["always", "customer-facing"] = "always"


class ChecklistConfig(Record, frozen=True):
    """``[imf.checklists.<name>]``: extends a bundled checklist, replaces it, or adds one.

    Bundled checklists: ``war-room``, ``triage``, ``investigation``, ``mitigation``,
    ``communication``, ``verification``.

    :ivar title: the display title (kept from the bundled checklist when empty).
    :ivar items: items added (or replacing items with the same id).
    :ivar remove: ids of items to drop.
    :ivar replace: the items given here are the whole checklist.
    :ivar when: ``war-room`` shows the checklist only for severities with a war room.
    :ivar gates_resolve: its unchecked items block ``imf resolve`` for severities with a
        verification gate (the bundled ``verification`` checklist does).
    """

    title: str | dict[str, str] = ""
    items: list[ChecklistItemConfig] = factory(list)
    remove: list[str] = factory(list)
    replace: bool = False
    when: Literal["always", "war-room"] | None = None
    gates_resolve: bool | None = None


class EscalationRuleConfig(Record, frozen=True):
    """``[[imf.escalation]]``: "unresolved after 1h → escalate to the VP of engineering".

    ``imf due`` reports the rule (and ``imf due --watch`` records one reminder) once an open
    incident of one of ``severities`` (all when empty) is ``after`` past its declaration.

    :ivar id: names the rule in reminders (``[a-z0-9-]``).
    :ivar after: how long after the declaration the rule fires.
    :ivar to: who to escalate to.
    :ivar text: what to do, a string or a table of language to text.
    :ivar severities: the severity levels the rule applies to.
    """

    id: str
    after: timedelta
    to: str
    text: str | dict[str, str] = ""
    severities: list[str] = factory(list)


class CoreConfig(Record, frozen=True):
    """``[imf]``: the core's own settings.

    :ivar playbook_dir: a directory of the organization's playbooks (``*.toml``), relative to
        the file that sets it; they override bundled playbooks of the same name.
    :ivar checklists: checklist extensions and replacements by checklist name.
    :ivar escalation: organization-wide escalation rules.
    """

    organization: str = ""
    store: str = ""
    language: Literal["en", "ru"] = "en"
    actor: str = ""
    output_dir: str = ""
    delivery: DeliveryConfig = factory(DeliveryConfig)
    playbook_dir: str = ""
    checklists: dict[str, ChecklistConfig] = factory(dict)
    escalation: list[EscalationRuleConfig] = factory(list)


def user_config_file() -> str:
    """``imf.toml`` in the user's config directory (platform conventions)."""
    from imf.dirs import user_config_dir

    return os.path.join(user_config_dir(), "imf.toml")


def toml_syntax_error(exc: ValueError) -> tuple[int | None, int | None, str]:
    """Line, column and reason of a ``tomllib.TOMLDecodeError``, the position taken out of
    the message (line and column are None when it names none, as at the end of the text)."""
    message = str(exc)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message
    if match is None:
        return None, None, reason
    return int(match.group(1)), int(match.group(2)), reason


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text; a syntax error names ``source`` with line and column."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found_line, found_column, reason = toml_syntax_error(exc)
        line = "?" if found_line is None else found_line
        column = "?" if found_column is None else found_column
        raise ConfigError(
            "core.config_syntax", where=source, line=line, column=column, reason=reason
        ) from None


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and parse a TOML file; errors name the file."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise ConfigError("core.config_not_utf8", where=str(path)) from None
    except OSError as exc:
        raise ConfigError(
            "core.config_unreadable", where=str(path), reason=exc.strerror or str(exc)
        ) from None
    return parse_toml(text, str(path))


class Layer:
    """One source of configuration: a label (a file's path), its data, the file."""

    __slots__ = ("data", "path", "source")

    def __init__(self, source: str, data: dict[str, Any], path: Path | None = None) -> None:
        self.source = source
        self.data = data
        self.path = path

    def __repr__(self) -> str:
        return f"Layer(source={self.source!r}, data={self.data!r}, path={self.path!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Layer):
            return NotImplemented
        return (self.source, self.data, self.path) == (other.source, other.data, other.path)

    __hash__ = None  # type: ignore[assignment]


class Config:
    """The merged configuration and where each value came from.

    :ivar data: the merged tables.
    :ivar sources: dotted key to the label of the layer that set it.
    :ivar dirs: dotted key to the directory of the file that set it.
    :ivar layers: the layers, lowest first.
    :ivar core: the validated ``[imf]`` table.
    """

    def __init__(
        self,
        data: dict[str, Any] | None = None,
        sources: dict[str, str] | None = None,
        dirs: dict[str, Path] | None = None,
        layers: list[Layer] | None = None,
        core: CoreConfig | None = None,
    ) -> None:
        self.data = {} if data is None else data
        self.sources = {} if sources is None else sources
        self.dirs = {} if dirs is None else dirs
        self.layers = [] if layers is None else layers
        self.core = CoreConfig() if core is None else core

    def __repr__(self) -> str:
        return f"Config(data={self.data!r}, core={self.core!r})"

    def where(self, dotted: str) -> str:
        """The source of dotted key ``dotted`` (or of its nearest parent)."""
        key = dotted
        while key:
            if key in self.sources:
                return self.sources[key]
            key = key.rpartition(".")[0].split("[", 1)[0]
        return DEFAULTS_SOURCE

    def base_dir(self, dotted: str) -> Path | None:
        """The directory of the file that set ``dotted`` (for relative paths in values)."""
        key = dotted
        while key:
            if key in self.dirs:
                return self.dirs[key]
            key = key.rpartition(".")[0].split("[", 1)[0]
        return None

    def validator(self) -> Validator:
        """A validator whose errors name this config's sources."""
        return Validator(self.where, self.base_dir)

    @property
    def plugin_tables(self) -> dict[str, dict[str, Any]]:
        """The raw ``[plugins.<name>]`` tables."""
        plugins = self.data.get("plugins", {})
        return {k: v for k, v in plugins.items() if isinstance(v, dict)}

    def plugin_enabled(self, name: str) -> bool:
        """A plugin is enabled when its table is present and not ``enabled = false``."""
        table = self.plugin_tables.get(name)
        return table is not None and table.get("enabled", True) is not False


def merge_into(
    target: dict[str, Any],
    data: Mapping[str, Any],
    layer: Layer,
    sources: dict[str, str],
    dirs: dict[str, Path],
    prefix: str = "",
) -> None:
    """Merge ``data`` into ``target`` key by key, recording each leaf's source."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and not _is_secret_ref(value):
            existing = target.get(key)
            if not isinstance(existing, dict):
                existing = target[key] = {}
            sources.setdefault(dotted, layer.source)
            if layer.path is not None:
                dirs.setdefault(dotted, layer.path.parent)
            merge_into(existing, value, layer, sources, dirs, dotted + ".")
        else:
            target[key] = value
            sources[dotted] = layer.source
            if layer.path is not None:
                dirs[dotted] = layer.path.parent


def _is_secret_ref(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and ("env" in value or "file" in value)


def file_layers(explicit: str | None = None, cwd: Path | None = None) -> list[Layer]:
    """The file layers that exist, lowest first."""
    here = os.fspath(cwd) if cwd is not None else os.getcwd()
    candidates = [SYSTEM_CONFIG, user_config_file(), os.path.join(here, "imf.toml")]
    chosen = explicit or os.environ.get("IMF_CONFIG")
    if chosen:
        chosen = os.path.expanduser(chosen)
        if not os.path.isfile(chosen):
            raise ConfigError("core.config_not_found", where=chosen)
    found = [c for c in candidates if os.path.isfile(c)] + ([chosen] if chosen else [])
    if not found:
        return []
    from pathlib import Path  # only with a file to read: Layer.path, Config.dirs

    return [Layer(name, read_toml(name), Path(name)) for name in found]


def _always(source: str) -> Callable[[str], str]:
    """A ``where`` callable naming one source for every key."""
    return lambda key: source


def build_config(layers: Iterable[Layer]) -> Config:
    """Merge ``layers`` (lowest first) and validate the ``[imf]`` table."""
    config = Config()
    for layer in layers:
        if not isinstance(layer.data, Mapping):
            continue
        config.layers.append(layer)
        for top in layer.data:
            if top not in ("imf", "plugins"):
                raise ConfigError(
                    "core.config_unknown_key", key=top, where=layer.source, known="imf, plugins"
                )
        core = layer.data.get("imf", {})
        if core:
            # Check each file on its own too: a value overridden by a higher layer is still
            # an error in the file that holds it.
            Validator(_always(layer.source)).build(CoreConfig, core, "imf")
        merge_into(config.data, layer.data, layer, config.sources, config.dirs)
    config.core = config.validator().build(CoreConfig, config.data.get("imf", {}), "imf")
    plugins = config.data.get("plugins", {})
    if not isinstance(plugins, dict):
        raise ConfigError(
            "core.config_expected_table", key="plugins", where=config.where("plugins")
        )
    for name, table in plugins.items():
        if not isinstance(table, dict):
            raise ConfigError(
                "core.config_expected_table",
                key=f"plugins.{name}",
                where=config.where(f"plugins.{name}"),
            )
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ConfigError(
                "core.config_expected_bool",
                key=f"plugins.{name}.enabled",
                where=config.where(f"plugins.{name}.enabled"),
            )
    return config


def redacted(config: Config, secret_keys: Iterable[str] = ()) -> dict[str, Any]:
    """The merged data with every secret reference shown as a description."""
    from imf import secrets

    hidden = set(secret_keys)

    def walk(value: Any, dotted: str) -> Any:
        if isinstance(value, Mapping):
            if _is_secret_ref(value) or dotted in hidden:
                return secrets.describe(value)
            return {k: walk(v, f"{dotted}.{k}" if dotted else k) for k, v in value.items()}
        if dotted in hidden:
            return secrets.describe(value)
        if isinstance(value, list):
            return [walk(v, dotted) for v in value]
        return value

    result: dict[str, Any] = walk(config.data, "")
    store = result.get("imf", {}).get("store")
    if isinstance(store, str) and store:
        from imf.store import display_url

        result["imf"]["store"] = display_url(store)
    return result
