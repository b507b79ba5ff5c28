"""The ``pagerduty`` message catalog (English and Russian)."""

from __future__ import annotations

import imf

CATALOG = imf.Catalog(
    "pagerduty",
    en={
        "pagerduty.route_gone": (
            "PagerDuty: {dedup_key} was triggered with the routing key from {path} "
            "({fingerprint}), which is no longer configured; restore that key or resolve "
            "the PagerDuty incident by hand"
        ),
        "pagerduty.incident_not_found": (
            "PagerDuty REST API: no open incident with incident key {dedup_key} yet"
        ),
        "pagerduty.note.heading": "Incident Update #{number} - {time} UTC",
        "pagerduty.note.status": "Status: {status}",
        "pagerduty.note.summary": "Summary: {text}",
        "pagerduty.note.since_last": "Since last update:",
        "pagerduty.note.root_cause": "Root cause: {state}",
        "pagerduty.note.impact": "Impact: {text}",
        "pagerduty.note.eta": "ETA: {text}",
        "pagerduty.note.next_steps": "Next steps:",
        "pagerduty.note.next_update": "Next update: {time} UTC",
        "pagerduty.root_cause.known": "known",
        "pagerduty.root_cause.suspected": "suspected",
        "pagerduty.root_cause.under-investigation": "under investigation",
    },
    ru={
        "pagerduty.route_gone": (
            "PagerDuty: {dedup_key} отправлен с ключом маршрутизации из {path} "
            "({fingerprint}), которого больше нет в конфигурации; верните этот ключ или "
            "закройте инцидент в PagerDuty вручную"
        ),
        "pagerduty.incident_not_found": (
            "PagerDuty REST API: открытого инцидента с ключом {dedup_key} пока нет"
        ),
        "pagerduty.note.heading": "Обновление по инциденту #{number} - {time} UTC",
        "pagerduty.note.status": "Статус: {status}",
        "pagerduty.note.summary": "Кратко: {text}",
        "pagerduty.note.since_last": "С прошлого обновления:",
        "pagerduty.note.root_cause": "Первопричина: {state}",
        "pagerduty.note.impact": "Влияние: {text}",
        "pagerduty.note.eta": "Ожидаемое время: {text}",
        "pagerduty.note.next_steps": "Следующие шаги:",
        "pagerduty.note.next_update": "Следующее обновление: {time} UTC",
        "pagerduty.root_cause.known": "известна",
        "pagerduty.root_cause.suspected": "предполагается",
        "pagerduty.root_cause.under-investigation": "выясняется",
    },
)
