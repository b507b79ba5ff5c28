"""The imf wheel installs into a fresh environment and works there."""

from __future__ import annotations

import json
import os
import zipfile

import pytest

pytestmark = pytest.mark.slow


def test_wheel_contains_core_and_bundled_plugins(imf_wheel):
    names = zipfile.ZipFile(imf_wheel).namelist()
    assert "imf/__init__.py" in names
    assert "imf_severity/__init__.py" in names
    assert "imf_severity/levels.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(imf_wheel).read(entry_points).decode()
    assert "[imf]" in text and "severity = imf_severity" in text
    assert "imf = imf.cli.entry:main" in text


def test_installed_wheel_lists_plugins_and_runs_an_incident(imf_wheel, fresh_venv, tmp_path):
    fresh_venv.pip("install", str(imf_wheel))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMF_", "PYTHON"))} | {
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    listed = fresh_venv.run("imf", "plugins", "--json", env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    plugins = {p["name"]: p for p in json.loads(listed.stdout)}
    assert plugins["severity"]["builtin"] is True
    assert plugins["severity"]["active"] is True
    declared = fresh_venv.run(
        "imf", "declare", "Checkout down", "-s", "P1", "--json", env=env, cwd=tmp_path
    )
    assert declared.returncode == 0, declared.stderr
    assert json.loads(declared.stdout)["incident"]["id"] == "INC-1"
    # The embedded store lives in the user data directory (platform conventions).
    assert (tmp_path / "data" / "imf" / "imf.db").is_file()
