"""The methodology's severity levels P1–P4: the defaults of the bundled severity policy.

Organizations override any value, rename the levels or replace the whole set in
``[plugins.severity]`` (see ``docs/plugins/severity.md``). The data lives here, as Python, so
that no command parses anything to learn the defaults.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

LEVELS: dict[str, dict[str, Any]] = {
    "P1": {
        "rank": 1,
        "title": {
            "en": "Critical",
            "ru": "Критический",
        },
        "criteria": {
            "en": "Full outage of a critical service, data loss, security breach",
            "ru": "Полный outage критического сервиса, потеря данных, нарушение безопасности",
        },
        "examples": {
            "en": "Production database completely unavailable, major data breach",
            "ru": "Полная недоступность продакшн-БД, крупная утечка данных",
        },
        "response_target": timedelta(minutes=15),
        "update_min": timedelta(minutes=15),
        "update_max": timedelta(minutes=30),
        "war_room": "activate",
        "page": True,
        "notify": ["on-call", "incident-commander", "executives", "customer-support"],
        "required_roles": ["commander", "comms-lead", "scribe"],
        "roles_within": timedelta(minutes=15),
        "verification_gate": True,
        "postmortem_required": True,
        "postmortem_due": timedelta(days=5),
    },
    "P2": {
        "rank": 2,
        "title": {
            "en": "High",
            "ru": "Высокий",
        },
        "criteria": {
            "en": "Serious degradation, partial outage",
            "ru": "Серьёзное ухудшение, частичный outage",
        },
        "examples": {
            "en": "Significant performance degradation, intermittent failures",
            "ru": "Значительная деградация производительности, периодические сбои",
        },
        "response_target": timedelta(minutes=30),
        "update_min": timedelta(minutes=30),
        "update_max": timedelta(hours=1),
        "war_room": "prepare",
        "page": True,
        "notify": ["on-call", "team-lead"],
        "required_roles": ["commander"],
        "roles_within": timedelta(minutes=30),
        "verification_gate": True,
        "postmortem_required": True,
        "postmortem_due": timedelta(days=7),
    },
    "P3": {
        "rank": 3,
        "title": {
            "en": "Medium",
            "ru": "Средний",
        },
        "criteria": {
            "en": "Minor issues, workaround available",
            "ru": "Незначительные проблемы, есть обходной путь",
        },
        "examples": {
            "en": "Non-critical feature broken, single customer affected",
            "ru": "Сломана некритичная функция, затронут один клиент",
        },
        "response_target": timedelta(hours=2),
        "update_min": timedelta(hours=2),
        "update_max": timedelta(hours=4),
        "war_room": "none",
        "page": False,
        "notify": ["assigned-engineer", "team-lead"],
        "required_roles": [],
        "roles_within": timedelta(hours=2),
        "verification_gate": False,
        "postmortem_required": False,
        "postmortem_due": timedelta(days=14),
    },
    "P4": {
        "rank": 4,
        "title": {
            "en": "Low",
            "ru": "Низкий",
        },
        "criteria": {
            "en": "Cosmetic issues",
            "ru": "Косметические проблемы",
        },
        "examples": {
            "en": "UI glitches, inaccurate documentation",
            "ru": "Огрехи интерфейса, неточная документация",
        },
        "response_target": timedelta(hours=8),
        "update_min": timedelta(days=1),
        "update_max": timedelta(days=1),
        "war_room": "none",
        "page": False,
        "notify": ["ticket-queue"],
        "required_roles": [],
        "roles_within": timedelta(hours=8),
        "verification_gate": False,
        "postmortem_required": False,
        "postmortem_due": timedelta(days=30),
    },
}


def levels() -> dict[str, dict[str, Any]]:
    """A fresh copy of the default levels, by name (the caller may change it)."""
    return copy.deepcopy(LEVELS)
