"""``imf statuspage build|serve`` and both backends end to end in real ``imf`` processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import imf_statuspage

from .conftest import API_KEY, fields, incident_requests


@contextmanager
def serving(home: Any, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run ``imf statuspage serve`` in a real process; yield it and its first output line."""
    log = (home.path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "imf", "statuspage", "serve", *args],
        env=home.env,
        cwd=home.path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc, proc.stdout.readline()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        log.close()


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()


def test_the_plugin_adds_one_command_group():
    (group,) = imf_statuspage.imf_cli_commands()
    assert group.name == "statuspage"
    assert sorted(group.commands) == ["build", "serve"]


def test_build_needs_the_plugin_and_its_static_backend(imf_cli, sp_config):
    result = imf_cli("statuspage", "build")
    assert result.exit_code == 2
    assert "[plugins.statuspage]" in result.stderr
    sp_config(atlassian=True, static=False)
    result = imf_cli("statuspage", "build")
    assert result.exit_code == 2
    assert "[plugins.statuspage.static]" in result.stderr


def test_build_reports_what_it_wrote(imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True, language="ru")
    imf_cli("declare", "Оплата недоступна", "-s", "P3", "-S", "payments", "--customer-facing")
    imf_cli("declare", "Internal only", "-s", "P4")
    result = imf_cli("statuspage", "build")
    assert result.exit_code == 0, result
    assert result.stdout.strip() == f"Страница статуса записана в {site}: инцидентов 1, открытых 1."
    assert (site / "index.html").is_file()


def test_serve_previews_the_page_on_loopback(imf_home, imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    assert (
        imf_cli(
            "declare", "Checkout errors", "-s", "P2", "-S", "api", "--customer-facing"
        ).exit_code
        == 0
    )
    with serving(imf_home, "--port", "0") as (proc, line):
        assert line.startswith(f"Serving {site} at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        status, kind, body = fetch(url)
        assert status == 200 and kind.startswith("text/html")
        assert "Checkout errors" in body
        status, _, page = fetch(url + "incidents/inc-1.html")
        assert status == 200 and "Checkout errors" in page
        assert json.loads(fetch(url + "status.json")[2])["status"]["indicator"] == "major"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_serve_without_a_page_asks_for_a_build(imf_home, imf_cli, sp_config, site):
    sp_config(atlassian=False, static=True)
    result = imf_cli("statuspage", "serve", "--port", "0")
    assert result.exit_code == 2
    assert "imf statuspage build" in result.stderr
    with serving(imf_home, "--port", "0", "--build") as (proc, line):
        assert "http://127.0.0.1:" in line
        assert (site / "index.html").is_file()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_serve_reports_a_busy_port(imf_home, imf_cli, sp_config):
    sp_config(atlassian=False, static=True)
    assert imf_cli("statuspage", "build").exit_code == 0
    with serving(imf_home, "--port", "0") as (proc, line):
        port = line.rsplit(":", 1)[1].split("/", 1)[0]
        result = imf_cli("statuspage", "serve", "--port", port)
        assert result.exit_code == 2
        assert f"127.0.0.1:{port}" in result.stderr
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


@pytest.mark.slow
def test_both_backends_from_declare_to_resolve_in_real_processes(imf_run, sp, sp_config, site):
    sp_config(atlassian=True, static=True)

    def run(*args: str) -> Any:
        result = imf_run(*args, env={"STATUSPAGE_API_KEY": API_KEY})
        assert result.exit_code == 0, result
        assert result.stderr == "", result
        return result

    run(
        "declare",
        "Checkout errors",
        "-s",
        "P2",
        "-S",
        "api",
        "-S",
        "payments",
        "--customer-facing",
        "--summary",
        "pool exhausted",
    )
    run(
        "update",
        "INC-1",
        "--status",
        "identified",
        "--summary",
        "pool exhausted",
        "--public",
        "We found the cause.",
    )
    run("update", "INC-1", "--status", "mitigating", "--summary", "rolling back")
    run("escalate", "INC-1", "-s", "P1", "--reason", "more regions")
    run("resolve", "INC-1", "--force", "verified by the test", "--public", "All good again.")

    (remote,) = sp.incidents
    assert remote["status"] == "resolved"
    assert [u["body"] for u in remote["incident_updates"]] == [
        "All good again.",
        "We are applying a fix. Some users may still be affected.",
        "We found the cause.",
        "We are investigating reports of a problem. We will post an update as soon as we "
        "know more.",
    ]
    assert remote["impact"] == "critical"
    assert {c: sp.components[c]["status"] for c in ("cmp-api", "cmp-pay")} == {
        "cmp-api": "operational",
        "cmp-pay": "operational",
    }
    assert [fields(r).get("status") for r in incident_requests(sp, "PATCH")] == [
        "identified",
        "identified",
        None,
        "resolved",
    ]
    sp.assert_no_spec_errors()

    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    assert status["status"]["indicator"] == "none"
    (past,) = status["history"]
    assert past["impact"] == "critical"
    assert [u["status"] for u in past["updates"]] == [
        "resolved",
        "mitigating",
        "identified",
        "investigating",
    ]
    shown = json.loads(run("show", "INC-1", "--json").stdout)
    refs = shown["incident"]["refs"]["statuspage"]
    assert refs["atlassian"]["id"] == remote["id"]
    assert refs["static"] == {"page": "incidents/inc-1.html"}
    assert {d["state"] for d in shown["deliveries"]} == {"delivered"}
    assert "pool exhausted" not in "".join(
        p.read_text(encoding="utf-8") for p in Path(site).rglob("*") if p.is_file()
    )
