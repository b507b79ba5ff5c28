"""The methodology's severity levels as Python data: what ``levels.toml`` says.

``levels.toml`` is the readable source; this copy is what the plugin loads, so that no
command parses TOML to learn the defaults (``tests/plugins/severity`` checks both agree).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

#: The durations the default levels use, as :func:`imf.parse_duration` reads them (a look-up
#: costs less than compiling the duration pattern on every command).
DURATIONS = {
    "15m": timedelta(minutes=15),
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "2h": timedelta(hours=2),
    "4h": timedelta(hours=4),
    "8h": timedelta(hours=8),
    "1d": timedelta(days=1),
    "5d": timedelta(days=5),
    "7d": timedelta(days=7),
    "14d": timedelta(days=14),
    "30d": timedelta(days=30),
}


def levels() -> dict[str, dict[str, Any]]:
    """A fresh copy of the default levels, by name (the caller may change it)."""
    return {
        "P1": {
            "rank": 1,
            "title": {"en": "Critical", "ru": "Критический"},
            "criteria": {
                "en": "Full outage of a critical service, data loss, security breach",
                "ru": "Полный outage критического сервиса, потеря данных, нарушение безопасности",
            },
            "examples": {
                "en": "Production database completely unavailable, major data breach",
                "ru": "Полная недоступность продакшн-БД, крупная утечка данных",
            },
            "response_target": "15m",
            "update_min": "15m",
            "update_max": "30m",
            "war_room": "activate",
            "page": True,
            "notify": ["on-call", "incident-commander", "executives", "customer-support"],
            "required_roles": ["commander", "comms-lead", "scribe"],
            "roles_within": "15m",
            "verification_gate": True,
            "postmortem_required": True,
            "postmortem_due": "5d",
        },
        "P2": {
            "rank": 2,
            "title": {"en": "High", "ru": "Высокий"},
            "criteria": {
                "en": "Serious degradation, partial outage",
                "ru": "Серьёзное ухудшение, частичный outage",
            },
            "examples": {
                "en": "Significant performance degradation, intermittent failures",
                "ru": "Значительная деградация производительности, периодические сбои",
            },
            "response_target": "30m",
            "update_min": "30m",
            "update_max": "1h",
            "war_room": "prepare",
            "page": True,
            "notify": ["on-call", "team-lead"],
            "required_roles": ["commander"],
            "roles_within": "30m",
            "verification_gate": True,
            "postmortem_required": True,
            "postmortem_due": "7d",
        },
        "P3": {
            "rank": 3,
            "title": {"en": "Medium", "ru": "Средний"},
            "criteria": {
                "en": "Minor issues, workaround available",
                "ru": "Незначительные проблемы, есть обходной путь",
            },
            "examples": {
                "en": "Non-critical feature broken, single customer affected",
                "ru": "Сломана некритичная функция, затронут один клиент",
            },
            "response_target": "2h",
            "update_min": "2h",
            "update_max": "4h",
            "war_room": "none",
            "page": False,
            "notify": ["assigned-engineer", "team-lead"],
            "required_roles": [],
            "roles_within": "2h",
            "verification_gate": False,
            "postmortem_required": False,
            "postmortem_due": "14d",
        },
        "P4": {
            "rank": 4,
            "title": {"en": "Low", "ru": "Низкий"},
            "criteria": {"en": "Cosmetic issues", "ru": "Косметические проблемы"},
            "examples": {
                "en": "UI glitches, inaccurate documentation",
                "ru": "Огрехи интерфейса, неточная документация",
            },
            "response_target": "8h",
            "update_min": "1d",
            "update_max": "1d",
            "war_room": "none",
            "page": False,
            "notify": ["ticket-queue"],
            "required_roles": [],
            "roles_within": "8h",
            "verification_gate": False,
            "postmortem_required": False,
            "postmortem_due": "30d",
        },
    }
