"""Layered TOML configuration: errors name file and key, secrets stay secret."""

from __future__ import annotations

import json
import os

from tests.core.plugins_for_tests import Distribution, Misspelled, Vault


def one_line_error(result, *needles):
    assert result.exit_code != 0, result
    assert result.stdout == "", result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    for needle in needles:
        assert needle in lines[0], result
    assert "Traceback" not in result.stderr
    return lines[0]


def test_malformed_toml_names_file_line_and_column(imf_home, imf_cli):
    imf_home.config_path.write_text('[imf]\norganization = "Acme"\nlanguage = \n', "utf-8")
    line = one_line_error(imf_cli("list"), "imf.toml:3:", "invalid TOML")
    assert str(imf_home.config_path) in line


def test_unknown_core_key(imf_config, imf_cli):
    imf_config({"imf": {"organisation": "Acme"}})
    one_line_error(imf_cli("list"), "imf.organisation", "unknown key", "organization")


def test_unknown_top_level_table(imf_home, imf_cli):
    imf_home.config_path.write_text("[server]\nport = 1\n", "utf-8")
    one_line_error(imf_cli("list"), "server", "unknown key")


def test_wrong_type(imf_config, imf_cli):
    imf_config({"imf": {"delivery": {"timeout": "soon"}}})
    one_line_error(imf_cli("list"), "imf.delivery.timeout", "expected a number")


def test_invalid_language_lists_choices(imf_config, imf_cli):
    imf_config({"imf": {"language": "de"}})
    one_line_error(imf_cli("list"), "imf.language", "en, ru")


def test_unknown_plugin_table(imf_config, imf_cli):
    imf_config({"plugins": {"pagerdooty": {"routing_key": "x"}}})
    one_line_error(imf_cli("list"), "plugins.pagerdooty", "no such plugin", "severity")


def test_disabled_unknown_plugin_table_is_fine(imf_config, imf_cli):
    imf_config({"plugins": {"elsewhere": {"enabled": False}}})
    assert imf_cli("list").exit_code == 0


def test_plugin_table_validated_by_its_class(imf_config, imf_cli, monkeypatch):
    vault = Vault()
    imf_config(
        {"plugins": {"vault": {"url": "http://x", "token": {"env": "VAULT_TOKEN"}, "colour": 1}}}
    )
    monkeypatch.setenv("VAULT_TOKEN", "s3cr3t-value")
    one_line_error(
        imf_cli("declare", "Disk full", plugins={"vault": vault}),
        "plugins.vault.colour",
        "unknown key",
    )
    imf_config({"plugins": {"vault": {"token": {"env": "VAULT_TOKEN"}}}})
    one_line_error(
        imf_cli("declare", "Disk full", plugins={"vault": vault}), "plugins.vault.url", "missing"
    )


def test_missing_secret_is_named_and_value_never_printed(imf_config, imf_cli, monkeypatch):
    vault = Vault()
    imf_config({"plugins": {"vault": {"url": "http://x", "token": {"env": "VAULT_TOKEN"}}}})
    monkeypatch.delenv("VAULT_TOKEN", raising=False)
    one_line_error(
        imf_cli("declare", "Disk full", plugins={"vault": vault}),
        "VAULT_TOKEN",
        "plugins.vault.token",
    )
    monkeypatch.setenv("VAULT_TOKEN", "s3cr3t-value")
    shown = imf_cli("config", "show", plugins={"vault": vault})
    assert shown.exit_code == 0, shown
    assert "s3cr3t-value" not in shown.stdout + shown.stderr
    assert "<secret from env VAULT_TOKEN>" in shown.stdout
    declared = imf_cli("declare", "x", "-s", "P3", "--json", plugins={"vault": vault})
    assert "s3cr3t-value" not in declared.stdout + declared.stderr
    assert vault.seen[-1].token.reveal() == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(vault.seen[-1])


def test_inline_secret_is_redacted_in_config_show(imf_config, imf_cli):
    vault = Vault()
    imf_config({"plugins": {"vault": {"url": "http://x", "token": "inline-s3cr3t"}}})
    shown = imf_cli("config", "show", "--json", plugins={"vault": vault})
    assert "inline-s3cr3t" not in shown.stdout
    assert shown.json()["config"]["plugins"]["vault"]["token"] == "<secret>"


def test_secret_from_file_relative_to_the_config(imf_home, imf_config, imf_cli):
    vault = Vault()
    (imf_home.path / "token.txt").write_text("from-file\n", "utf-8")
    imf_config({"plugins": {"vault": {"url": "http://x", "token": {"file": "token.txt"}}}})
    assert imf_cli("declare", "x", "-s", "P4", plugins={"vault": vault}).exit_code == 0
    assert vault.seen[-1].token.reveal() == "from-file"
    imf_config({"plugins": {"vault": {"url": "http://x", "token": {"file": "nope.txt"}}}})
    one_line_error(
        imf_cli("declare", "Disk full", plugins={"vault": vault}), "nope.txt", "plugins.vault.token"
    )


def test_layers_and_sources(imf_home, imf_config, imf_cli, tmp_path, monkeypatch):
    user_file = imf_home.path / "home" / ".config" / "imf" / "imf.toml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[imf]\norganization = "User"\nactor = "from-user"\n', "utf-8")
    imf_config({"imf": {"organization": "Project"}})
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[imf]\nlanguage = "ru"\n', "utf-8")
    monkeypatch.setenv("IMF_CONFIG", str(explicit))
    shown = imf_cli("--lang", "en", "config", "show", "--json").json()
    assert shown["config"]["imf"]["organization"] == "Project"
    assert shown["config"]["imf"]["actor"] == "from-user"
    assert shown["config"]["imf"]["language"] == "en"
    assert shown["sources"]["imf.organization"].endswith("imf-home/imf.toml")
    assert shown["sources"]["imf.actor"] == str(user_file)
    assert shown["sources"]["imf.language"] == "command line"
    text = imf_cli("config", "show").stdout
    assert f'imf.actor = "from-user"    # {user_file}' in text


def test_explicit_config_missing(imf_cli):
    one_line_error(imf_cli("--config", "nowhere.toml", "list"), "nowhere.toml", "not found")


def test_distribution_defaults_sit_below_user_files(imf_config, imf_cli):
    plugins = {"acme": Distribution()}
    declared = imf_cli("declare", "x", "-s", "SEV1", "--json", plugins=plugins)
    assert declared.exit_code == 0, declared
    assert declared.json()["incident"]["severity"] == "SEV1"
    shown = imf_cli("config", "show", "--json", plugins=plugins).json()
    assert shown["config"]["imf"]["organization"] == "Acme"
    assert shown["sources"]["imf.organization"] == "distribution acme"
    imf_config({"imf": {"organization": "Override"}})
    shown = imf_cli("config", "show", "--json", plugins=plugins).json()
    assert shown["config"]["imf"]["organization"] == "Override"


def test_config_validate_and_path(imf_config, imf_cli, imf_home):
    imf_config({"imf": {"organization": "Acme"}})
    result = imf_cli("config", "validate")
    assert result.exit_code == 0 and "imf.toml" in result.stdout
    paths = imf_cli("config", "path", "--json").json()
    assert {"path": str(imf_home.config_path), "exists": True, "loaded": True} in paths


def test_init_writes_a_valid_commented_file_and_refuses_to_overwrite(imf_home, imf_cli):
    first = imf_cli("init")
    assert first.exit_code == 0, first
    text = imf_home.config_path.read_text("utf-8")
    assert text.startswith("#") and "[imf]" in text
    assert imf_cli("config", "validate").exit_code == 0
    one_line_error(imf_cli("init"), "already exists", "--force")
    assert imf_home.config_path.read_text("utf-8") == text
    assert imf_cli("init", "--force", "--lang", "ru").exit_code == 0
    assert "Конфигурация imf" in imf_home.config_path.read_text("utf-8")


def test_init_works_even_when_the_existing_config_is_broken(imf_home, imf_cli):
    imf_home.config_path.write_text("[imf\n", "utf-8")
    assert imf_cli("init", "--force").exit_code == 0


def test_block_plugins(imf_cli, monkeypatch):
    one_line_error(imf_cli("-p", "no:nosuch", "list"), "nosuch", "severity")
    one_line_error(imf_cli("-p", "severity", "list"), "no:NAME")
    blocked = imf_cli("-p", "no:severity", "declare", "x", "-s", "P1")
    one_line_error(blocked, "no severity policy")
    monkeypatch.setenv("IMF_DISABLE_PLUGINS", "severity")
    one_line_error(imf_cli("declare", "x"), "no severity policy")
    # Reading the store needs no plugin, so no policy either.
    assert imf_cli("list").exit_code == 0


def test_plugin_with_unknown_hook_is_named(imf_config, imf_cli):
    plugins = {"oops": Misspelled()}
    # Inactive plugins are not imported on every command; `imf plugins` checks them all.
    assert imf_cli("list", plugins=plugins).exit_code == 0
    line = one_line_error(imf_cli("plugins", plugins=plugins), "oops", "imf_declared")
    assert "-p no:oops" in line
    imf_config({"plugins": {"oops": {"enabled": True}}})
    one_line_error(imf_cli("declare", "x", plugins=plugins), "oops", "imf_declared")


def test_disabled_plugin_is_inactive(imf_config, imf_cli):
    vault = Vault()
    imf_config({"plugins": {"vault": {"enabled": False}}})
    listed = imf_cli("plugins", "--json", plugins={"vault": vault}).json()
    assert {p["name"]: p["active"] for p in listed}["vault"] is False
    assert imf_cli("declare", "x", "-s", "P4", plugins={"vault": vault}).exit_code == 0
    assert vault.seen == []


def test_errors_in_russian(imf_cli):
    result = imf_cli("--lang", "ru", "show", "INC-404")
    assert result.exit_code == 3
    assert result.stderr.strip() == "imf: ошибка: инцидент INC-404 не найден"


def test_json_outputs_are_json(imf_cli):
    imf_cli("declare", "x", "-s", "P2")
    for args in (
        ("list", "--json"),
        ("show", "1", "--json"),
        ("plugins", "--json"),
        ("outbox", "--json"),
        ("config", "show", "--json"),
        ("config", "path", "--json"),
    ):
        result = imf_cli(*args)
        assert result.exit_code == 0, result
        json.loads(result.stdout)
    assert os.environ["IMF_ACTOR"] == "tester"


def test_config_show_masks_the_store_password(imf_config, imf_cli, monkeypatch):
    monkeypatch.delenv("IMF_STORE")
    imf_config({"imf": {"store": "postgresql://imf:hunter2@db.internal/imf"}})
    shown = imf_cli("config", "show")
    assert "hunter2" not in shown.stdout
    assert 'imf.store = "postgresql://imf:***@db.internal/imf"' in shown.stdout


def test_type_errors_are_translated(imf_config, imf_cli):
    imf_config({"imf": {"delivery": {"timeout": "fast"}}})
    line = one_line_error(imf_cli("--lang", "ru", "list"), "imf.delivery.timeout")
    assert "ожидается число" in line and "number" not in line
    imf_config({"imf": {"delivery": {"max_age": "soon"}}})
    line = one_line_error(imf_cli("--lang", "ru", "list"), "imf.delivery.max_age", "'soon'")
    assert "ожидается длительность" in line and "expected" not in line
    imf_config({"plugins": {"markdown": {"brief": "yes"}}})
    line = one_line_error(imf_cli("--lang", "ru", "declare", "x"), "plugins.markdown.brief")
    assert "ожидается true или false" in line
