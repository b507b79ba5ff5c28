"""Plugin distributions and an internal distribution, installed from wheels into fresh venvs.

Two journeys, each in a new virtual environment with the imf wheel of this checkout:

* a platform team ships ``acme-imf`` (imf + ``imf-webhook`` + Acme's defaults): installed from
  wheels, it lists its plugins, pins them, and carries a full incident to a loopback webhook;
* a plugin author runs ``imf plugin new``, installs the project as the tutorial says, runs
  its tests, and sees the plugin receive ``imf declare``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import zipfile
from pathlib import Path

import pytest
from tests.packaging.conftest import ROOT, build_wheel

from imf.testing.fakes import FakeServer, Response

pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "examples"
SECRET = "acme-bus-signing-key"


def sandbox(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with nothing of this process's imf settings or Python paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IMF_", "PYTHON"))}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        **extra,
    )
    return env


class Receiver(FakeServer):
    """The incident bus: accepts every POST with 204."""

    def __init__(self) -> None:
        super().__init__(validate=False)
        self.route("POST", "/imf", lambda request, params: Response(204))


def test_imf_wheel_ships_the_plugin_template(imf_wheel):
    names = zipfile.ZipFile(imf_wheel).namelist()
    for template in (
        "imf/templates/plugin/pyproject.toml.j2",
        "imf/templates/plugin/README.md.j2",
        "imf/templates/plugin/dot-gitignore.j2",
        "imf/templates/plugin/__module__/__init__.py.j2",
        "imf/templates/plugin/tests/conftest.py.j2",
        "imf/templates/plugin/tests/test___module__.py.j2",
    ):
        assert template in names


def test_acme_distribution_installs_from_wheels_and_runs_an_incident(
    imf_wheel, fresh_venv, tmp_path
):
    webhook = build_wheel(EXAMPLES / "imf-webhook", tmp_path / "webhook-wheel")
    acme = build_wheel(EXAMPLES / "acme-distribution", tmp_path / "acme-wheel")
    assert webhook.name.startswith("imf_webhook-0.1.0-")
    assert acme.name.startswith("acme_imf-1.0.0-")
    fresh_venv.pip("install", str(imf_wheel), str(webhook), str(acme))
    work = tmp_path / "work"
    work.mkdir()
    env = sandbox(tmp_path, ACME_BUS_SECRET=SECRET)

    def imf(*args: str):
        result = fresh_venv.run("imf", *args, env=env, cwd=work)
        assert result.returncode == 0, f"imf {' '.join(args)}:\n{result.stdout}{result.stderr}"
        return result

    plugins = {p["name"]: p for p in json.loads(imf("plugins", "--json").stdout)}
    assert plugins["acme"]["distribution"] == "acme-imf"
    assert plugins["acme"]["active"] is True
    assert plugins["webhook"]["distribution"] == "imf-webhook"
    assert plugins["webhook"]["active"] is True  # enabled by Acme's defaults
    assert plugins["severity"]["builtin"] is True
    assert "payment-provider-outage" in imf("playbook", "list", "--json").stdout
    pins = json.loads(imf("plugins", "--requirements", "--json").stdout)
    assert pins[0] == "imf==0.1.0"
    assert {"acme-imf==1.0.0", "imf-webhook==0.1.0"} <= set(pins)

    with Receiver() as bus:
        (work / "imf.toml").write_text(
            f'[plugins.webhook]\nurl = "{bus.url}/imf"\nsecret = {{ env = "ACME_BUS_SECRET" }}\n',
            encoding="utf-8",
        )
        declared = json.loads(
            imf("declare", "Card payments failing", "-s", "SEV3", "--json").stdout
        )
        incident_id = declared["incident"]["id"]
        imf("update", incident_id, "--status", "identified", "--summary", "provider down")
        imf("resolve", incident_id, "--summary", "failed over")
        requests = bus.requests_to("/imf", "POST")
    assert [r.headers["x-imf-event"] for r in requests] == ["declared", "update_posted", "resolved"]
    for request in requests:
        expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers["x-imf-signature-256"] == expected
        assert request.headers["x-acme-source"] == "imf"
        assert request.json["organization"] == "Acme Corp"
    assert requests[0].json["incident"]["severity"] == "SEV3"
    assert requests[-1].json["incident"]["status"] == "resolved"
    shown = imf("show", incident_id, "--json").stdout
    assert SECRET not in shown


def test_generated_plugin_installs_passes_its_tests_and_receives_declare(
    imf_wheel, fresh_venv, tmp_path
):
    fresh_venv.pip("install", str(imf_wheel), "pytest>=8")
    env = sandbox(tmp_path)
    created = fresh_venv.run("imf", "plugin", "new", "pager-log", env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "imf-pager-log"
    fresh_venv.pip("install", "-e", f"{project}[test]")

    tests = fresh_venv.run(
        "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", env=env, cwd=project
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "3 passed" in tests.stdout

    work = tmp_path / "work"
    work.mkdir()
    listed = json.loads(fresh_venv.run("imf", "plugins", "--json", env=env, cwd=work).stdout)
    plugin = next(p for p in listed if p["name"] == "pager-log")
    assert plugin["distribution"] == "imf-pager-log"
    assert plugin["hooks"] == ["imf_config_class", "imf_declare"]
    assert plugin["active"] is False  # no [plugins.pager-log] table yet

    (work / "imf.toml").write_text("[plugins.pager-log]\n", encoding="utf-8")
    declared = fresh_venv.run("imf", "declare", "Test incident", "-s", "P4", env=env, cwd=work)
    assert declared.returncode == 0, declared.stderr
    [line] = (work / "pager-log-incidents.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["title"] == "Test incident"
