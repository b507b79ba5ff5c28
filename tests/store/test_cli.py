"""``imf store``: check, migrate, rebuild, and copy between SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3

import imf
from imf import serde
from imf.store import open_store
from tests.store.support import Recorder

PLUGINS = {"plugins": {"rec": {}, "gone": {}, "flaky": {}}}


def build_source(imf_app, url: str) -> None:
    """A store with every kind of content: several incidents through their lifecycle,
    references from plugins, deliveries delivered, dead (on the timeline) and pending."""
    app = imf_app(
        store=url,
        overrides=PLUGINS,
        plugins={
            "rec": Recorder(),
            "gone": Recorder(fail=imf.PermanentError("410 Gone")),
            "flaky": Recorder(fail=imf.RetryableError("503 from upstream", retry_after=3600)),
        },
    )
    service = app.service
    first, _ = service.declare("Checkout failing «оплата»", severity="P1", services=["checkout"])
    service.assign(first.id, "commander", "alice")
    service.update(first.id, status="identified", summary="Bad deploy 1.4.2")
    service.note(first.id, "Rolled back", key=True)
    service.escalate(first.id, "P2", reason="Fewer users")
    service.resolve(first.id, summary="Rolled back", force_reason="verified by hand")
    second, _ = service.declare("Search slow", severity="P3", services=["search", "api"])
    service.update(second.id, summary="Looking")
    service.declare("Login errors", severity="P2", customer_facing=True)
    app.close()


def dump(url: str) -> dict[str, object]:
    """Everything a store holds that a copy must keep (global ids aside)."""
    store = open_store(url)
    try:
        events = store.all_events(0, 100_000)
        where = {e.id: (e.incident_id, e.seq) for e in events}
        return {
            "events": [
                (e.incident_id, e.seq, e.kind, e.at, e.actor, json.dumps(e.data, sort_keys=True))
                for e in events
            ],
            "incidents": [serde.unstructure(i) for i in store.incidents()],
            "rows": store.rows(),
            "deliveries": sorted(
                (
                    where[d.event_id],
                    d.plugin,
                    d.hook,
                    d.state,
                    d.attempts,
                    d.last_error,
                    d.next_attempt_at,
                    d.created_at,
                    d.delivered_at,
                )
                for d in store.deliveries(states=("pending", "delivered", "dead"))
            ),
        }
    finally:
        store.close()


def test_copy_round_trip_keeps_every_event_projection_and_delivery(
    imf_app, imf_cli, tmp_path, store_url
):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    back = f"sqlite:///{tmp_path / 'back.db'}"
    build_source(imf_app, source)
    original = dump(source)
    states = {d[3] for d in original["deliveries"]}
    assert states == {"pending", "delivered", "dead"}
    assert any(e[2] == "delivery_dead" for e in original["events"])

    there = imf_cli("store", "copy", source, store_url)
    assert there.exit_code == 0, there
    assert "incidents 3" in there.stdout and "projections match" in there.stdout
    again = imf_cli("store", "copy", store_url, back, "--json", "--batch", "2")
    assert again.exit_code == 0, again
    report = again.json()
    assert report["incidents"] == 3 and report["events"] == len(original["events"])
    assert sum(report["deliveries"].values()) == len(original["deliveries"])

    assert dump(store_url) == original
    assert dump(back) == original
    # The copy carries on numbering after the copied incidents.
    declared = imf_cli("--store", store_url, "declare", "After the move", "-s", "P3")
    assert declared.exit_code == 0, declared
    assert "INC-4" in declared.stdout


def test_copy_into_a_store_that_holds_incidents_is_refused(imf_app, imf_cli, tmp_path, store_url):
    source = f"sqlite:///{tmp_path / 'source.db'}"
    build_source(imf_app, source)
    assert imf_cli("--store", store_url, "declare", "Already here", "-s", "P3").exit_code == 0
    before = dump(store_url)
    result = imf_cli("store", "copy", source, store_url)
    assert result.exit_code == 5, result
    assert "is not empty (1 incidents," in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(store_url) == before


def test_copy_that_does_not_verify_commits_nothing(imf_app, imf_cli, tmp_path, store_url):
    path = tmp_path / "source.db"
    source = f"sqlite:///{path}"
    build_source(imf_app, source)
    conn = sqlite3.connect(path)
    (snapshot,) = conn.execute("SELECT snapshot FROM incidents WHERE id = 'INC-2'").fetchone()
    drifted = json.loads(snapshot) | {"title": "Edited behind the log's back"}
    conn.execute("UPDATE incidents SET snapshot = ? WHERE id = 'INC-2'", (json.dumps(drifted),))
    conn.commit()
    conn.close()

    refused = imf_cli("store", "copy", source, store_url)
    assert refused.exit_code == 5, refused
    assert "incident INC-2 differs" in refused.stderr and "store rebuild" in refused.stderr
    assert dump(store_url)["events"] == []

    rebuilt = imf_cli("--store", source, "store", "rebuild")
    assert rebuilt.exit_code == 0 and "Rebuilt 3 incidents" in rebuilt.stdout
    copied = imf_cli("store", "copy", source, store_url)
    assert copied.exit_code == 0, copied
    assert dump(store_url)["incidents"][1]["title"] == "Search slow"


def test_copy_needs_two_different_stores(imf_cli, store_url):
    result = imf_cli("store", "copy", store_url, store_url)
    assert result.exit_code == 5
    assert "are the same store" in result.stderr


def test_check_and_migrate_a_new_store(imf_cli, store_url, tmp_path):
    fresh = imf_cli("--store", store_url, "store", "check", "--json")
    assert fresh.exit_code == 1, fresh
    assert fresh.json()["status"] == "needs_migration" and fresh.json()["schema_version"] == 0
    if store_url.startswith("sqlite"):
        assert not (tmp_path / "store" / "imf.db").exists()

    migrated = imf_cli("--store", store_url, "store", "migrate")
    assert migrated.exit_code == 0 and "from version 0 to 1" in migrated.stdout
    again = imf_cli("--store", store_url, "store", "migrate", "--json")
    assert again.json()["migrated"] is False and again.json()["version"] == 1

    assert imf_cli("--store", store_url, "declare", "Queue backlog", "-s", "P2").exit_code == 0
    checked = imf_cli("--store", store_url, "store", "check", "--json")
    assert checked.exit_code == 0, checked
    report = checked.json()
    assert report["status"] == "ok" and report["schema_version"] == report["supported"] == 1
    assert report["counts"]["incidents"] == report["counts"]["open_incidents"] == 1
    opened = open_store(store_url)
    assert report["counts"]["events"] == opened.count_events() >= 1
    opened.close()
    assert report["backend"] == store_url.split(":", 1)[0]
    assert ("server" in report) == store_url.startswith("postgresql")

    text = imf_cli("--store", store_url, "--lang", "ru", "store", "check")
    assert text.exit_code == 0
    assert "Инциденты:     1 (открытых: 1)" in text.stdout
    assert "Состояние:     в порядке" in text.stdout


def test_check_refuses_a_store_from_a_newer_imf(imf_cli, store_url):
    store = open_store(store_url)
    with store.transaction(write=True) as cur:
        if store_url.startswith("sqlite"):
            cur.execute("PRAGMA user_version = 7")
        else:
            cur.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    store.close()
    result = imf_cli("--store", store_url, "store", "check")
    assert result.exit_code == 5
    assert "schema version 7" in result.stderr and "upgrade imf" in result.stderr


def test_help_is_translated(imf_run):
    # A real process each: help texts are read once, when the command module is imported.
    for command in ("check", "migrate", "copy", "rebuild"):
        english = imf_run("store", command, "--help")
        russian = imf_run("--lang", "ru", "store", command, "--help")
        assert english.exit_code == russian.exit_code == 0, russian
        assert english.stdout != russian.stdout
        assert "store.help" not in english.stdout + russian.stdout
    assert "Скопировать все инциденты" in imf_run("--lang", "ru", "store", "copy", "-h").stdout
