"""Acme's defaults reach every command, below the users' own configuration."""

from __future__ import annotations

import tomllib
from pathlib import Path

import acme_imf
import imf_webhook

from imf.testing import check_plugin

PLUGINS = {"acme": acme_imf, "webhook": imf_webhook}


def test_distribution_plugin_matches_imf_hooks():
    check_plugin(acme_imf)


def test_defaults_apply_with_no_configuration_file(imf_app):
    app = imf_app(plugins=PLUGINS)
    assert app.config.core.organization == "Acme Corp"
    assert list(app.policy.names()) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert app.policy.level("SEV1").notify == ("cto", "vp-engineering", "support-lead")
    assert app.policy.level("SEV1").page  # the methodology's P1 values are kept
    assert app.plugin_configs["webhook"].url == "https://incident-bus.acme.example/imf"
    assert app.host.info["webhook"].active


def test_users_file_overrides_single_values_and_keeps_the_rest(imf_app, imf_config, receiver):
    imf_config(
        {
            "imf": {"organization": "Acme Payments"},
            "plugins": {"webhook": {"url": receiver.hook_url}},
        }
    )
    app = imf_app(plugins=PLUGINS)
    assert app.config.core.organization == "Acme Payments"
    assert app.plugin_configs["webhook"].url == receiver.hook_url
    assert app.plugin_configs["webhook"].headers == {"X-Acme-Source": "imf"}
    assert app.policy.names()[0] == "SEV1"


def test_config_show_names_the_distribution_as_the_source(imf_cli):
    shown = imf_cli("config", "show", plugins=PLUGINS)
    assert shown.exit_code == 0, shown
    line = next(x for x in shown.stdout.splitlines() if x.startswith("imf.organization"))
    assert '"Acme Corp"' in line
    assert "acme" in line.split("#", 1)[1]


def test_incident_reaches_the_webhook_with_acme_severities(imf_cli, imf_config, receiver):
    imf_config({"plugins": {"webhook": {"url": receiver.hook_url}}})
    declared = imf_cli("declare", "Card payments failing", "-s", "SEV3", plugins=PLUGINS)
    assert declared.exit_code == 0, declared
    assert imf_cli("resolve", "INC-1", plugins=PLUGINS).exit_code == 0
    first, last = receiver.requests
    assert first.json["organization"] == "Acme Corp"
    assert first.json["incident"]["severity"] == "SEV3"
    assert first.headers["x-acme-source"] == "imf"
    assert last.json["event"]["kind"] == "resolved"


def test_methodology_names_are_not_levels_at_acme(imf_cli):
    result = imf_cli("declare", "x", "-s", "P2", plugins=PLUGINS)
    assert result.exit_code == 2
    assert "SEV1" in result.stderr


def test_blocking_the_distribution_drops_its_defaults(imf_app):
    app = imf_app(plugins=PLUGINS, blocked={"acme"})
    assert app.config.core.organization == ""
    assert app.policy.names()[0] == "P1"
    assert not app.host.info["webhook"].active


def test_playbooks_ship_inside_the_package():
    [directory] = acme_imf.imf_playbook_dirs()
    files = sorted(Path(directory).glob("*.toml"))
    assert [f.name for f in files] == ["payment-provider-outage.toml"]
    playbook = tomllib.loads(files[0].read_text(encoding="utf-8"))
    assert playbook["severity"] == "SEV1"


def test_playbooks_are_found_linted_and_suggested(imf_cli):
    playbook = Path(acme_imf.imf_playbook_dirs()[0]) / "payment-provider-outage.toml"
    linted = imf_cli("playbook", "lint", str(playbook), plugins=PLUGINS)
    assert linted.exit_code == 0, linted
    listed = imf_cli("playbook", "list", "--json", plugins=PLUGINS)
    assert listed.exit_code == 0, listed
    assert "payment-provider-outage" in listed.stdout
    declared = imf_cli(
        "declare",
        "Card payments failing",
        "-s",
        "SEV3",
        "--service",
        "payments",
        "--json",
        plugins=PLUGINS,
    )
    assert "payment-provider-outage" in str(declared.json()["playbooks_suggested"])
