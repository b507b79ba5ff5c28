"""Posting to the channel webhook: both flavours, errors in 200, throttling, pacing."""

from __future__ import annotations

import pytest

import imf
from imf.testing import specs
from imf.testing.fakes import TeamsWebhookFake
from imf_teams import webhook as webhook_module
from imf_teams.webhook import LIMITS, RateLimited, RateLimiter, refused_status


def deliveries(imf_cli, incident: str = "INC-1"):
    shown = imf_cli("show", incident, "--json")
    assert shown.exit_code == 0, shown
    return [d for d in shown.json()["deliveries"] if d["plugin"] == "teams"]


@pytest.mark.parametrize("flavour", ["workflows", "connector"])
def test_both_flavours_accept_the_cards(imf_cli, teams_config, flavour):
    specs.require_specs()
    with TeamsWebhookFake(flavour) as hook:
        teams_config(hook)
        assert imf_cli("declare", "Checkout down", "-s", "P2").exit_code == 0
        assert imf_cli("update", "INC-1", "--summary", "Rolled back").exit_code == 0
        assert len(hook.cards) == 2
        for request in hook.requests:
            assert request.headers["content-type"].startswith("application/json")
            assert specs.validate_teams_envelope(request.json) == []
        hook.assert_no_spec_errors()
    assert [d["state"] for d in deliveries(imf_cli)] == ["delivered", "delivered"]


@pytest.mark.parametrize(("status", "state"), [(429, "pending"), (413, "dead"), (400, "dead")])
def test_connector_errors_in_200_are_the_errors_they_name(
    imf_cli, teams_config, connector, status, state
):
    teams_config(connector)
    connector.connector_error_next(1, status)
    result = imf_cli("declare", "Checkout down", "-s", "P2")
    assert result.exit_code == 0, result
    assert f"HTTP error {status}" in result.stderr
    [delivery] = deliveries(imf_cli)
    assert delivery["state"] == state
    assert connector.cards == []


def test_a_connector_429_in_200_is_retried(imf_cli, teams_config, connector, clock):
    teams_config(connector)
    connector.connector_error_next(1, 429)
    imf_cli("declare", "Checkout down", "-s", "P2", clock=clock)
    clock.advance(120)
    assert imf_cli("deliver", clock=clock).exit_code == 0
    assert len(connector.cards) == 1
    assert deliveries(imf_cli)[0]["state"] == "delivered"


def test_workflows_throttling_honours_retry_after(imf_cli, teams_config, webhook, clock):
    teams_config(webhook)
    webhook.throttle_next(1, retry_after=90)
    result = imf_cli("declare", "Checkout down", "-s", "P2", clock=clock)
    assert "HTTP 429" in result.stderr, result
    clock.advance(45)
    imf_cli("deliver", clock=clock)
    assert webhook.cards == []
    clock.advance(50)
    imf_cli("deliver", clock=clock)
    assert len(webhook.cards) == 1


def test_server_errors_are_retried(imf_cli, teams_config, webhook, clock):
    teams_config(webhook)
    webhook.fail_next(2, 502)
    imf_cli("declare", "Checkout down", "-s", "P2", clock=clock)
    for _ in range(2):
        clock.advance(120)
        imf_cli("deliver", clock=clock)
    assert len(webhook.cards) == 1


def test_the_webhook_url_never_appears_in_errors(imf_cli, teams_config, webhook):
    teams_config(webhook)
    url = webhook.webhook_url
    webhook.stop()  # connection refused
    result = imf_cli("declare", "Checkout down", "-s", "P2")
    assert "Teams webhook: connection failed" in result.stderr, result
    shown = imf_cli("show", "INC-1", "--json").stdout + imf_cli("outbox").stdout
    for secret in ("sig=imf-fake", "/workflows/", url):
        assert secret not in result.stderr + result.stdout + shown


def test_refused_status_reads_the_connector_text():
    assert refused_status("1") is None
    assert refused_status("") is None
    text = "Microsoft Teams endpoint returned HTTP error 413 with ContextId tcid=0,server=x,cv=y"
    assert refused_status(text) == 413


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_limiter_keeps_four_per_second_and_sixty_per_thirty_seconds():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock, margin=0)
    waits = [limiter.reserve("hook", max_wait=1000) for _ in range(8)]
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:] == [1.0, 1.0, 1.0, 1.0]
    booked = [clock.now + w for w in waits]
    for _ in range(60 - 8):
        booked.append(clock.now + limiter.reserve("hook", max_wait=1000))
    # Any window of 1 s holds at most 4 posts, any window of 30 s at most 60.
    for count, seconds in LIMITS:
        for start in booked:
            assert sum(1 for t in booked if start <= t < start + seconds) <= count
    assert booked[-1] == clock.now + 14.0
    # The 61st post waits for the first to leave the 30-second window.
    assert limiter.reserve("hook", max_wait=1000) == pytest.approx(30.0)


def test_the_default_margin_keeps_posts_a_little_inside_the_limits():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    waits = [limiter.reserve("hook", max_wait=1000) for _ in range(5)]
    assert waits[-1] == pytest.approx(1.1)


def test_the_limiter_is_per_webhook_and_frees_up_over_time():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock, margin=0)
    for _ in range(4):
        limiter.reserve("a", max_wait=0)
    assert limiter.reserve("b", max_wait=0) == 0
    clock.now += 1.0
    assert limiter.reserve("a", max_wait=0) == 0


def test_a_long_wait_becomes_a_retry_instead_of_blocking():
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    for _ in range(60):
        limiter.reserve("a", max_wait=1000)
    with pytest.raises(RateLimited) as caught:
        limiter.reserve("a", max_wait=2.5)
    assert caught.value.wait > 2.5
    assert limiter.reserve("b", max_wait=0) == 0  # nothing was booked for "a" either


def test_posts_are_paced_within_teams_limits(imf_app, teams_config):
    with TeamsWebhookFake("workflows", enforce_rate_limit=True) as hook:
        teams_config(hook)
        app = imf_app()
        app.service.declare("Checkout down", severity="P3")
        for n in range(8):
            app.service.update("INC-1", summary=f"step {n}")
        every = app.store.deliveries(incident_id="INC-1", states=("pending", "dead", "delivered"))
        assert [d.state for d in every if d.plugin == "teams"] == ["delivered"] * 9
        assert len(hook.cards) == 9
        assert len(hook.requests) == 9  # none was throttled


def test_the_limiter_key_is_not_the_url():
    url = "https://example.webhook.office.com/x?sig=secret"
    assert "secret" not in webhook_module.limiter_key(url)


def test_a_post_over_the_limit_is_not_sent_but_retried(webhook):
    clock = FakeClock()
    limiter = RateLimiter(LIMITS, clock)
    for _ in range(60):
        limiter.reserve(webhook_module.limiter_key(webhook.webhook_url), max_wait=1000)
    ctx = imf.PluginContext(name="teams", lang="ru", timeout=5.0)
    with pytest.raises(imf.RetryableError) as caught:
        webhook_module.post(ctx, webhook.webhook_url, b"{}", limiter=limiter)
    assert caught.value.retry_after is not None and caught.value.retry_after > 2.5
    assert "превышен лимит Teams" in str(caught.value)
    assert webhook.requests == []
