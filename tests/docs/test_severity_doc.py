"""The severity page states the bundled levels as ``imf_severity.levels`` defines them."""

from __future__ import annotations

from pathlib import Path

import pytest

from imf.validate import format_duration
from imf_severity import default_levels

PAGE = Path(__file__).resolve().parents[2] / "docs" / "plugins" / "severity.md"
LEVELS = default_levels()


def rows() -> dict[str, list[str]]:
    table = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in LEVELS:
            table[cells[0]] = cells
    return table


@pytest.mark.parametrize("name", sorted(LEVELS))
def test_levels_table_row_matches_the_defaults(name):
    level = LEVELS[name]
    row = rows()[name]
    cadence = (
        format_duration(level["update_max"])
        if level["update_min"] == level["update_max"]
        else f"{format_duration(level['update_min'])}–{format_duration(level['update_max'])}"
    )
    roles = ", ".join(level["required_roles"])
    expected = [
        name,
        level["title"]["en"],
        level["criteria"]["en"],
        format_duration(level["response_target"]),
        cadence,
        level["war_room"],
        "yes" if level["page"] else "no",
        f"{roles} ({format_duration(level['roles_within'])})" if roles else "—",
        "yes" if level["verification_gate"] else "no",
        f"{'required' if level['postmortem_required'] else 'optional'}, "
        f"due in {format_duration(level['postmortem_due'])}",
    ]
    assert row == expected


@pytest.mark.parametrize("name", sorted(LEVELS))
def test_who_is_notified_matches_the_defaults(name):
    notified = ", ".join(f"`{who}`" for who in LEVELS[name]["notify"])
    assert f"{name} — {notified}" in PAGE.read_text(encoding="utf-8")
