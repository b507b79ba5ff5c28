"""War room and phase checklists, checking items, and the verification gate of resolve."""

from __future__ import annotations

import pytest

import imf
from imf.ics.checklists import PHASES, bundled

VERIFICATION = [
    "verification.error-rate-baseline",
    "verification.latency-normal",
    "verification.user-reports-stopped",
    "verification.synthetic-monitors",
    "verification.no-error-logs",
    "verification.stable-30m",
]


def names(result):
    return [c["name"] for c in result.json()["checklists"]]


def test_bundled_checklists_follow_the_methodology():
    found = bundled()
    assert list(found) == list(PHASES)
    assert [i.id for i in found["verification"].items] == [
        *VERIFICATION[:5],
        "verification.customer-verification",
        "verification.stable-30m",
    ]
    assert found["verification"].gates_resolve
    assert len(found["war-room"].items) == 16 and found["war-room"].when == "war-room"
    for checklist in found.values():
        for item in checklist.items:
            assert item.text.get("en") and item.text.get("ru"), item.id


def test_war_room_checklist_only_where_there_is_a_war_room(run):
    run("declare", "DB down", "-s", "P1")
    run("declare", "Typo", "-s", "P3")
    assert names(run("checklist", "1", "--json")) == list(PHASES)
    assert "war-room" not in names(run("checklist", "2", "--json"))
    asked = run("checklist", "2", "war-room", "--json")
    assert names(asked) == ["war-room"]


def test_check_records_who_and_when_and_uncheck_reverts(run, clock):
    run("declare", "DB down", "-s", "P2")
    clock.advance(minutes=7)
    checked = run("check", "INC-1", "error-rate-baseline", "--json")
    assert checked.exit_code == 0, checked
    assert checked.json()["items"] == ["verification.error-rate-baseline"]
    item = next(
        i
        for i in run("checklist", "1", "verification", "--json").json()["checklists"][0]["items"]
        if i["id"] == "verification.error-rate-baseline"
    )
    assert item["checked"] and item["by"] == "tester"
    assert item["at"] == clock.at(minutes=7).isoformat()
    again = run("check", "1", "verification.error-rate-baseline")
    assert again.exit_code == 4 and "already checked" in again.stderr
    assert run("uncheck", "1", "error-rate-baseline").exit_code == 0
    shown = run("show", "1", "--json").json()
    kinds = [e["kind"] for e in shown["timeline"]]
    assert kinds.count("checked") == 1 and kinds.count("unchecked") == 1
    assert not shown["incident"]["checks"]["verification.error-rate-baseline"]["checked"]


def test_text_output_in_english_and_russian(run):
    run("declare", "DB down", "-s", "P1")
    run("check", "1", "latency-normal")
    english = run("checklist", "1", "verification")
    assert "Verification & monitoring (30-120 min)  1/6 — required to resolve" in english.stdout
    assert "[x] verification.latency-normal" in english.stdout
    assert "tester, 2026-03-14 14:00 UTC" in english.stdout
    russian = run("--lang", "ru", "checklist", "1", "verification")
    assert "Проверка и наблюдение (30-120 мин)  1/6 — обязателен для закрытия" in russian.stdout
    assert "Метрики задержки в норме" in russian.stdout
    checked = run("--lang", "ru", "check", "1", "no-error-logs")
    assert "Отмечено verification.no-error-logs в INC-1: Нет ошибок в логах" in checked.stdout


def test_commands_of_items_are_shown_with_the_incident_id(run):
    run("declare", "DB down", "-s", "P1")
    text = run("checklist", "1", "mitigation").stdout
    assert "$ imf advise rollback INC-1" in text
    assert "$ imf rollout INC-1 canary" in text
    war_room = run("checklist", "1", "war-room").stdout
    assert "#incident-INC-1" in war_room


def test_role_items_are_done_by_assigning_the_role(run):
    run("declare", "DB down", "-s", "P1")
    run("assign", "1", "commander", "alice")
    items = {
        i["id"]: i
        for i in run("checklist", "1", "war-room", "--json").json()["checklists"][0]["items"]
    }
    assert items["war-room.commander"]["checked"] and items["war-room.commander"]["holders"] == [
        "alice"
    ]
    assert not items["war-room.scribe"]["checked"]
    refused = run("check", "1", "war-room.scribe")
    assert refused.exit_code == 2 and "imf assign INC-1 scribe NAME" in refused.stderr


def test_unknown_and_ambiguous_items(run):
    run("declare", "DB down", "-s", "P1")
    unknown = run("check", "1", "no-such-item")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == (
        "imf: error: no checklist item or playbook step 'no-such-item' on INC-1 "
        "(see 'imf checklist INC-1')"
    )
    unknown_phase = run("checklist", "1", "nope")
    assert unknown_phase.exit_code == 2 and "valid: war-room, triage" in unknown_phase.stderr


def test_customer_verification_only_for_customer_facing_incidents(run):
    run("declare", "Internal batch slow", "-s", "P2")
    run("declare", "Checkout down", "-s", "P2", "--customer-facing")
    internal = run("checklist", "1", "verification", "--json").json()["checklists"][0]
    external = run("checklist", "2", "verification", "--json").json()["checklists"][0]
    assert internal["total"] == 6 and external["total"] == 7
    assert run("check", "1", "customer-verification").exit_code == 2


def test_resolve_is_gated_for_p1_and_p2(run, imf_home):
    run("declare", "DB down", "-s", "P1")
    refused = run("resolve", "1", "--summary", "fixed")
    assert refused.exit_code == 4
    assert refused.stderr.count("\n") == 1
    assert "verification.error-rate-baseline" in refused.stderr
    assert "--force REASON" in refused.stderr
    assert run("show", "1", "--json").json()["incident"]["status"] == "investigating"
    run("check", "1", *VERIFICATION[:-1])
    still = run("resolve", "1")
    assert still.exit_code == 4 and "unchecked: verification.stable-30m (" in still.stderr
    done = run("check", "1", "stable-30m")
    assert "INC-1 can be resolved" in done.stdout
    assert run("resolve", "1").exit_code == 0


def test_resolve_force_records_the_reason_and_the_unchecked_items(run):
    run("declare", "API errors", "-s", "P2")
    run("check", "1", "error-rate-baseline")
    forced = run("resolve", "1", "--force", "customer call ended, verified by phone", "--json")
    assert forced.exit_code == 0, forced
    resolved = [e for e in run("show", "1", "--json").json()["timeline"] if e["kind"] == "resolved"]
    assert resolved[0]["data"]["forced"] == "customer call ended, verified by phone"
    assert resolved[0]["data"]["unchecked"] == VERIFICATION[1:]


def test_lower_severities_resolve_without_the_checklist(run):
    run("declare", "Typo", "-s", "P3")
    assert run("resolve", "1").exit_code == 0


def test_russian_gate_error(run):
    run("declare", "DB down", "-s", "P1")
    refused = run("--lang", "ru", "resolve", "1")
    assert "нельзя закрыть, пока не выполнен чек-лист проверки" in refused.stderr


def test_service_api_is_gated_too(imf_app):
    app = imf_app()
    incident, _ = app.service.declare("DB down", severity="P1")
    with pytest.raises(imf.ConflictError) as caught:
        app.service.resolve(incident.id)
    assert "verification.no-error-logs" in caught.value.render("en")


def test_organization_extends_the_verification_checklist(imf_config, run):
    imf_config(
        {
            "imf": {
                "checklists": {
                    "verification": {
                        "remove": ["stable-30m"],
                        "items": [
                            {
                                "id": "cdn-purged",
                                "text": {"en": "CDN cache purged", "ru": "Кэш CDN сброшен"},
                            },
                            {"id": "latency-normal", "text": "p99 latency under 300 ms"},
                        ],
                    },
                    "security": {
                        "title": {"en": "Security", "ru": "Безопасность"},
                        "items": [{"id": "keys-rotated", "text": "Keys rotated"}],
                    },
                }
            }
        }
    )
    run("declare", "DB down", "-s", "P1")
    verification = run("checklist", "1", "verification", "--json").json()["checklists"][0]
    ids = [i["id"] for i in verification["items"]]
    assert "verification.stable-30m" not in ids and ids[-1] == "verification.cdn-purged"
    assert verification["items"][1]["text"] == "p99 latency under 300 ms"
    assert "security" in names(run("checklist", "1", "--json"))
    run("check", "1", *VERIFICATION[:-1])
    refused = run("resolve", "1")
    assert "unchecked: verification.cdn-purged (" in refused.stderr
    run("check", "1", "cdn-purged")
    assert run("resolve", "1").exit_code == 0


def test_organization_replaces_a_checklist(imf_config, run):
    imf_config(
        {
            "imf": {
                "checklists": {
                    "verification": {
                        "replace": True,
                        "items": [{"id": "smoke", "text": "Smoke tests green"}],
                    }
                }
            }
        }
    )
    run("declare", "DB down", "-s", "P2")
    run("check", "1", "smoke")
    assert run("resolve", "1").exit_code == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"verification": {"items": [{"id": "Bad Id", "text": "x"}]}},
            "imf.checklists.verification.items[0].id: 'Bad Id' is not a valid id",
        ),
        (
            {"verification": {"remove": ["nope"]}},
            "imf.checklists.verification.remove[0]: no item 'nope' to remove",
        ),
        (
            {"war-room": {"items": [{"id": "x", "text": "x", "role": "boss"}]}},
            "imf.checklists.war-room.items[0].role: invalid role 'boss'",
        ),
        (
            {"verification": {"items": [{"id": "x"}]}},
            "imf.checklists.verification.items[0].text: required key is missing",
        ),
    ],
)
def test_bad_checklist_config_names_the_file_and_key(imf_config, run, table, message):
    path = imf_config({"imf": {"checklists": table}})
    run("declare", "DB down", "-s", "P1")
    result = run("checklist", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"imf: error: {path}: {message}"), result
    assert result.stderr.count("\n") == 1


class SecurityChecklists:
    """A plugin contributing an item to the verification checklist."""

    IMF_ACTIVE_BY_DEFAULT = True

    @imf.hookimpl
    def imf_checklists(self):
        return {
            "verification": {
                "items": [
                    {
                        "id": "waf-rules",
                        "text": {"en": "WAF rules restored", "ru": "Правила WAF восстановлены"},
                    }
                ]
            }
        }


def test_plugins_contribute_checklist_items(run):
    plugins = {"secops": SecurityChecklists()}
    run("declare", "DB down", "-s", "P1", plugins=plugins)
    run("check", "1", *VERIFICATION, plugins=plugins)
    refused = run("resolve", "1", plugins=plugins)
    assert "unchecked: verification.waf-rules (" in refused.stderr
    russian = run("--lang", "ru", "checklist", "1", "verification", plugins=plugins)
    assert "Правила WAF восстановлены" in russian.stdout
