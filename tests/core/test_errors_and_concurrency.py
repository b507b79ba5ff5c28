"""Bad input leaves the store untouched; concurrent processes lose nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest


def snapshot(path):
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT id, seq, kind, data FROM events ORDER BY id").fetchall(),
            conn.execute("SELECT id, snapshot FROM incidents ORDER BY id").fetchall(),
        )
    finally:
        conn.close()


BAD_INPUTS = [
    ("escalate", "1", "-s", "P7"),
    ("update", "1", "--status", "fixed"),
    ("update", "1"),
    ("assign", "1", "boss", "alice"),
    ("assign", "1", "commander", "  "),
    ("show", "INC-77"),
    ("update", "INC-77", "--summary", "x"),
    ("resolve", "banana"),
    ("declare", ""),
    ("declare", "x", "-s", "P0"),
    ("declare", "x", "--detected-at", "yesterday"),
    ("reopen", "1"),
    ("escalate", "1", "-s", "P2"),
    ("-p", "no:ghost", "note", "1", "text"),
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=[" ".join(a) for a in BAD_INPUTS])
def test_bad_input_is_one_line_and_changes_nothing(imf_home, imf_cli, args):
    assert imf_cli("declare", "Payments slow", "-s", "P2").exit_code == 0
    before = snapshot(imf_home.store_path)
    result = imf_cli(*args)
    assert result.exit_code not in (0, 70), result
    assert len(result.stderr.strip().splitlines()) == 1, result
    assert result.stderr.startswith("imf: error: ")
    assert snapshot(imf_home.store_path) == before


def test_malformed_config_changes_nothing(imf_home, imf_cli):
    imf_cli("declare", "Payments slow", "-s", "P2")
    before = snapshot(imf_home.store_path)
    imf_home.config_path.write_text("[imf]\nstore = 3\n", "utf-8")
    result = imf_cli("note", "1", "hello")
    assert result.exit_code == 2 and "imf.store" in result.stderr
    assert snapshot(imf_home.store_path) == before


def test_debug_shows_traceback(imf_run):
    result = imf_run("show", "INC-9", env={"IMF_DEBUG": "1"})
    assert result.exit_code == 3
    assert "Traceback" in result.stderr
    assert result.stderr.strip().endswith("imf: error: incident INC-9 not found")


WORKER = r"""
import sys
from imf.app import App
app = App.create()
tag = sys.argv[1]
for i in range(int(sys.argv[2])):
    incident, _ = app.service.declare(f"{tag} {i}", severity="P3")
    app.service.update(incident.id, status="identified", summary=f"{tag} {i} found")
    app.service.note(incident.id, f"{tag} {i} note")
app.close()
"""


@pytest.mark.slow
def test_processes_declaring_and_updating_at_once_lose_nothing(imf_home):
    count = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, tag, str(count)],
            env=imf_home.env,
            cwd=imf_home.path,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("alpha", "beta", "gamma")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(imf_home.store_path)
    incidents = conn.execute("SELECT id, number, snapshot FROM incidents").fetchall()
    numbers = sorted(r[1] for r in incidents)
    assert numbers == list(range(1, 3 * count + 1))
    kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind").fetchall())
    ours = {k: kinds.get(k) for k in ("declared", "update_posted", "note_added")}
    assert ours == {"declared": 3 * count, "update_posted": 3 * count, "note_added": 3 * count}
    for _, _, snap in incidents:
        data = json.loads(snap)
        assert data["status"] == "identified"
        assert data["title"] + " found" == data["updates"][0]["summary"]
        assert data["notes"][0]["text"] == data["title"] + " note"
    conn.close()
