"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL server.

PostgreSQL tests need ``IMF_TEST_PG_URL`` (``.ci/postgres.sh`` starts a throwaway server and
sets it); each test gets a fresh database on that server, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from imf.store import Store

# Read at import: the imf_home fixture removes every IMF_* variable from the environment.
PG_URL = os.environ.get("IMF_TEST_PG_URL", "")
PG_SKIP = (
    "IMF_TEST_PG_URL is not set: start a server with "
    "'source .ci/postgres.sh && pg_start' (or point it at one) to test the PostgreSQL store"
)


def database_url(name: str) -> str:
    """``IMF_TEST_PG_URL`` with another database name."""
    return urlsplit(PG_URL)._replace(path=f"/{name}").geturl()


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database; yields its URL."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import psycopg
    from psycopg import sql

    name = f"imf_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A store URL: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'imf.db'}"
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """The opened store at ``store_url``."""
    from imf.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()
