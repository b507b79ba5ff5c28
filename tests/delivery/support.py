"""Helpers of the delivery tests: a counting loopback server, a clock, a probe install."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from imf.model import utcnow
from imf.testing.fakes.base import FakeServer, Recorded, Response

ROOT = Path(__file__).resolve().parents[2]


class CollectorFake(FakeServer):
    """Accepts ``POST /<plugin>`` and counts deliveries by their ``Idempotency-Key``."""

    def __init__(self) -> None:
        super().__init__(validate=False)
        self.accepted: list[Recorded] = []
        self.route("POST", "/{plugin}", self._accept)

    def _accept(self, request: Recorded, params: dict[str, str]) -> Response:
        with self._lock:
            self.accepted.append(request)
        return Response.json(200, {"ok": True})

    def keys(self) -> Counter[str]:
        """How many times each delivery was accepted."""
        with self._lock:
            return Counter(r.headers.get("idempotency-key", "") for r in self.accepted)

    def kinds(self, plugin: str = "probe") -> list[tuple[str, str, int]]:
        """``(incident, kind, seq)`` accepted for ``plugin``, in arrival order."""
        with self._lock:
            return [
                (r.json["incident"], r.json["kind"], r.json["seq"])
                for r in self.accepted
                if r.json and r.json["plugin"] == plugin
            ]


class Clock:
    """A controllable clock: real time plus an offset that tests advance."""

    def __init__(self) -> None:
        self.offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return utcnow() + self.offset

    def advance(self, **kwargs: float) -> None:
        with self._lock:
            self.offset += timedelta(**kwargs)


def install_probes(site: Path) -> dict[str, str]:
    """Make the probe plugins discoverable by ``imf`` processes through entry points;
    return environment variables to add."""
    dist = site / "imf_probe-1.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: imf-probe\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[imf]\n"
        + "".join(
            f"{n} = tests.delivery.probe:{n}\n" for n in ("probe", "probe2", "probe3", "probe4")
        )
    )
    return {"PYTHONPATH": f"{site}:{ROOT}"}
