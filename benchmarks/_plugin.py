"""A minimal delivery plugin for the benchmarks: POSTs each lifecycle event as JSON."""

from __future__ import annotations

import attrs

import imf


@attrs.frozen
class BenchConfig:
    """``[plugins.benchN]``."""

    url: str


class Bench:
    """One instance per entry point name (bench1 … bench4)."""

    def __init__(self, name: str) -> None:
        self.name = name

    @imf.hookimpl
    def imf_config_class(self) -> type:
        return BenchConfig

    @imf.hookimpl
    def imf_declare(self, incident, event, ctx):
        ctx.http.post(
            ctx.config.url,
            json={"incident": incident.id, "kind": event.kind, "seq": event.seq},
            headers={"Idempotency-Key": f"{self.name}:{incident.id}:{event.seq}"},
            service=self.name,
        )


bench1, bench2, bench3, bench4 = (Bench(f"bench{n}") for n in range(1, 5))
