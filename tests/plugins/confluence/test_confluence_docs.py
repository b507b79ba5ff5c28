"""The configuration shown on the Confluence and Markdown plugin pages is valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[3] / "docs" / "plugins"
BLOCK = re.compile(r"```toml\n(.*?)```", re.DOTALL)


def blocks(page: str) -> list[str]:
    return BLOCK.findall((DOCS / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("page", "index"),
    [(page, i) for page in ("confluence.md", "markdown.md") for i in range(len(blocks(page)))],
)
def test_documented_configuration_validates(imf_home, imf_cli, monkeypatch, page, index):
    monkeypatch.setenv("CONFLUENCE_TOKEN", "documented-token")
    monkeypatch.setenv("CONFLUENCE_PAT", "documented-pat")
    imf_home.config_path.write_text(blocks(page)[index], encoding="utf-8")
    result = imf_cli("config", "validate")
    assert result.exit_code == 0, result
    assert "documented-token" not in result.stdout + result.stderr
