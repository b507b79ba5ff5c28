"""The bundled severity policy: the methodology's P1–P4, adjustable per organization.

Every value of every level can be overridden in ``[plugins.severity.levels.<NAME>]``;
``rename = { P1 = "SEV1", ... }`` renames levels; ``replace = true`` makes the levels in the
table the whole set. Classification thresholds live in ``[plugins.severity.classify]``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

import attrs

import imf
from imf_severity import levels as _defaults

#: The severity policy is always active unless ``[plugins.severity] enabled = false``.
IMF_ACTIVE_BY_DEFAULT = True

WarRoom = Literal["activate", "prepare", "none"]


@attrs.frozen
class LevelConfig:
    """Overrides of one level; unset values keep the default (or are required for new ones)."""

    rank: int | None = None
    title: dict[str, str] | None = None
    criteria: dict[str, str] | None = None
    examples: dict[str, str] | None = None
    response_target: timedelta | None = None
    update_min: timedelta | None = None
    update_max: timedelta | None = None
    war_room: WarRoom | None = None
    page: bool | None = None
    notify: list[str] | None = None
    required_roles: list[str] | None = None
    roles_within: timedelta | None = None
    verification_gate: bool | None = None
    postmortem_required: bool | None = None
    postmortem_due: timedelta | None = None


@attrs.frozen
class ClassifyConfig:
    """``[plugins.severity.classify]``: users-affected thresholds, in percent."""

    critical_users: float = 50.0
    high_users: float = 10.0
    medium_users: float = 0.0


@attrs.frozen
class SeverityConfig:
    """``[plugins.severity]``."""

    rename: dict[str, str] = attrs.field(factory=dict)
    replace: bool = False
    levels: dict[str, LevelConfig] = attrs.field(factory=dict)
    classify: ClassifyConfig = ClassifyConfig()


def default_levels() -> dict[str, dict[str, Any]]:
    """The methodology's levels as raw data (:mod:`imf_severity.levels`; a fresh copy on every
    call)."""
    return _defaults.levels()


def build_policy(config: SeverityConfig | None) -> imf.SeverityPolicy:
    """The policy: defaults, renamed, overridden (or replaced) by ``config``."""
    config = config or SeverityConfig()
    raw: dict[str, dict[str, Any]] = {}
    if not config.replace:
        for name, values in default_levels().items():
            raw[config.rename.get(name, name)] = dict(values)
    for name, override in config.levels.items():
        values = raw.setdefault(name, {})
        for field in attrs.fields(LevelConfig):
            value = getattr(override, field.name)
            if value is not None:
                values[field.name] = value
    for role_list in (v.get("required_roles", []) for v in raw.values()):
        for role in role_list:
            if role not in imf.ROLES:
                raise imf.ConfigError(
                    "severity.invalid_role", role=role, valid=", ".join(imf.ROLES)
                )
    levels = []
    for name, values in raw.items():
        if "rank" not in values:
            raise imf.ConfigError("severity.rank_required", level=name)
        levels.append(_level(name, values))
    ranks = [level.rank for level in levels]
    if len(set(ranks)) != len(ranks):
        raise imf.ConfigError("severity.duplicate_rank")
    if not levels:
        raise imf.ConfigError("severity.no_levels")
    rules = imf.ClassificationRules(
        critical_users=config.classify.critical_users,
        high_users=config.classify.high_users,
        medium_users=config.classify.medium_users,
    )
    return imf.SeverityPolicy(levels=tuple(sorted(levels, key=lambda lv: lv.rank)), rules=rules)


def _duration(value: Any) -> timedelta:
    return value if isinstance(value, timedelta) else imf.parse_duration(value)


def _level(name: str, v: dict[str, Any]) -> imf.SeverityLevel:
    update_max = _duration(v.get("update_max", timedelta(days=1)))
    return imf.SeverityLevel(
        name=name,
        rank=int(v["rank"]),
        titles=dict(v.get("title", {})),
        criteria=dict(v.get("criteria", {})),
        response_target=_duration(v.get("response_target", timedelta(hours=8))),
        update_min=_duration(v.get("update_min", update_max)),
        update_max=update_max,
        war_room=v.get("war_room", "none"),
        page=bool(v.get("page", False)),
        notify=tuple(v.get("notify", ())),
        required_roles=tuple(v.get("required_roles", ())),
        roles_within=_duration(v.get("roles_within", timedelta(minutes=15))),
        verification_gate=bool(v.get("verification_gate", False)),
        postmortem_required=bool(v.get("postmortem_required", False)),
        postmortem_due=_duration(v.get("postmortem_due", timedelta(days=5))),
    )


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.severity]`` is validated by :class:`SeverityConfig`."""
    return SeverityConfig


@imf.hookimpl
def imf_severity_policy(ctx: imf.PluginContext) -> imf.SeverityPolicy:
    """The methodology's P1–P4 with the organization's overrides."""
    return build_policy(ctx.config)


CATALOG = imf.Catalog(
    "severity",
    en={
        "severity.invalid_role": "plugins.severity: unknown role '{role}' (valid: {valid})",
        "severity.rank_required": "plugins.severity.levels.{level}: a new level needs a rank",
        "severity.duplicate_rank": "plugins.severity: two levels have the same rank",
        "severity.no_levels": "plugins.severity: no levels are defined",
    },
    ru={
        "severity.invalid_role": (
            "plugins.severity: неизвестная роль '{role}' (допустимые: {valid})"
        ),
        "severity.rank_required": "plugins.severity.levels.{level}: новому уровню нужен rank",
        "severity.duplicate_rank": "plugins.severity: у двух уровней одинаковый rank",
        "severity.no_levels": "plugins.severity: не задано ни одного уровня",
    },
)
