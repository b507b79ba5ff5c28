"""Shared helpers of the benchmarks: an isolated environment, bulk-loaded stores, and
whole-process medians measured side by side."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2024, 1, 1, tzinfo=UTC)


def imf_command() -> list[str]:
    """The installed ``imf`` console script of this Python environment."""
    script = Path(sys.executable).with_name("imf")
    if script.exists():
        return [str(script)]
    found = shutil.which("imf")
    if found is None:
        raise SystemExit("imf is not installed in this environment (pip install -e .)")
    return [found]


def interleaved_medians(
    commands: dict[str, Sequence[str]],
    *,
    runs: int,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> dict[str, float]:
    """Medians of several commands measured in alternation, so machine noise hits all alike.

    One untimed round comes first: bytecode and imf's plugin index are then written, as they
    are on a user's machine after the first command."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                check=True,
            )
            if round_:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(rows: Sequence[Sequence[str]]) -> str:
    """A plain text table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def isolated_env(home: str) -> dict[str, str]:
    """This process's environment with imf's own variables removed and the user directories
    (config, data, cache) under ``home``.

    ``PYTHONDONTWRITEBYTECODE`` is dropped too: with it, a development install recompiles
    imf's sources in every process, which measures the compiler rather than imf (a wheel
    install is byte-compiled by pip either way)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IMF_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        {
            "HOME": home,
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CACHE_HOME": f"{home}/cache",
            "IMF_ACTOR": "bench",
        }
    )
    return env


def simple_events(n: int, open_share: float, total: int) -> list[Any]:
    """Incident ``n``: declared, one update, resolved (the last ``open_share`` stay open)."""
    from imf.model import Event

    at = START + timedelta(minutes=20 * n)
    incident_id = f"INC-{n}"
    data = {
        "number": n,
        "title": f"Incident {n}",
        "severity": f"P{1 + n % 4}",
        "services": [f"svc-{n % 7}"],
    }
    events = [
        Event(incident_id, "declared", at, "bench", data),
        Event(
            incident_id,
            "update_posted",
            at + timedelta(minutes=4),
            "bench",
            {"number": 1, "status": "identified", "summary": "cause found"},
        ),
    ]
    if n <= total - int(total * open_share):
        events.append(
            Event(
                incident_id,
                "resolved",
                at + timedelta(minutes=45 + n % 120),
                "bench",
                {"summary": "fixed"},
            )
        )
    return events


def bulk_load(
    store_url: str,
    incidents: int,
    open_share: float = 0.01,
    events: Callable[[int, float, int], list[Any]] = simple_events,
) -> float:
    """Write ``incidents`` incidents through the store API, 2,000 per transaction; return the
    seconds it took."""
    from imf.store import open_store

    store = open_store(store_url)
    started = time.perf_counter()
    for first in range(1, incidents + 1, 2000):
        with store.write() as tx:
            for n in range(first, min(first + 2000, incidents + 1)):
                tx.append(None, events(n, open_share, incidents))
    elapsed = time.perf_counter() - started
    store.close()
    return elapsed
