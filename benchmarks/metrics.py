"""``imf metrics`` on a store of 100,000 incidents, against a plain SQL aggregate, in one run.

    python benchmarks/metrics.py [--incidents 100000] [--runs 5] [--pg URL]

The store is bulk-loaded through the store API (one transaction per 2,000 incidents): each
incident is declared, acknowledged, updated, mitigated and (99 %) resolved, one in ten has a
cadence reminder and one in twenty a post-mortem action item — about 600,000 events.

Measured side by side, interleaved so machine noise hits both alike:

* as processes: ``imf metrics`` and ``imf metrics --json`` against ``python -c`` running one
  plain ``GROUP BY severity`` aggregate over the same table (the floor for any tool that
  starts Python and reads the store);
* in the process: :func:`imf.ics.metrics.compute` against that aggregate alone.

With ``--pg`` (default ``IMF_TEST_PG_URL``) the same runs on a throwaway PostgreSQL database.
The target is ``imf metrics`` under 2 seconds on 100,000 incidents.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import START, bulk_load, imf_command, interleaved_medians, isolated_env, table

TARGET_SECONDS = 2.0

SQLITE_AGGREGATE = (
    "SELECT severity, COUNT(*), AVG((julianday(resolved_at) - julianday(declared_at)) * 86400)"
    " FROM incidents GROUP BY severity"
)
PG_AGGREGATE = (
    "SELECT severity, COUNT(*), AVG(EXTRACT(EPOCH FROM resolved_at - declared_at))"
    " FROM incidents GROUP BY severity"
)


def events_of(n: int, open_share: float, total: int) -> list:
    """The events of incident ``n``."""
    from imf.model import Event

    at = START + timedelta(minutes=20 * n)
    incident_id = f"INC-{n}"
    severity = f"P{1 + n % 4}"

    def event(kind: str, minutes: float, data: dict) -> Event:
        return Event(incident_id, kind, at + timedelta(minutes=minutes), "bench", data)

    events = [
        event(
            "declared",
            0,
            {
                "number": n,
                "title": f"Incident {n}",
                "severity": severity,
                "services": [f"svc-{n % 7}", *(["db"] if n % 5 == 0 else [])],
            },
        ),
        event("acknowledged", 2 + n % 25, {}),
        event("update_posted", 30, {"number": 1, "status": "identified", "summary": "cause"}),
        event("update_posted", 40 + n % 60, {"number": 2, "status": "monitoring", "summary": "ok"}),
    ]
    if n % 10 == 0:
        events.append(
            event(
                "reminder",
                35,
                {"reason": "update_overdue", "due_at": at.isoformat(), "detail": {"key": "u"}},
            )
        )
    if n % 20 == 0:
        events.append(event("action_added", 200, {"item": {"id": 1, "action": "Add alerts"}}))
    if n < total - int(total * open_share):
        events.append(event("resolved", 100 + n % 120, {"summary": "fixed"}))
    return events


def baseline_command(store_url: str) -> list[str]:
    """``python -c`` running the plain aggregate on the store."""
    if store_url.startswith("sqlite:///"):
        path = store_url.removeprefix("sqlite:///")
        code = f"import sqlite3; c = sqlite3.connect({path!r}); "
        code += f"print(c.execute({SQLITE_AGGREGATE!r}).fetchall())"
    else:
        code = f"import psycopg; c = psycopg.connect({store_url!r}); "
        code += f"print(c.execute({PG_AGGREGATE!r}).fetchall())"
    return [sys.executable, "-c", code]


def in_process(store_url: str, runs: int) -> tuple[float, float]:
    """Median seconds of ``compute()`` and of the plain aggregate, in this process."""
    from imf.app import App
    from imf.ics.metrics import Query, compute

    app = App.create(store=store_url, actor="bench")
    store = app.store
    sql = PG_AGGREGATE if store_url.startswith("postgres") else SQLITE_AGGREGATE
    ours: list[float] = []
    plain: list[float] = []
    now = datetime.now(UTC)
    for _ in range(runs):
        started = time.perf_counter()
        compute(store, app.policy, Query(), now)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        with store.transaction(write=False) as cur:
            cur.execute(sql)
            cur.fetchall()
        plain.append(time.perf_counter() - started)
    app.close()
    return statistics.median(ours), statistics.median(plain)


def measure(store_url: str, args: argparse.Namespace, env: dict[str, str], cwd: str) -> dict:
    """Every figure for one store."""
    imf = imf_command()
    results = {"load": bulk_load(store_url, args.incidents, events=events_of)}
    results.update(
        interleaved_medians(
            {
                "imf metrics": [*imf, "--store", store_url, "metrics"],
                "imf metrics --json": [*imf, "--store", store_url, "metrics", "--json"],
                "plain aggregate": baseline_command(store_url),
            },
            runs=args.runs,
            env=env,
            cwd=cwd,
        )
    )
    results["compute"], results["aggregate"] = in_process(store_url, args.runs)
    return results


def report(name: str, incidents: int, r: dict) -> list[list[str]]:
    floor = r["plain aggregate"]
    verdict = "ok" if r["imf metrics"] < TARGET_SECONDS else "TOO SLOW"
    return [
        [f"{name}: bulk load of {incidents:,} incidents", f"{r['load']:.1f} s", ""],
        [
            f"{name}: imf metrics (process)",
            f"{r['imf metrics']:.3f} s",
            f"{r['imf metrics'] / floor:.2f}x plain ({verdict}, target < {TARGET_SECONDS:.0f} s)",
        ],
        [
            f"{name}: imf metrics --json (process)",
            f"{r['imf metrics --json']:.3f} s",
            f"{r['imf metrics --json'] / floor:.2f}x plain",
        ],
        [f"{name}: plain aggregate (process)", f"{floor:.3f} s", "1.00x"],
        [
            f"{name}: compute() (in process)",
            f"{r['compute'] * 1000:.0f} ms",
            f"{r['compute'] / r['aggregate']:.2f}x plain",
        ],
        [f"{name}: plain aggregate (in process)", f"{r['aggregate'] * 1000:.0f} ms", "1.00x"],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("IMF_TEST_PG_URL", ""), metavar="URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        os.environ.update(env)
        os.chdir(tmp)
        rows = [["measure", "time", "ratio"]]
        rows += report(
            "SQLite", args.incidents, measure(f"sqlite:///{tmp}/large.db", args, env, tmp)
        )
        if args.pg:
            from store import pg_database

            with pg_database(args.pg) as url:
                rows += report("PostgreSQL", args.incidents, measure(url, args, env, tmp))
    print(table(rows))


if __name__ == "__main__":
    main()
