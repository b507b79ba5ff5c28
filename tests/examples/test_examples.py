"""The example distributions' own test suites pass, each run in its own pytest process.

They are separate projects (their own ``pyproject.toml`` and ``conftest.py``), so they run
the way their authors run them: ``pytest`` in the project directory. The packaging tests
(``tests/packaging``) install their wheels into a fresh venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("project", "also_importable"),
    [("imf-webhook", []), ("acme-distribution", ["imf-webhook"])],
)
def test_example_suite_passes(project, also_importable):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMF_")}
    env["PYTHONPATH"] = os.pathsep.join(str(EXAMPLES / p) for p in also_importable)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLES / project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
