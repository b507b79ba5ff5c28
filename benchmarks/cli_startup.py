"""CLI start-up: whole-process medians of imf commands against ``python -c "import click"``.

    python benchmarks/cli_startup.py [--runs 21]

Targets: ``--version`` ≤ 1.2×, ``--help`` ≤ 1.3×, ``list`` on a store of 10,000 incidents
≤ 1.5×, ``declare`` with no integrations ≤ 2.0×.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import bulk_load, imf_command, interleaved_medians, isolated_env, table

TARGETS = {"imf --version": 1.2, "imf --help": 1.3, "imf list": 1.5, "imf declare": 2.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    imf = imf_command()
    with tempfile.TemporaryDirectory() as tmp:
        env = isolated_env(tmp)
        big = f"sqlite:///{tmp}/big.db"
        bulk_load(big, 10_000, open_share=0.01)
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
