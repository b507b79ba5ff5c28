"""The bundled severity policy: the methodology's P1–P4, overrides, renames, classification."""

from __future__ import annotations

from datetime import timedelta

import pytest


def test_methodology_defaults(imf_app):
    policy = imf_app().policy
    assert policy.names() == ("P1", "P2", "P3", "P4")
    p1, p2, p3, p4 = (policy.level(n) for n in policy.names())
    assert [lv.response_target for lv in (p1, p2, p3, p4)] == [
        timedelta(minutes=15),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=8),
    ]
    assert (p1.update_min, p1.update_max) == (timedelta(minutes=15), timedelta(minutes=30))
    assert (p2.update_min, p2.update_max) == (timedelta(minutes=30), timedelta(hours=1))
    assert (p3.update_min, p3.update_max) == (timedelta(hours=2), timedelta(hours=4))
    assert p4.update_max == timedelta(days=1)
    assert [lv.war_room for lv in (p1, p2, p3, p4)] == ["activate", "prepare", "none", "none"]
    assert [lv.page for lv in (p1, p2, p3, p4)] == [True, True, False, False]
    assert p1.title("ru") == "Критический" and p1.title("en") == "Critical"
    assert "data loss" in p1.criteria["en"]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"data_loss": True}, "P1"),
        ({"security": True, "workaround": True}, "P1"),
        ({"users_affected": 80}, "P1"),
        ({"users_affected": 80, "workaround": True}, "P2"),
        ({"users_affected": 20}, "P2"),
        ({"users_affected": 20, "workaround": True}, "P3"),
        ({"users_affected": 1}, "P3"),
        ({"users_affected": 1, "workaround": True}, "P4"),
        ({"users_affected": 0}, "P4"),
        ({}, "P4"),
    ],
)
def test_classification(imf_app, facts, expected):
    assert imf_app().policy.classify(**facts) == expected


def test_declare_without_severity_classifies(imf_cli):
    result = imf_cli("declare", "Checkout failing", "--users-affected", "60", "--json")
    assert result.json()["incident"]["severity"] == "P1"
    assert result.json()["incident"]["classification"]["users_affected"] == 60
    result = imf_cli("declare", "Typo", "--json")
    assert result.json()["incident"]["severity"] == "P4"
    bad = imf_cli("declare", "x", "--users-affected", "150")
    assert bad.exit_code != 0 and "0 to 100" in bad.stderr


def test_overrides_and_renames(imf_config, imf_app):
    imf_config(
        {
            "plugins": {
                "severity": {
                    "rename": {"P1": "SEV1", "P2": "SEV2", "P3": "SEV3", "P4": "SEV4"},
                    "levels": {"SEV2": {"response_target": "20m", "page": False}},
                    "classify": {"critical_users": 30},
                }
            }
        }
    )
    policy = imf_app().policy
    assert policy.names() == ("SEV1", "SEV2", "SEV3", "SEV4")
    assert policy.level("sev2").response_target == timedelta(minutes=20)
    assert policy.level("SEV2").page is False
    assert policy.level("SEV1").page is True
    assert policy.classify(users_affected=35) == "SEV1"


def test_replace_the_whole_set(imf_config, imf_app, imf_cli):
    imf_config(
        {
            "plugins": {
                "severity": {
                    "replace": True,
                    "levels": {
                        "high": {"rank": 1, "response_target": "10m", "page": True},
                        "low": {"rank": 2, "response_target": "1d"},
                    },
                }
            }
        }
    )
    assert imf_app().policy.names() == ("high", "low")
    bad = imf_cli("declare", "x", "-s", "P1")
    assert bad.exit_code == 2
    assert bad.stderr.strip().endswith("invalid severity 'P1'; valid: high, low")


def test_invalid_override_values(imf_config, imf_cli):
    imf_config({"plugins": {"severity": {"levels": {"P1": {"war_room": "maybe"}}}}})
    result = imf_cli("declare", "x", "-s", "P2")
    assert result.exit_code == 2
    assert "plugins.severity.levels.P1.war_room" in result.stderr
    imf_config({"plugins": {"severity": {"levels": {"P9": {"page": True}}}}})
    assert "needs a rank" in imf_cli("declare", "x", "-s", "P2").stderr
    imf_config({"plugins": {"severity": {"levels": {"P1": {"required_roles": ["boss"]}}}}})
    assert "boss" in imf_cli("config", "validate").stderr
    assert imf_cli("list", "--all").stdout.strip() == "No incidents."
