"""A probe plugin for delivery tests: POSTs every lifecycle event to a loopback server.

It can be told (in its config) to hang, to fail, or to kill its own process right before or
right after the remote accepted the event, so tests can crash ``imf`` at exact points.
"""

from __future__ import annotations

import os
import signal
import time
from typing import Literal

import attrs

import imf


@attrs.frozen
class ProbeConfig:
    """``[plugins.<probe>]``."""

    url: str
    hang: float = 0.0
    crash: Literal["", "before_send", "after_send"] = ""
    crash_on: str = "declared"
    fail: Literal["", "permanent", "exception"] = ""


class Probe:
    """One probe plugin; several can be registered under different names."""

    def __init__(self, name: str) -> None:
        self.name = name

    @imf.hookimpl
    def imf_config_class(self) -> type:
        return ProbeConfig

    def _send(self, incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext) -> dict:
        cfg: ProbeConfig = ctx.config
        if cfg.fail == "permanent":
            raise imf.PermanentError("probe: refused for good")
        if cfg.fail == "exception":
            raise ValueError("probe exploded")
        crash_here = cfg.crash and cfg.crash_on == event.kind
        if crash_here and cfg.crash == "before_send":
            os.kill(os.getpid(), signal.SIGKILL)
        if cfg.hang:
            time.sleep(cfg.hang)
        key = f"{self.name}:{incident.id}:{event.seq}"
        response = ctx.http.post(
            f"{cfg.url}/{self.name}",
            json={
                "plugin": self.name,
                "incident": incident.id,
                "kind": event.kind,
                "seq": event.seq,
            },
            headers={"Idempotency-Key": key},
            service=self.name,
        )
        body = response.json() if response.content else {}
        if isinstance(body, dict) and body.get("error"):
            raise imf.RetryableError(f"{self.name}: {body['error']}")
        if crash_here and cfg.crash == "after_send":
            os.kill(os.getpid(), signal.SIGKILL)
        return {"last_seq": event.seq, "previous": ctx.refs.get("last_seq")}

    @imf.hookimpl
    def imf_declare(self, incident, event, ctx):
        return self._send(incident, event, ctx)

    @imf.hookimpl
    def imf_update(self, incident, event, ctx):
        return self._send(incident, event, ctx)

    @imf.hookimpl
    def imf_escalate(self, incident, event, ctx):
        return self._send(incident, event, ctx)

    @imf.hookimpl
    def imf_resolve(self, incident, event, ctx):
        return self._send(incident, event, ctx)


probe = Probe("probe")
probe2 = Probe("probe2")
probe3 = Probe("probe3")
probe4 = Probe("probe4")
