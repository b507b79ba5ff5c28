"""README's first command stays true: the lifecycle walk-through runs on the embedded store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_names_the_walkthrough_and_tox():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "pip install . && bash examples/lifecycle.sh" in readme
    assert "pip install tox && tox" in readme


def test_the_walkthrough_runs_with_no_configuration(imf_home):
    env = dict(imf_home.env)
    env.pop("IMF_STORE")  # the embedded default store, in the user data directory
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run(
        ["bash", str(ROOT / "examples" / "lifecycle.sh")],
        env=env,
        cwd=imf_home.path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = proc.stdout
    assert re.search(r"^declared INC-\d+$", out, re.M)
    for step in (
        "Posted update #1",
        "is now P1",
        "is Incident Commander",
        "Note added",
        "Posted update #2",
        "Resolved INC-",
    ):
        assert step in out
    assert "Status: resolved" in out
    data = Path(env["XDG_DATA_HOME"]) / "imf"
    assert (data / "imf.db").is_file()
    assert list((data / "documents").glob("*.md"))
