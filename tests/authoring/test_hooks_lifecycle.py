"""Hooks of the later lifecycle — checklists, reminders, the published post-mortem — called
through real CLI runs, as a plugin author would see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import imf


class CdnChecklist:
    """Adds a step to the bundled verification checklist."""

    IMF_ACTIVE_BY_DEFAULT = True

    @imf.hookimpl
    def imf_checklists(self):
        return {
            "verification": {
                "items": [
                    {
                        "id": "cdn-purged",
                        "text": {"en": "CDN cache purged", "ru": "Кэш CDN сброшен"},
                    }
                ]
            }
        }


def test_checklists_from_a_plugin_join_the_bundled_ones(imf_cli):
    plugins = {"cdn": CdnChecklist()}
    assert imf_cli("declare", "Stale pages", "-s", "P3", plugins=plugins).exit_code == 0
    shown = imf_cli("checklist", "INC-1", "--json", plugins=plugins)
    assert shown.exit_code == 0, shown
    verification = next(c for c in shown.json()["checklists"] if c["name"] == "verification")
    item = next(i for i in verification["items"] if i["id"] == "verification.cdn-purged")
    assert item["text"] == "CDN cache purged"
    ru = imf_cli("--lang", "ru", "checklist", "INC-1", "--json", plugins=plugins).json()
    texts = [i["text"] for c in ru["checklists"] for i in c["items"]]
    assert "Кэш CDN сброшен" in texts


def test_remind_is_delivered_for_an_overdue_update(imf_cli, hook_recorder):
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    assert imf_cli("declare", "Slow search", "-s", "P3", clock=lambda: now[0]).exit_code == 0
    now[0] += timedelta(hours=6)  # P3 expects an update every 2h-4h
    recorded = imf_cli("due", "--record", clock=lambda: now[0])
    assert recorded.exit_code == 0, recorded
    reminders = hook_recorder.calls("imf_remind")
    assert reminders, hook_recorder.calls()
    assert {c.event.kind for c in reminders} == {"reminder"}
    assert "update_overdue" in {c.event.data["reason"] for c in reminders}
    assert all(c.incident.id == "INC-1" for c in reminders)


def test_postmortem_is_delivered_when_published(imf_cli, hook_recorder):
    assert imf_cli("declare", "Queue stuck", "-s", "P3").exit_code == 0
    assert imf_cli("resolve", "INC-1", "--summary", "Restarted the consumer").exit_code == 0
    published = imf_cli("postmortem", "INC-1", "--summary", "A consumer deadlocked.", "--publish")
    assert published.exit_code == 0, published
    call = hook_recorder.one("imf_postmortem")
    assert call.event.kind == "postmortem_published"
    assert call.incident.postmortem.summary == "A consumer deadlocked."
