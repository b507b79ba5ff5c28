"""Plugins found through entry points: a broken one is named in one line; blocking skips it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def install(site, name, source):
    site.mkdir(parents=True, exist_ok=True)
    (site / f"imf_{name}.py").write_text(source, "utf-8")
    dist = site / f"imf_{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: imf-{name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[imf]\n{name} = imf_{name}\n")


@pytest.fixture
def run(imf_home, tmp_path):
    site = tmp_path / "site"

    def invoke(*args, source=None, name="broken"):
        if source is not None:
            install(site, name, source)
        env = {**imf_home.env, "PYTHONPATH": str(site)}
        return subprocess.run(
            [sys.executable, "-m", "imf", *args],
            env=env,
            cwd=imf_home.path,
            capture_output=True,
            text=True,
        )

    return invoke


def test_a_plugin_that_fails_to_import_is_named(imf_home, run):
    imf_home.config_path.write_text("[plugins.broken]\n", "utf-8")
    result = run("list", source="import nonexistent_module_xyz\n")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "imf: error: plugin 'broken' failed to load: ModuleNotFoundError: No module named "
        "'nonexistent_module_xyz' (skip it with -p no:broken)"
    ]
    skipped = run("-p", "no:broken", "declare", "still works", "-s", "P3")
    assert skipped.returncode == 0, skipped.stderr


def test_plugins_command_checks_inactive_plugins_too(run):
    result = run(
        "plugins", source="import imf\n\n@imf.hookimpl\ndef imf_declare(incidnet):\n    pass\n"
    )
    assert result.returncode == 2
    assert "plugin 'broken' is invalid" in result.stderr
    assert "incidnet" in result.stderr


def test_entry_point_plugins_are_listed_with_their_hooks(run):
    source = (
        "import imf\n\nIMF_ACTIVE_BY_DEFAULT = True\n\n@imf.hookimpl\n"
        "def imf_declare(incident, event, ctx):\n    return {'seen': event.seq}\n"
    )
    listed = run("plugins", "--json", source=source, name="watcher")
    assert listed.returncode == 0, listed.stderr
    found = {p["name"]: p for p in json.loads(listed.stdout)}
    assert found["watcher"]["hooks"] == ["imf_declare"]
    assert found["watcher"]["active"] is True
    assert found["watcher"]["distribution"] == "imf-watcher"
    declared = run("declare", "x", "-s", "P4", "--json")
    deliveries = json.loads(declared.stdout)["deliveries"]
    assert {"plugin": "watcher", "state": "delivered", "error": ""} in deliveries


def test_the_plugin_index_notices_a_changed_plugin(run, tmp_path):
    first = "import imf\n\n@imf.hookimpl\ndef imf_declare(incident):\n    pass\n"
    assert run("plugins", source=first, name="changing").returncode == 0
    module = tmp_path / "site" / "imf_changing.py"
    module.write_text(first + "\n@imf.hookimpl\ndef imf_resolve(incident):\n    pass\n", "utf-8")
    import os
    import time

    later = time.time() + 5
    os.utime(module, (later, later))
    listed = run("plugins", "--json")
    hooks = {p["name"]: p["hooks"] for p in json.loads(listed.stdout)}["changing"]
    assert hooks == ["imf_declare", "imf_resolve"]
