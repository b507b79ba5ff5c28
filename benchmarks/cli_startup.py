"""CLI start-up: whole-process medians of imf commands against ``python -c "import click"``.

    python benchmarks/cli_startup.py [--runs 21]

Targets: ``--version`` ≤ 1.2×, ``--help`` ≤ 1.3×, ``list`` on a store of 10,000 incidents
≤ 1.5×, ``declare`` with no integrations ≤ 2.0×.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import imf_command, interleaved_medians, table

TARGETS = {"imf --version": 1.2, "imf --help": 1.3, "imf list": 1.5, "imf declare": 2.0}


def populate(store_url: str, incidents: int, open_incidents: int) -> None:
    """Write ``incidents`` incidents (the newest ``open_incidents`` still open) in bulk."""
    from imf.app import App

    start = datetime(2025, 1, 1, tzinfo=UTC)
    app = App.create(store=store_url, load_entry_points=True)
    from imf.model import Event

    with app.store.write() as tx:
        for n in range(1, incidents + 1):
            at = start + timedelta(minutes=30 * n)
            incident_id = f"INC-{n}"
            events = [
                Event(
                    incident_id,
                    "declared",
                    at,
                    "bench",
                    {
                        "number": n,
                        "title": f"Incident {n}",
                        "severity": f"P{1 + n % 4}",
                        "services": [f"svc-{n % 7}"],
                    },
                ),
                Event(
                    incident_id,
                    "update_posted",
                    at + timedelta(minutes=5),
                    "bench",
                    {"number": 1, "status": "identified", "summary": "cause found"},
                ),
            ]
            if n <= incidents - open_incidents:
                events.append(
                    Event(
                        incident_id,
                        "resolved",
                        at + timedelta(minutes=50),
                        "bench",
                        {"summary": "fixed"},
                    )
                )
            tx.append(None, events)
    app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    imf = imf_command()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("IMF_")}
        env.update(
            {
                "HOME": tmp,
                "XDG_CONFIG_HOME": f"{tmp}/config",
                "XDG_DATA_HOME": f"{tmp}/data",
                "IMF_ACTOR": "bench",
            }
        )
        big = f"sqlite:///{tmp}/big.db"
        populate(big, 10_000, 100)
        commands = {
            'python -c "import click"': [sys.executable, "-c", "import click"],
            "imf --version": [*imf, "--version"],
            "imf --help": [*imf, "--help"],
            "imf list": [*imf, "--store", big, "list"],
            "imf declare": [
                *imf,
                "--store",
                f"sqlite:///{tmp}/declare.db",
                "declare",
                "Benchmark incident",
                "-s",
                "P3",
            ],
        }
        medians = interleaved_medians(commands, runs=args.runs, env=env, cwd=tmp)
    base = medians['python -c "import click"']
    rows = [["command", "median ms", "ratio", "target"]]
    for name, value in medians.items():
        target = TARGETS.get(name)
        rows.append(
            [
                name,
                f"{value * 1000:.1f}",
                f"{value / base:.2f}x",
                f"≤ {target}x" if target else "baseline",
            ]
        )
    print(table(rows))


if __name__ == "__main__":
    main()
