"""The status page documentation: its TOML examples are valid configurations."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "statuspage.md"


def toml_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)


def test_the_page_shows_toml_for_each_backend():
    tables = [tomllib.loads(block) for block in toml_blocks()]
    plugin = [t.get("plugins", {}).get("statuspage", {}) for t in tables]
    assert any("atlassian" in p for p in plugin)
    assert any("static" in p for p in plugin)
    assert (DOC.parent.parent / "images" / "statuspage.png").is_file()


@pytest.mark.parametrize("block", toml_blocks())
def test_every_toml_example_is_a_valid_configuration(imf_cli, imf_home, monkeypatch, block):
    monkeypatch.setenv("STATUSPAGE_API_KEY", "example-key")
    imf_home.config_path.write_text(block, encoding="utf-8")
    result = imf_cli("config", "validate")
    assert result.exit_code == 0, result
