"""Configuration, routing-key choice and severity mapping of the PagerDuty plugin."""

from __future__ import annotations

import hashlib

import pytest

import imf
from imf_pagerduty.config import (
    DEFAULT_KEY_PATH,
    PagerDutyConfig,
    ServiceRoute,
    choose_route,
    find_route,
    fingerprint,
    pagerduty_severity,
    pages,
)

from .conftest import OTHER_KEY, ROUTING_KEY


def make_config(**kwargs: object) -> PagerDutyConfig:
    return PagerDutyConfig(routing_key=imf.Secret(ROUTING_KEY, "env PD_ROUTING_KEY"), **kwargs)


def test_missing_routing_key_is_a_one_line_error_naming_the_key(imf_cli, imf_config):
    imf_config({"plugins": {"pagerduty": {"events_url": "http://127.0.0.1:9/v2/enqueue"}}})
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 2, result
    assert "plugins.pagerduty.routing_key" in result.stderr
    assert "imf.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    imf_config({})
    assert imf_cli("list", "--all", "--json").json() == []  # nothing was recorded


def test_unknown_pagerduty_severity_names_the_key(imf_cli, pd_config):
    pd_config(severity_map={"P1": "fatal"})
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 2, result
    assert "plugins.pagerduty.severity_map.P1" in result.stderr
    assert "critical" in result.stderr


def test_missing_secret_environment_variable_is_named(imf_cli, pd_config, monkeypatch):
    pd_config()
    monkeypatch.delenv("PD_ROUTING_KEY")
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 2, result
    assert "PD_ROUTING_KEY" in result.stderr


def test_rest_needs_a_from_email(imf_cli, pd_config):
    pd_config(rest={"token": {"env": "PD_API_TOKEN"}})
    result = imf_cli("declare", "Checkout down", "-s", "P1")
    assert result.exit_code == 2, result
    assert "plugins.pagerduty.rest.from_email" in result.stderr


def test_fingerprint_is_stable_and_does_not_reveal_the_key():
    printed = fingerprint(ROUTING_KEY)
    assert printed == "sha256:" + hashlib.sha256(ROUTING_KEY.encode()).hexdigest()[:12]
    assert ROUTING_KEY not in printed
    assert fingerprint(OTHER_KEY) != printed


def test_the_first_service_with_a_key_wins_else_the_default():
    config = make_config(services={"Payments": ServiceRoute(imf.Secret(OTHER_KEY))})
    assert choose_route(config, ("web", "payments")).path == (
        "plugins.pagerduty.services.Payments.routing_key"
    )
    assert choose_route(config, ("payments",)).key.reveal() == OTHER_KEY
    assert choose_route(config, ("web",)).path == DEFAULT_KEY_PATH
    assert choose_route(config, ()).key.reveal() == ROUTING_KEY


def test_find_route_matches_by_fingerprint_wherever_the_key_moved():
    moved = PagerDutyConfig(
        routing_key=imf.Secret(OTHER_KEY),
        services={"db": ServiceRoute(imf.Secret(ROUTING_KEY))},
    )
    found = find_route(moved, DEFAULT_KEY_PATH, fingerprint(ROUTING_KEY))
    assert found is not None
    assert found.key.reveal() == ROUTING_KEY
    assert found.path == "plugins.pagerduty.services.db.routing_key"
    assert find_route(make_config(), DEFAULT_KEY_PATH, fingerprint("x" * 32)) is None


@pytest.mark.parametrize(
    ("severity", "expected"),
    [("P1", "critical"), ("P2", "error"), ("P3", "warning"), ("P4", "info")],
)
def test_default_severity_mapping_follows_the_policy_rank(imf_app, severity, expected):
    policy = imf_app(entry_points=True).policy
    assert pagerduty_severity(make_config(), policy.find(severity), severity) == expected


def test_severity_mapping_is_configurable(imf_app):
    policy = imf_app().policy
    config = make_config(severity_map={"p2": "critical"})
    assert pagerduty_severity(config, policy.find("P2"), "P2") == "critical"
    assert pagerduty_severity(config, None, "SEV9") == "info"


def test_paging_severities_default_to_the_policy_and_can_be_overridden(imf_app):
    policy = imf_app().policy
    assert [name for name in policy.names() if pages(make_config(), policy, name)] == ["P1", "P2"]
    only_p1 = make_config(page_severities=["p1"])
    assert [name for name in policy.names() if pages(only_p1, policy, name)] == ["P1"]
