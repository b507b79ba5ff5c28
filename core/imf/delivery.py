"""The outbox: delivering lifecycle events to each plugin, isolated, in order, with retries.

pluggy stops at the first hookimpl that raises, so imf never calls a lifecycle hook as one
``pm.hook.imf_x()``. The lifecycle service records one delivery per (event, plugin) in the
event's transaction; :class:`Dispatcher` then claims due deliveries, calls each plugin's
hookimpl on its own thread with a timeout, and records the outcome: delivered (with the
references the plugin returned), pending with a next attempt (exponential backoff with
jitter, honouring ``Retry-After``), or dead. Deliveries of one (incident, plugin) go out in
event order, so a resolve never overtakes its trigger.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from imf.config import Config
from imf.context import PluginContext, logger
from imf.errors import PermanentError, RetryableError
from imf.hookspecs import LIFECYCLE_HOOKS
from imf.model import Event, Incident, utcnow
from imf.plugins import PluginHost
from imf.projection import project
from imf.records import Record, factory
from imf.store.base import ClaimedDelivery, Store

if TYPE_CHECKING:
    import random


class Outcome(Record):
    """What happened to one delivery attempt."""

    delivery_id: int
    incident_id: str
    plugin: str
    hook: str
    kind: str
    state: str  # delivered | pending | dead | skipped
    error: str = ""
    next_attempt_at: datetime | None = None
    seconds: float = 0.0


class Report(Record):
    """Outcomes of one dispatch run."""

    outcomes: list[Outcome] = factory(list)
    queued: list[str] = factory(list)  # plugins whose delivery waits behind earlier ones

    @property
    def failed(self) -> list[Outcome]:
        """Attempts that did not deliver."""
        return [o for o in self.outcomes if o.state != "delivered"]


def worker_id() -> str:
    """A name unique to this process, recorded as the lease owner."""
    if hasattr(os, "uname"):
        host = os.uname().nodename
    else:  # Windows
        import socket

        host = socket.gethostname()
    return f"{host}:{os.getpid()}:{threading.get_ident()}"


def backoff(attempts: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds before attempt ``attempts + 1``: exponential, capped, with full jitter above
    half the step so retries of many clients spread out but never come back too early."""
    import random  # only when a delivery failed

    step = min(cap, base * (2 ** max(0, attempts - 1)))
    return (rng or random).uniform(step / 2, step)


class Dispatcher:
    """Calls plugins for claimed deliveries and records the outcomes.

    :param store: the store holding the outbox.
    :param host: the plugin host (only active plugins are called).
    :param contexts: builds the :class:`PluginContext` for a plugin and incident.
    :param config: the merged configuration (``[imf.delivery]`` settings).
    :param clock: the current time (tests pass a controllable one).
    """

    def __init__(
        self,
        store: Store,
        host: PluginHost,
        contexts: Callable[[str, Incident], PluginContext],
        config: Config,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.host = host
        self.contexts = contexts
        self.settings = config.core.delivery
        self.clock = clock
        self.worker = worker_id()
        self.max_age = self.settings.max_age

    def targets(self, kind: str) -> list[tuple[str, str]]:
        """``(plugin, hook)`` pairs that an event of ``kind`` is delivered to."""
        hook = LIFECYCLE_HOOKS.get(kind)
        if hook is None:
            return []
        return [(name, hook) for name in self.host.implementers(hook)]

    def run(
        self,
        *,
        incident_id: str | None = None,
        ids: Sequence[int] | None = None,
        limit: int = 200,
        rounds: int = 1000,
        stop: threading.Event | None = None,
    ) -> Report:
        """Deliver what is due (optionally of one incident), round after round, until nothing
        due is left; each round sends the first pending delivery of every (incident, plugin)
        chain concurrently. ``stop`` ends the run between rounds (SIGTERM to a worker)."""
        report = Report()
        for _ in range(rounds):
            if stop is not None and stop.is_set():
                break  # asked to stop: what was claimed is done; the rest waits for later
            now = self.clock()
            lease = now + timedelta(seconds=max(self.settings.lease, self.settings.timeout * 2))
            claimed = self.store.claim(
                self.worker, now, lease, limit=limit, incident_id=incident_id, ids=ids
            )
            if not claimed:
                break
            report.outcomes.extend(self._send_all(claimed))
            ids = None  # after the first round, follow the chains of the same incident(s)
            if incident_id is None and len(claimed) < limit and not self._more_due():
                break
        return report

    def _more_due(self) -> bool:
        due = self.store.next_due()
        return due is not None and due <= self.clock()

    def _send_all(self, claimed: Sequence[ClaimedDelivery]) -> list[Outcome]:
        """Send ``claimed`` with at most ``max_parallel`` calls at a time."""
        results: list[Outcome | None] = [None] * len(claimed)
        if len(claimed) == 1:  # the usual case of a command: no worker thread needed
            self._send_guarded(claimed[0], results, 0)
            return [r for r in results if r is not None]
        pending = iter(range(len(claimed)))
        lock = threading.Lock()

        def work() -> None:
            while True:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                self._send_guarded(claimed[index], results, index)

        workers = [
            threading.Thread(target=work, daemon=True)
            for _ in range(max(1, min(self.settings.max_parallel, len(claimed))))
        ]
        for worker in workers:
            worker.start()
        per_worker = -(-len(claimed) // len(workers))
        for worker in workers:
            # Each send has its own timeout inside; this is the outer bound.
            worker.join(per_worker * (self.settings.timeout + 5))
        return [r for r in results if r is not None]

    def _send_guarded(
        self, item: ClaimedDelivery, results: list[Outcome | None], index: int
    ) -> None:
        try:
            results[index] = self.send(item)
        except Exception:  # recording failed (store gone); the lease will expire and retry
            logger("imf.delivery").exception("recording the delivery %s failed", item.delivery.id)

    def _incident_at(self, event: Event) -> Incident:
        """The incident right after ``event``, with the references known now."""
        incident = project(self.store.events(event.incident_id, upto_seq=event.seq))
        incident.refs = self.store.refs(event.incident_id)
        return incident

    def send(self, item: ClaimedDelivery) -> Outcome:
        """Call one plugin for one delivery (with the timeout) and record the outcome."""
        d, event = item.delivery, item.event
        started = self.clock()
        outcome = Outcome(d.id, d.incident_id, d.plugin, d.hook, event.kind, "pending")
        impl = next((i for i in self.host.impls(d.hook) if i.plugin_name == d.plugin), None)
        if impl is None:
            # The plugin was switched off since the event; keep the delivery for when it is back.
            outcome.state = "skipped"
            outcome.error = "plugin not active"
            self.store.finish(
                d.id,
                self.worker,
                state="pending",
                now=started,
                next_attempt_at=started + timedelta(hours=1),
                error=outcome.error,
            )
            return outcome
        incident = self._incident_at(event)
        ctx = self.contexts(d.plugin, incident)
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["result"] = self.host.call_impl(impl, incident=incident, event=event, ctx=ctx)
            except BaseException as exc:  # recorded, never propagated: one plugin, one outcome
                box["error"] = exc

        thread = threading.Thread(target=call, daemon=True, name=f"imf-{d.plugin}-{d.id}")
        thread.start()
        thread.join(self.settings.timeout)
        finished = self.clock()
        outcome.seconds = (finished - started).total_seconds()
        attempts = d.attempts + 1
        refs: dict[str, Any] | None = None
        retry_after: float | None = None
        if thread.is_alive():
            state, error = "pending", f"timed out after {self.settings.timeout:g}s"
        elif "error" in box:
            exc = box["error"]
            error = _describe(exc)
            if isinstance(exc, PermanentError):
                state = "dead"
            else:
                state = "pending"
                if isinstance(exc, RetryableError):
                    retry_after = exc.retry_after
        else:
            state, error = "delivered", ""
            result = box.get("result")
            if isinstance(result, Mapping):
                refs = dict(result)
        next_at: datetime | None = None
        if state == "pending":
            too_old = finished - event.at > self.max_age
            if attempts >= self.settings.max_attempts or too_old:
                state = "dead"
            else:
                delay = backoff(attempts, self.settings.backoff_base, self.settings.backoff_max)
                if retry_after is not None:
                    delay = max(retry_after, min(delay, retry_after + self.settings.backoff_base))
                next_at = finished + timedelta(seconds=delay)
        timeline = None
        if state == "dead":
            timeline = Event(
                incident_id=d.incident_id,
                kind="delivery_dead",
                at=finished,
                actor=f"plugin:{d.plugin}",
                data={"plugin": d.plugin, "hook": d.hook, "event_seq": event.seq, "error": error},
            )
        self.store.finish(
            d.id,
            self.worker,
            state=state,
            now=finished,
            next_attempt_at=next_at,
            error=error,
            refs=refs,
            timeline=timeline,
        )
        if state != "delivered":
            logger("imf.delivery").warning("delivery %s to %s: %s", d.id, d.plugin, error)
        outcome.state, outcome.error, outcome.next_attempt_at = state, error, next_at
        return outcome


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, PermanentError | RetryableError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
