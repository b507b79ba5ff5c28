"""``imf plugins --requirements`` pins imf and the distributions that provide plugins."""

from __future__ import annotations

import imf
from imf.cli.requirements import pinned
from imf.plugins import PluginInfo


def test_pins_each_distribution_once_imf_first_and_skips_in_process_plugins():
    infos = [
        PluginInfo("webhook", "imf_webhook", distribution="imf_Webhook", version="0.3.1"),
        PluginInfo("acme", "acme_imf", distribution="acme-imf", version="2.0"),
        PluginInfo("acme_extra", "acme_imf.extra", distribution="acme-imf", version="2.0"),
        PluginInfo("severity", "imf_severity", distribution="imf", version="9.9", builtin=True),
        PluginInfo("probe", "tests.probe"),
    ]
    assert pinned(infos, "0.1.0") == ["imf==0.1.0", "acme-imf==2.0", "imf-webhook==0.3.1"]


def test_cli_prints_pins_with_a_header_and_as_json(imf_cli):
    probe = type("Probe", (), {})()
    text = imf_cli("plugins", "--requirements", plugins={"probe": probe})
    assert text.exit_code == 0, text
    lines = text.stdout.splitlines()
    assert lines[0] == "# imf and its installed plugin distributions"
    assert f"imf=={imf.__version__}" in lines
    assert not any("probe" in line for line in lines)
    as_json = imf_cli("plugins", "--requirements", "--json").json()
    assert as_json == lines[1:]
    ru = imf_cli("--lang", "ru", "plugins", "--requirements")
    assert ru.stdout.startswith("# imf и установленные дистрибутивы плагинов\n")
