"""Shared helpers of the benchmarks: whole-process medians measured side by side."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def imf_command() -> list[str]:
    """The installed ``imf`` console script of this Python environment."""
    script = Path(sys.executable).with_name("imf")
    if script.exists():
        return [str(script)]
    found = shutil.which("imf")
    if found is None:
        raise SystemExit("imf is not installed in this environment (pip install -e .)")
    return [found]


def median_seconds(
    command: Sequence[str],
    *,
    runs: int,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> float:
    """The median wall time of ``runs`` executions of ``command`` (output discarded)."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            check=True,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def interleaved_medians(
    commands: dict[str, Sequence[str]],
    *,
    runs: int,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> dict[str, float]:
    """Medians of several commands measured in alternation, so machine noise hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
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
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(rows: Sequence[Sequence[str]]) -> str:
    """A plain text table."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
