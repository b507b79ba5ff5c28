"""War room activation and phase checklists, as data, and the verification gate of resolve.

The bundled checklists (``data/checklists.toml``) are the methodology's: ``war-room``,
``triage``, ``investigation``, ``mitigation``, ``communication`` and ``verification``. Plugins
contribute more through the ``imf_checklists`` hook and organizations extend or replace any
of them in ``[imf.checklists.<name>]``; all three use the same table shape
(:class:`imf.config.ChecklistConfig`). An item's state is the last ``checked``/``unchecked``
event recorded for its id (``incident.checks``); an item tied to a role is done while
someone holds the role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from importlib import resources
from typing import Any

from attrs import field, frozen

from imf.config import ChecklistConfig, ChecklistItemConfig
from imf.errors import ConfigError, UsageError
from imf.ics.text import Text, as_text, localize
from imf.model import ROLES, Incident, SeverityLevel, SeverityPolicy
from imf.validate import Validator

#: Bundled checklists in the order of the response; ``imf checklist ID PHASE`` takes these.
PHASES: tuple[str, ...] = (
    "war-room",
    "triage",
    "investigation",
    "mitigation",
    "communication",
    "verification",
)
PHASE_ALIASES = {
    "warroom": "war-room",
    "detection": "triage",
    "diagnosis": "investigation",
    "resolution": "mitigation",
    "monitoring": "verification",
}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@frozen
class ChecklistItem:
    """One item; ``id`` is the full id (``verification.error-rate-baseline``)."""

    id: str
    text: Text
    section: Text = field(factory=dict)
    command: str = ""
    role: str = ""
    when: str = "always"

    def applies(self, incident: Incident) -> bool:
        """Whether the item is part of the checklist for ``incident``."""
        return self.when != "customer-facing" or incident.customer_facing

    def label(self, lang: str, incident_id: str = "") -> str:
        """The item's text in ``lang``."""
        return localize(self.text, lang, incident_id=incident_id)


@frozen
class Checklist:
    """A named list of items (a phase checklist, or an attached playbook's steps)."""

    name: str
    title: Text
    items: tuple[ChecklistItem, ...]
    when: str = "always"
    gates_resolve: bool = False
    playbook: bool = False

    def applies(self, level: SeverityLevel | None) -> bool:
        """Whether the checklist is used at ``level`` (war room ones need a war room)."""
        return self.when != "war-room" or (level is not None and level.war_room != "none")


@frozen
class ItemState:
    """An item as it stands on one incident."""

    item: ChecklistItem
    checked: bool
    by: str = ""
    at: datetime | None = None
    holders: tuple[str, ...] = ()


def bundled_data() -> dict[str, Any]:
    """The bundled checklists as raw TOML data (``{name: table}``)."""
    import tomllib

    text = resources.files("imf.ics").joinpath("data/checklists.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)["checklists"]
    return data


def parse_layer(data: Any, source: str, key: str) -> dict[str, ChecklistConfig]:
    """Validate raw checklist tables (bundled or from a plugin); errors name ``source``."""
    validator = Validator(_fixed(source))
    parsed: dict[str, ChecklistConfig] = validator.convert(dict[str, ChecklistConfig], data, key)
    return parsed


def _check_id(value: str, key: str, where: Callable[[str], str]) -> None:
    if not ID_PATTERN.match(value):
        raise ConfigError("ics.config_bad_id", where=where(key), key=key, value=value)


def _item(
    name: str, spec: ChecklistItemConfig, key: str, where: Callable[[str], str]
) -> ChecklistItem:
    _check_id(spec.id, f"{key}.id", where)
    if spec.role and spec.role not in ROLES:
        raise ConfigError(
            "ics.config_bad_role",
            where=where(f"{key}.role"),
            key=f"{key}.role",
            value=spec.role,
            valid=", ".join(ROLES),
        )
    text = as_text(spec.text)
    if not any(v.strip() for v in text.values()):
        raise ConfigError("core.config_missing_key", where=where(f"{key}.text"), key=f"{key}.text")
    return ChecklistItem(
        id=f"{name}.{spec.id}",
        text=text,
        section=as_text(spec.section),
        command=spec.command,
        role=spec.role,
        when=spec.when,
    )


def merge(
    checklists: dict[str, Checklist],
    layer: Mapping[str, ChecklistConfig],
    key: str,
    where: Callable[[str], str],
) -> None:
    """Apply one layer of checklist tables to ``checklists`` in place.

    :param key: the dotted key of the layer's table (``imf.checklists``), for errors.
    :param where: gives the source of a dotted key, for errors.
    """
    for name, spec in layer.items():
        table = f"{key}.{name}"
        _check_id(name, table, where)
        current = checklists.get(name)
        items: list[ChecklistItem] = [] if current is None or spec.replace else list(current.items)
        for index, removed in enumerate(spec.remove):
            full = f"{name}.{removed}"
            if not any(i.id == full for i in items):
                raise ConfigError(
                    "ics.config_unknown_item",
                    where=where(f"{table}.remove"),
                    key=f"{table}.remove[{index}]",
                    value=removed,
                )
            items = [i for i in items if i.id != full]
        seen: set[str] = set()
        for index, item_spec in enumerate(spec.items):
            item = _item(name, item_spec, f"{table}.items[{index}]", where)
            if item.id in seen:
                raise ConfigError(
                    "ics.config_duplicate_id",
                    where=where(f"{table}.items"),
                    key=f"{table}.items[{index}].id",
                    value=item_spec.id,
                )
            seen.add(item.id)
            positions = [n for n, existing in enumerate(items) if existing.id == item.id]
            if positions:
                items[positions[0]] = item
            else:
                items.append(item)
        title = as_text(spec.title) or (current.title if current else {"en": name})
        checklists[name] = Checklist(
            name=name,
            title=title,
            items=tuple(items),
            when=spec.when or (current.when if current else "always"),
            gates_resolve=(
                spec.gates_resolve
                if spec.gates_resolve is not None
                else bool(current and current.gates_resolve)
            ),
        )


def _fixed(source: str) -> Callable[[str], str]:
    """A ``where`` that names ``source`` for every key."""
    return lambda _key: source


def bundled() -> dict[str, Checklist]:
    """The bundled checklists alone."""
    checklists: dict[str, Checklist] = {}
    source = "bundled checklists"
    merge(
        checklists, parse_layer(bundled_data(), source, "checklists"), "checklists", _fixed(source)
    )
    return checklists


def for_app(app: Any) -> dict[str, Checklist]:
    """Bundled checklists, then plugins' (``imf_checklists``), then ``[imf.checklists]``."""
    checklists = bundled()
    for impl in app.host.impls("imf_checklists"):
        data = app.host.call_impl(impl)
        if not data:
            continue
        source = f"plugin {impl.plugin_name}"
        merge(checklists, parse_layer(data, source, "checklists"), "checklists", _fixed(source))
    merge(checklists, app.config.core.checklists, "imf.checklists", app.config.where)
    return checklists


def ordered(checklists: Mapping[str, Checklist]) -> list[Checklist]:
    """Bundled phases in response order, then the others by name."""
    rank = {name: n for n, name in enumerate(PHASES)}
    return sorted(checklists.values(), key=lambda c: (rank.get(c.name, len(rank)), c.name))


def states(checklist: Checklist, incident: Incident) -> list[ItemState]:
    """The state of each item of ``checklist`` that applies to ``incident``."""
    result = []
    for item in checklist.items:
        if not item.applies(incident):
            continue
        holders = incident.holders(item.role) if item.role else ()
        check = incident.checks.get(item.id)
        if holders:
            result.append(ItemState(item, True, holders=holders))
        elif check is not None and check.checked:
            result.append(ItemState(item, True, by=check.by, at=check.at))
        else:
            result.append(ItemState(item, False))
    return result


def unchecked_gate(
    checklists: Iterable[Checklist], incident: Incident, level: SeverityLevel | None
) -> list[str]:
    """Ids of the unchecked items that keep ``incident`` from being resolved (none when its
    level has no verification gate)."""
    if level is None or not level.verification_gate:
        return []
    return [
        state.item.id
        for checklist in checklists
        if checklist.gates_resolve and checklist.applies(level)
        for state in states(checklist, incident)
        if not state.checked
    ]


def default_gate(policy: SeverityPolicy) -> Callable[[Incident], list[str]]:
    """The resolve gate over the bundled checklists (for a service built without an app)."""
    checklists = list(bundled().values())
    return lambda incident: unchecked_gate(checklists, incident, policy.find(incident.severity))


def app_gate(app: Any) -> Callable[[Incident], list[str]]:
    """The resolve gate over the app's checklists (read when a resolve asks)."""
    return lambda incident: unchecked_gate(
        for_app(app).values(), incident, app.policy.find(incident.severity)
    )


def phase_name(value: str) -> str:
    """The checklist name for a phase typed by a user (``detection`` → ``triage``)."""
    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    return PHASE_ALIASES.get(key, key)


def incident_checklists(app: Any, incident: Incident) -> list[Checklist]:
    """The checklists of ``incident``: phases that apply at its level, then the steps of its
    attached playbooks."""
    from imf.ics.playbooks import as_checklist, discover

    level = app.policy.find(incident.severity)
    result = [c for c in ordered(for_app(app)) if c.applies(level)]
    if incident.playbooks:
        found = discover(app)
        for name in incident.playbooks:
            if name in found.playbooks:
                result.append(as_checklist(found.playbooks[name]))
    return result


def find_item(checklists: Sequence[Checklist], incident: Incident, wanted: str) -> ChecklistItem:
    """The item called ``wanted``: its full id or an unambiguous last part
    (``error-rate-baseline``); a UsageError naming the candidates otherwise."""
    items = [i for c in checklists for i in c.items if i.applies(incident)]
    text = wanted.strip()
    for item in items:
        if item.id == text:
            return item
    matches = [i for i in items if i.id.endswith("." + text)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(
            "ics.item_ambiguous", value=wanted, candidates=", ".join(i.id for i in matches)
        )
    raise UsageError("ics.item_unknown", value=wanted, id=incident.id)
