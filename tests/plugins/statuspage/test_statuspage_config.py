"""Configuration of the status page plugin, severity mapping, and the plugin's own hygiene."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import imf
import imf_statuspage
from imf.testing.check import check_plugin
from imf_statuspage.config import AtlassianConfig, StaticConfig, StatuspageConfig
from imf_statuspage.messages import CATALOG


def policy(*names: str) -> imf.SeverityPolicy:
    levels = tuple(imf.SeverityLevel(name=name, rank=rank) for rank, name in enumerate(names, 1))
    return imf.SeverityPolicy(levels=levels)


def incident(severity: str, customer_facing: bool = False) -> imf.Incident:
    return imf.Incident(
        id="INC-1",
        number=1,
        title="t",
        severity=severity,
        customer_facing=customer_facing,
        declared_at=datetime.now(UTC),
    )


def one_line_error(result: object) -> str:
    assert result.exit_code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result
    return lines[0]


def test_a_table_without_a_backend_is_an_error(imf_cli, imf_config):
    imf_config({"plugins": {"statuspage": {"severities": ["P1"]}}})
    line = one_line_error(imf_cli("declare", "Checkout down", "-s", "P1"))
    assert "plugins.statuspage" in line and "[plugins.statuspage.static]" in line
    imf_config({})
    assert imf_cli("list", "--all", "--json").json() == []  # nothing was recorded


@pytest.mark.parametrize(
    ("table", "key", "hint"),
    [
        (
            {"atlassian": {"page_id": "p", "api_key": {"env": "SP_KEY"}, "mitigating": "fixing"}},
            "plugins.statuspage.atlassian.mitigating",
            "identified",
        ),
        (
            {"atlassian": {"page_id": "p", "api_key": {"env": "SP_KEY"}, "api_url": "ftp://x"}},
            "plugins.statuspage.atlassian",
            "api_url",
        ),
        (
            {"static": {"output_dir": "site", "history_days": 0}},
            "plugins.statuspage.static",
            "history_days",
        ),
        (
            {"static": {"output_dir": "site", "languages": ["de"]}},
            "plugins.statuspage.static.languages[0]",
            "ru",
        ),
        (
            {"static": {"output_dir": "site", "colour": "blue"}},
            "plugins.statuspage.static.colour",
            "output_dir",
        ),
        (
            {"impact": {"P1": "huge"}, "static": {"output_dir": "site"}},
            "plugins.statuspage.impact.P1",
            "critical",
        ),
        (
            {"component_status": {"P1": "down"}, "static": {"output_dir": "site"}},
            "plugins.statuspage.component_status.P1",
            "major_outage",
        ),
    ],
)
def test_invalid_values_name_the_key(imf_cli, imf_config, monkeypatch, table, key, hint):
    monkeypatch.setenv("SP_KEY", "k")
    imf_config({"plugins": {"statuspage": table}})
    line = one_line_error(imf_cli("declare", "Checkout down", "-s", "P1"))
    assert key in line and hint in line
    assert "imf.toml" in line


def test_a_missing_api_key_variable_is_named(imf_cli, imf_config):
    imf_config(
        {
            "plugins": {
                "statuspage": {"atlassian": {"page_id": "p", "api_key": {"env": "SP_KEY_NOT_SET"}}}
            }
        }
    )
    line = one_line_error(imf_cli("declare", "Checkout down", "-s", "P1"))
    assert "plugins.statuspage.atlassian.api_key" in line and "SP_KEY_NOT_SET" in line


def test_the_api_key_never_shows_in_config_output(imf_cli, imf_config, monkeypatch):
    monkeypatch.setenv("SP_KEY", "super-secret-statuspage-key")
    imf_config(
        {"plugins": {"statuspage": {"atlassian": {"page_id": "p", "api_key": {"env": "SP_KEY"}}}}}
    )
    for args in (("config", "show"), ("config", "show", "--json"), ("plugins",)):
        result = imf_cli(*args)
        assert result.exit_code == 0, result
        assert "super-secret-statuspage-key" not in result.stdout + result.stderr
    config = AtlassianConfig(page_id="p", api_key=imf.Secret("super-secret-statuspage-key"))
    assert "super-secret-statuspage-key" not in repr(config)


def test_impact_and_component_status_follow_the_rank_unless_configured():
    levels = policy("SEV1", "SEV2", "SEV3", "SEV4", "SEV5")
    config = StatuspageConfig(static=StaticConfig(output_dir="site"))
    assert [config.impact_of(n, levels) for n in levels.names()] == [
        "critical",
        "major",
        "minor",
        "minor",
        "minor",
    ]
    assert [config.component_status_of(n, levels) for n in levels.names()] == [
        "major_outage",
        "partial_outage",
        "degraded_performance",
        "degraded_performance",
        "degraded_performance",
    ]
    tuned = StatuspageConfig(
        impact={"sev2": "critical"},
        component_status={"SEV3": "partial_outage"},
        static=StaticConfig(output_dir="site"),
    )
    assert tuned.impact_of("SEV2", levels) == "critical"
    assert tuned.component_status_of("sev3", levels) == "partial_outage"
    assert tuned.impact_of("UNKNOWN", levels) == "minor"


def test_which_incidents_are_public():
    config = StatuspageConfig(severities=["p1"], static=StaticConfig(output_dir="site"))
    assert config.is_public(incident("P1"))
    assert config.is_public(incident("P3", customer_facing=True))
    assert not config.is_public(incident("P2"))


def test_the_plugin_passes_the_plugin_check():
    check_plugin(imf_statuspage, "statuspage")


def test_every_message_exists_in_english_and_russian():
    assert CATALOG.missing() == {}
    assert set(CATALOG.messages) == {"en", "ru"}
    for key, english in CATALOG.messages["en"].items():
        russian = CATALOG.messages["ru"][key]
        fields = sorted(part.split("}")[0] for part in english.split("{")[1:])
        assert fields == sorted(part.split("}")[0] for part in russian.split("{")[1:]), key


def test_the_plugin_module_imports_no_heavy_library():
    import subprocess
    import sys

    code = (
        "import sys, imf_statuspage, imf_statuspage.cli; "
        "print(sorted(m for m in ('jinja2', 'httpx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
