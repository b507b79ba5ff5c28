"""PostgreSQL specifics: connection settings, secrets kept out of messages, concurrent opens."""

from __future__ import annotations

import sys
import threading
from urllib.parse import urlsplit

import pytest

from imf.errors import StoreError
from imf.store import open_store
from tests.store.support import declare, note


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://imf:s3cr3t-pw@db.example:5432/imf",
            "postgresql://imf:***@db.example:5432/imf",
        ),
        (
            "postgresql://imf@db/imf?password=s3cr3t-pw&sslmode=require",
            "postgresql://imf@db/imf?password=***&sslmode=require",
        ),
        ("postgres://db/imf", "postgres://db/imf"),
    ],
)
def test_display_url_masks_the_password(url, shown):
    from imf.store import display_url

    assert display_url(url) == shown


def test_connection_errors_name_the_store_without_its_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://imf:s3cr3t-pw@127.0.0.1:1/imf?connect_timeout=3")
    message = str(caught.value)
    assert caught.value.key == "core.store_open_failed"
    assert "s3cr3t-pw" not in message and "postgresql://imf:***@127.0.0.1:1/imf" in message
    assert "\n" not in message


def test_cli_error_for_an_unreachable_server_is_one_line_without_the_password(imf_cli):
    result = imf_cli("--store", "postgresql://ops:hunter2-pw@127.0.0.1:1/imf", "store", "check")
    assert result.exit_code == 5, result
    assert "hunter2-pw" not in result.stderr + result.stdout
    assert result.stderr.startswith("imf: error: cannot open store postgresql://ops:***@")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.postgres
def test_settings_left_out_of_the_url_come_from_pg_environment_variables(pg_database, monkeypatch):
    parts = urlsplit(pg_database)
    monkeypatch.setenv("PGHOST", parts.hostname)
    monkeypatch.setenv("PGPORT", str(parts.port))
    monkeypatch.setenv("PGUSER", parts.username)
    monkeypatch.setenv("PGDATABASE", parts.path.lstrip("/"))
    store = open_store("postgresql://")
    try:
        declare(store, "from the environment")
        assert store.get("INC-1").title == "from the environment"
    finally:
        store.close()


@pytest.mark.postgres
def test_machines_opening_a_new_database_at_once_migrate_it_once(pg_database):
    opened, errors = [], []
    barrier = threading.Barrier(5)

    def open_it() -> None:
        barrier.wait()
        try:
            opened.append(open_store(pg_database))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(opened) == 5
    declare(opened[0])
    assert opened[4].get("INC-1").number == 1
    for store in opened:
        store.close()


@pytest.mark.postgres
def test_more_threads_than_pooled_connections_wait_their_turn(pg_database):
    from imf.store.postgres import POOL_SIZE

    store = open_store(pg_database)
    incident, _ = declare(store)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(5):
                note(store, incident.id, str(n))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(POOL_SIZE * 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert store.get(incident.id).version == 1 + POOL_SIZE * 3 * 5
    store.close()


@pytest.mark.postgres
def test_numbers_follow_the_sequence_across_separate_stores(pg_database):
    first, second = open_store(pg_database), open_store(pg_database)
    ids = [declare(store)[0].id for store in (first, second, first, second)]
    assert ids == ["INC-1", "INC-2", "INC-3", "INC-4"]
    first.close()
    second.close()


@pytest.mark.postgres
def test_truncating_the_event_log_is_refused(pg_database):
    store = open_store(pg_database)
    declare(store)
    with pytest.raises(StoreError, match="append-only"), store.transaction(write=True) as cur:
        cur.execute("TRUNCATE events CASCADE")
    assert store.count_events() == 1
    store.close()


def test_without_psycopg_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.delitem(sys.modules, "imf.store.postgres", raising=False)
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://db/imf")
    assert caught.value.key == "store.psycopg_missing"
    assert "pip install 'imf[postgres]'" in str(caught.value)


@pytest.mark.postgres
def test_a_long_running_process_survives_its_connections_being_cut(pg_database, monkeypatch):
    import psycopg

    import imf.store.postgres as postgres

    monkeypatch.setattr(postgres, "IDLE_CHECK", 0.0)  # check every reused connection
    store = open_store(pg_database)
    declare(store)
    with psycopg.connect(pg_database, autocommit=True) as admin:
        cut = admin.execute(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert cut >= 1
    assert store.get("INC-1").title == "API errors"
    store.close()
