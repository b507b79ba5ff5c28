"""The default levels: data the plugin loads without parsing anything, a fresh copy each time."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

import imf
import imf_severity

DURATION_KEYS = ("response_target", "update_min", "update_max", "roles_within", "postmortem_due")


def test_each_call_returns_data_of_its_own():
    first = imf_severity.default_levels()
    first["P1"]["notify"].append("everyone")
    first["P2"]["title"]["en"] = "Changed"
    del first["P3"]
    again = imf_severity.default_levels()
    assert "everyone" not in again["P1"]["notify"]
    assert again["P2"]["title"]["en"] == "High"
    assert sorted(again) == ["P1", "P2", "P3", "P4"]


def test_the_policy_is_built_without_parsing_a_duration(monkeypatch):
    def refuse(value):
        raise AssertionError(f"parsed {value!r}")

    monkeypatch.setattr(imf, "parse_duration", refuse)
    policy = imf_severity.build_policy(None)
    for level, values in zip(policy.levels, imf_severity.default_levels().values(), strict=True):
        for key in DURATION_KEYS:
            assert getattr(level, key) == values[key], (level.name, key)
    # A new level without durations gets the fallbacks.
    config = imf_severity.SeverityConfig(levels={"P5": imf_severity.LevelConfig(rank=5)})
    p5 = imf_severity.build_policy(config).level("P5")
    assert (p5.response_target, p5.update_min, p5.update_max) == (
        timedelta(hours=8),
        timedelta(days=1),
        timedelta(days=1),
    )
    assert (p5.roles_within, p5.postmortem_due) == (timedelta(minutes=15), timedelta(days=5))


def test_an_unknown_duration_is_still_parsed():
    config = imf_severity.SeverityConfig(
        levels={"P5": imf_severity.LevelConfig(rank=5, update_max=timedelta(minutes=45))}
    )
    assert imf_severity.build_policy(config).level("P5").update_min == timedelta(minutes=45)
    assert imf_severity._duration("1h30m") == timedelta(minutes=90)
    with pytest.raises(ValueError, match="expected a duration"):
        imf_severity._duration("soon")


def test_building_the_policy_parses_no_toml():
    code = (
        "import sys, imf_severity\n"
        "policy = imf_severity.build_policy(None)\n"
        "print(policy.names(), 'tomllib' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["('P1',", "'P2',", "'P3',", "'P4')", "False"]
