"""The store on SQLite and on PostgreSQL, side by side in one run.

    python benchmarks/store.py [--pg URL] [--incidents 2000] [--updates 10]
                               [--large 100000] [--runs 5]

1. Writes: declare + ``--updates`` status updates per incident for ``--incidents`` incidents
   through the lifecycle service (one store transaction per change, deliveries to the active
   plugins enqueued in it but not sent); on PostgreSQL also with ``synchronous_commit = off``.
2. Reads: ``imf list``, ``imf list --all`` and ``imf metrics`` as real processes (median wall
   time of ``--runs``) on a store of ``--large`` incidents (1% open), bulk-loaded through the
   store API.

PostgreSQL: a server at ``--pg`` (default ``IMF_TEST_PG_URL``); the benchmark creates a
throwaway database there and drops it afterwards. The server's durability settings are
printed with the figures, since they decide the cost of a commit.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import bulk_load, imf_command, interleaved_medians, isolated_env, table


@contextmanager
def pg_database(server: str, *, async_commit: bool = False) -> Iterator[str]:
    """A throwaway database on ``server`` (with ``synchronous_commit = off`` if
    ``async_commit``); yields its URL."""
    import psycopg
    from psycopg import sql

    name = f"imf_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        if async_commit:
            admin.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
                    sql.Identifier(name)
                )
            )
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def pg_settings(server: str) -> str:
    """The server version and the settings that decide what a commit costs."""
    import psycopg

    with psycopg.connect(server) as conn:
        values = [
            f"{name}={conn.execute(f'SHOW {name}').fetchone()[0]}"  # type: ignore[index]
            for name in ("server_version", "fsync", "synchronous_commit")
        ]
    return ", ".join(values)


def writes(store_url: str, incidents: int, updates: int) -> float:
    """Seconds to declare ``incidents`` incidents with ``updates`` updates each."""
    from imf.app import App
    from imf.delivery import Report
    from imf.lifecycle import IncidentService

    app = App.create(store=store_url, actor="bench")
    # The service as the CLI builds it, except that deliveries are only enqueued (in the same
    # transaction), not sent: this measures the store, not the plugins.
    service = IncidentService(
        app.store, app.policy, app.dispatcher.targets, lambda *_: Report(), app.actor
    )
    statuses = ("identified", "mitigating", "monitoring")
    started = time.perf_counter()
    for n in range(incidents):
        incident, _ = service.declare(f"Incident {n}", severity=f"P{1 + n % 4}", services=["api"])
        for u in range(updates):
            service.update(incident.id, summary=f"update {u}", status=statuses[u % 3])
    elapsed = time.perf_counter() - started
    app.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("IMF_TEST_PG_URL", ""), metavar="URL")
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=10)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.pg:
        raise SystemExit("give a PostgreSQL server with --pg URL (or set IMF_TEST_PG_URL)")
    imf = imf_command()
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        os.environ.update(env)
        os.chdir(tmp)
        results: dict[str, dict[str, float]] = {"sqlite": {}, "postgresql": {}}
        with (
            pg_database(args.pg) as pg_small,
            pg_database(args.pg) as pg_large,
            pg_database(args.pg, async_commit=True) as pg_async,
        ):
            urls = {
                "sqlite": (f"sqlite:///{tmp}/small.db", f"sqlite:///{tmp}/large.db"),
                "postgresql": (pg_small, pg_large),
            }
            for backend, (small, large) in urls.items():
                results[backend]["writes"] = writes(small, args.incidents, args.updates)
                results[backend]["load"] = bulk_load(large, args.large)
                reads = interleaved_medians(
                    {
                        "list": [*imf, "--store", large, "list"],
                        "list --all": [*imf, "--store", large, "list", "--all"],
                        "metrics": [*imf, "--store", large, "metrics"],
                    },
                    runs=args.runs,
                    env=env,
                    cwd=tmp,
                )
                results[backend].update(reads)
            results["postgresql"]["writes_async"] = writes(pg_async, args.incidents, args.updates)
    report(args, results, pg_settings(args.pg))


def report(args: argparse.Namespace, results: dict[str, dict[str, float]], settings: str) -> None:
    changes = args.incidents * (1 + args.updates)
    sqlite, pg = results["sqlite"], results["postgresql"]
    rows = [["measure", "SQLite", "PostgreSQL", "PostgreSQL / SQLite"]]

    def add(name: str, a: float, b: float, unit: str, digits: int = 1) -> None:
        rows.append([name, f"{a:.{digits}f} {unit}", f"{b:.{digits}f} {unit}", f"{b / a:.2f}x"])

    add(
        f"{args.incidents:,} declares + {args.updates} updates each: total",
        sqlite["writes"],
        pg["writes"],
        "s",
    )
    add(
        "  per change",
        sqlite["writes"] / changes * 1000,
        pg["writes"] / changes * 1000,
        "ms",
        2,
    )
    add(
        "  per change, synchronous_commit=off",
        sqlite["writes"] / changes * 1000,
        pg["writes_async"] / changes * 1000,
        "ms",
        2,
    )
    add(f"bulk load of {args.large:,} incidents", sqlite["load"], pg["load"], "s")
    for name in ("list", "list --all", "metrics"):
        add(
            f"imf {name} on {args.large:,} incidents",
            sqlite[name] * 1000,
            pg[name] * 1000,
            "ms",
            0,
        )
    print(table(rows))
    print(f"PostgreSQL: {settings}; SQLite: WAL, synchronous=NORMAL")
    print(
        "synchronous_commit=off gives PostgreSQL the durability of SQLite's WAL with"
        " synchronous=NORMAL: a crash of the machine may lose the last commits, never"
        " corrupts the store."
    )


if __name__ == "__main__":
    main()
