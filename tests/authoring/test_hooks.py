"""The hooks that let plugins and distributions shape imf itself: default configuration, CLI
commands, the severity policy and store backends — each exercised through a real app or CLI
run with an in-process plugin."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

import imf


class Distribution:
    """A distribution plugin shipping defaults, as ``acme-imf`` does."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self, defaults):
        self.defaults = defaults

    @imf.hookimpl
    def imf_default_config(self):
        return self.defaults


ORG_DEFAULTS = {
    "imf": {"organization": "Example Corp"},
    "plugins": {"severity": {"rename": {"P1": "SEV1", "P2": "SEV2", "P3": "SEV3", "P4": "SEV4"}}},
}


# --- imf_default_config ------------------------------------------------------------------------


def test_default_config_applies_without_files_and_names_its_source(imf_app):
    app = imf_app(plugins={"dist": Distribution(ORG_DEFAULTS)})
    assert app.config.core.organization == "Example Corp"
    assert app.policy.names()[0] == "SEV1"
    assert app.config.where("imf.organization") == "distribution dist"


def test_default_config_sits_below_every_file_key_by_key(imf_app, imf_config):
    imf_config({"imf": {"organization": "Example Payments"}})
    app = imf_app(plugins={"dist": Distribution(ORG_DEFAULTS)})
    assert app.config.core.organization == "Example Payments"
    assert app.config.where("imf.organization").endswith("imf.toml")
    assert app.policy.names()[0] == "SEV1"  # the rest of the defaults still applies


def test_default_config_sits_below_overrides_and_flags(imf_app):
    app = imf_app(
        plugins={"dist": Distribution({"imf": {"organization": "A", "language": "en"}})},
        overrides={"imf": {"organization": "B"}},
        lang="ru",
    )
    assert (app.config.core.organization, app.lang) == ("B", "ru")


def test_default_config_can_enable_a_plugin(imf_app):
    class Echo:
        @imf.hookimpl
        def imf_declare(self, incident):
            return {"echoed": incident.id}

    defaults = {"plugins": {"echo": {}}}
    app = imf_app(plugins={"dist": Distribution(defaults), "echo": Echo()})
    assert app.host.info["echo"].active
    incident, _ = app.service.declare("Disk full", severity="P4")
    assert app.store.get(incident.id).refs["echo"] == {"echoed": incident.id}


def test_blocked_distribution_gives_no_defaults(imf_app):
    app = imf_app(plugins={"dist": Distribution(ORG_DEFAULTS)}, blocked={"dist"})
    assert app.config.core.organization == ""
    assert app.policy.names()[0] == "P1"


def test_invalid_defaults_are_an_error_naming_the_distribution(imf_cli):
    bad = Distribution({"imf": {"organisation": "typo"}})
    result = imf_cli("list", plugins={"dist": bad})
    assert result.exit_code == 2
    assert "distribution dist" in result.stderr
    assert "imf.organisation" in result.stderr


# --- imf_cli_commands --------------------------------------------------------------------------


@click.command("whoami", help="Print the organization.")
@click.pass_obj
def whoami(app):
    click.echo(app.config.core.organization or "-")


class Commands:
    @imf.hookimpl
    def imf_cli_commands(self):
        return [whoami]


def test_cli_commands_are_added_and_receive_the_app(imf_cli, imf_config):
    imf_config({"imf": {"organization": "Example Corp"}})
    result = imf_cli("whoami", plugins={"cmds": Commands()})
    assert (result.exit_code, result.stdout) == (0, "Example Corp\n")
    listing = imf_cli("--help", plugins={"cmds": Commands()}).stdout
    assert "whoami" in listing and "Print the organization." in listing


def test_cli_command_clashing_with_a_core_command_names_the_plugin(imf_cli):
    class Clash:
        @imf.hookimpl
        def imf_cli_commands(self):
            return [whoami, click.Command("declare", callback=lambda: None)]

    # Core commands are found first; the clash shows as soon as plugin commands are looked up.
    result = imf_cli("whoami", plugins={"clash": Clash()})
    assert result.exit_code == 2
    assert "plugin 'clash' adds command 'declare', which already exists" in result.stderr


# --- imf_severity_policy -----------------------------------------------------------------------

TWO_LEVELS = imf.SeverityPolicy(
    levels=(
        imf.SeverityLevel(
            name="MAJOR", rank=1, titles={"en": "Major"}, response_target=timedelta(minutes=10)
        ),
        imf.SeverityLevel(name="MINOR", rank=2, titles={"en": "Minor"}),
    ),
    rules=imf.ClassificationRules(),
)


class TwoLevels:
    IMF_ACTIVE_BY_DEFAULT = True

    @imf.hookimpl(tryfirst=True)
    def imf_severity_policy(self, ctx):
        return TWO_LEVELS


def test_severity_policy_answered_first_replaces_the_bundled_one(imf_cli):
    result = imf_cli(
        "declare", "Payments down", "-s", "MAJOR", "--json", plugins={"two": TwoLevels()}
    )
    assert result.exit_code == 0, result
    assert result.json()["incident"]["severity"] == "MAJOR"
    refused = imf_cli("declare", "x", "-s", "P1", plugins={"two": TwoLevels()})
    assert refused.exit_code == 2
    assert "MAJOR" in refused.stderr


def test_severity_policy_without_any_answer_is_an_error(imf_cli):
    result = imf_cli("-p", "no:severity", "declare", "x")
    assert result.exit_code == 2
    assert "no severity policy is active" in result.stderr
    assert imf_cli("-p", "no:severity", "list", "--all").stdout == "No incidents.\n"


def test_severity_policy_of_a_plugin_alone(imf_app):
    app = imf_app(plugins={"two": TwoLevels()}, blocked={"severity"})
    assert list(app.policy.names()) == ["MAJOR", "MINOR"]


# --- imf_store_backend -------------------------------------------------------------------------


class FileStores:
    """Serves ``files://PATH`` URLs with imf's SQLite store (a real backend, another URL)."""

    IMF_ACTIVE_BY_DEFAULT = True

    def __init__(self):
        self.urls = []

    @imf.hookimpl
    def imf_store_backend(self, url):
        if not url.startswith("files://"):
            return None
        from imf.store.sqlite import SQLiteStore

        self.urls.append(url)
        return SQLiteStore(Path(url.removeprefix("files://")))


def test_store_backend_serves_its_urls(imf_cli, imf_home):
    backend = FileStores()
    url = f"files://{imf_home.path / 'custom.db'}"
    declared = imf_cli(
        "--store", url, "declare", "Queue stuck", "-s", "P3", plugins={"files": backend}
    )
    assert declared.exit_code == 0, declared
    assert (imf_home.path / "custom.db").is_file()
    listed = imf_cli("--store", url, "list", "--json", plugins={"files": backend})
    assert [i["title"] for i in listed.json()] == ["Queue stuck"]
    assert backend.urls == [url, url]


def test_store_url_no_backend_claims_is_an_error(imf_cli):
    result = imf_cli("--store", "files:///tmp/x.db", "list")
    assert result.exit_code == 5
    assert "unsupported store URL 'files:///tmp/x.db'" in result.stderr
