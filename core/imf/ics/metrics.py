"""Response metrics over the whole store, computed in SQL.

Per severity: how many incidents (and how many open), time to acknowledge, to mitigate and
to resolve (median, 90th percentile, mean; from the declaration), response-target breaches
(acknowledged later than the level's target, or still unacknowledged past it) and the
breaches ``imf due`` recorded as reminders (cadence: ``update_overdue``; roles; escalation).
Across severities: incidents per service and open post-mortem action items.

The figures come from SQL over the ``incidents`` columns and the ``events`` table: counts,
means and breaches are ``GROUP BY`` aggregates; the durations behind the percentiles are
computed by the database in one scan and put in order here (portable SQL has no percentile
aggregate, and window functions over 100,000 rows are several times slower than a sort in
Python). No incident snapshot is decoded, so a store of 100,000 incidents answers in well
under two seconds (``benchmarks/metrics.py``). Percentiles interpolate linearly between the
two nearest ranks, like PostgreSQL's ``percentile_cont``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import define, field

from imf import serde
from imf.model import ActionItem, SeverityPolicy

#: The three durations, as ``(name, column)``; each is measured from ``declared_at``.
DURATIONS: tuple[tuple[str, str], ...] = (
    ("time_to_acknowledge", "acknowledged_at"),
    ("time_to_mitigate", "mitigated_at"),
    ("time_to_resolve", "resolved_at"),
)
PERCENTILES: tuple[tuple[str, int], ...] = (("median", 50), ("p90", 90))


@define
class Stats:
    """Median, 90th percentile and mean of one duration, in seconds (None without data)."""

    count: int = 0
    median: float | None = None
    p90: float | None = None
    mean: float | None = None


@define
class SeverityMetrics:
    """The metrics of one severity level."""

    count: int = 0
    open: int = 0
    time_to_acknowledge: Stats = field(factory=Stats)
    time_to_mitigate: Stats = field(factory=Stats)
    time_to_resolve: Stats = field(factory=Stats)
    response_target: float | None = None
    response_breaches: int = 0
    reminders: dict[str, int] = field(factory=dict)

    @property
    def cadence_breaches(self) -> int:
        """Overdue updates recorded (``update_overdue`` reminders)."""
        return self.reminders.get("update_overdue", 0)


@define
class Metrics:
    """Everything ``imf metrics`` reports."""

    count: int = 0
    open: int = 0
    severities: dict[str, SeverityMetrics] = field(factory=dict)
    services: dict[str, int] = field(factory=dict)
    open_action_items: int = 0
    action_items_by_priority: dict[str, int] = field(factory=dict)

    @property
    def response_breaches(self) -> int:
        """Response-target breaches across severities."""
        return sum(s.response_breaches for s in self.severities.values())

    @property
    def cadence_breaches(self) -> int:
        """Cadence breaches across severities."""
        return sum(s.cadence_breaches for s in self.severities.values())


@define
class Query:
    """Which incidents count: declared in ``[since, until)``, of a severity, of a service."""

    since: datetime | None = None
    until: datetime | None = None
    severity: str | None = None
    service: str | None = None


class _Sql:
    """SQL text for the store's dialect (SQLite or PostgreSQL)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.postgres = str(getattr(store, "url", "")).startswith("postgres")

    def seconds(self, later: str, earlier: str) -> str:
        """Seconds from ``earlier`` to ``later`` (columns or placeholders)."""
        if self.postgres:
            return (
                f"EXTRACT(EPOCH FROM (CAST({later} AS TIMESTAMPTZ)"
                f" - CAST({earlier} AS TIMESTAMPTZ)))"
            )
        return f"(julianday({later}) - julianday({earlier})) * 86400.0"

    def where(self, query: Query, alias: str = "") -> tuple[str, list[Any]]:
        """The WHERE clause selecting ``query``'s incidents."""
        a = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[Any] = []
        if query.since is not None:
            clauses.append(f"{a}declared_at >= ?")
            params.append(self.store.enc_time(query.since))
        if query.until is not None:
            clauses.append(f"{a}declared_at < ?")
            params.append(self.store.enc_time(query.until))
        if query.severity:
            clauses.append(f"{a}severity = ?")
            params.append(query.severity)
        if query.service:
            clauses.append(f"{a}services LIKE ?")
            params.append("%" + json.dumps(query.service, ensure_ascii=False) + "%")
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def run(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self.store.transaction(write=False) as cur:
            cur.execute(self.store.q(sql), list(params))
            return list(cur.fetchall())


def _per_level(policy: SeverityPolicy, value: Any) -> tuple[str, list[Any]]:
    """A CASE expression giving ``value(level)`` for each incident's severity."""
    if not policy.levels:
        return "NULL", []
    params: list[Any] = []
    for level in policy.levels:
        params += [level.name, value(level)]
    return f"CASE severity {' '.join('WHEN ? THEN ?' for _ in policy.levels)} END", params


def quantile(ordered: Sequence[float], percent: int) -> float | None:
    """The ``percent`` percentile of ``ordered`` (sorted), interpolating between the two
    nearest ranks; None when there is no value."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def compute(store: Any, policy: SeverityPolicy, query: Query, now: datetime) -> Metrics:
    """The metrics of the incidents ``query`` selects, as of ``now``."""
    sql = _Sql(store)
    where, params = sql.where(query)
    metrics = Metrics()
    # Late: acknowledged after the target, or still unacknowledged and declared before
    # now minus the target (a comparison of stored times, no arithmetic per row).
    targets, target_params = _per_level(policy, lambda lv: lv.response_target.total_seconds())
    cutoffs, cutoff_params = _per_level(policy, lambda lv: store.enc_time(now - lv.response_target))
    ack = sql.seconds("acknowledged_at", "declared_at")
    summary = (
        "SELECT severity, COUNT(*), SUM(CASE WHEN status <> 'resolved' THEN 1 ELSE 0 END), "
        + ", ".join(
            f"COUNT({column}), AVG({sql.seconds(column, 'declared_at')})" for _, column in DURATIONS
        )
        + f", SUM(CASE WHEN acknowledged_at IS NULL THEN"
        f" (CASE WHEN declared_at < {cutoffs} THEN 1 ELSE 0 END)"
        f" WHEN {ack} > {targets} THEN 1 ELSE 0 END)"
        f" FROM incidents {where} GROUP BY severity"
    )
    rows = sql.run(summary, [*cutoff_params, *target_params, *params])
    for row in rows:
        severity, count, still_open = row[0], int(row[1]), int(row[2] or 0)
        found = SeverityMetrics(count=count, open=still_open)
        for n, (name, _) in enumerate(DURATIONS):
            with_value, mean = row[3 + 2 * n], row[4 + 2 * n]
            setattr(found, name, Stats(count=int(with_value), mean=_num(mean)))
        found.response_breaches = int(row[3 + 2 * len(DURATIONS)] or 0)
        level = policy.find(severity)
        found.response_target = level.response_target.total_seconds() if level else None
        metrics.severities[severity] = found
        metrics.count += count
        metrics.open += still_open
    _percentiles(sql, metrics, where, params)
    _services(sql, metrics, where, params)
    _events(sql, metrics, query)
    order = {name: n for n, name in enumerate(policy.names())}
    metrics.severities = dict(
        sorted(metrics.severities.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
    return metrics


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 3)


def _percentiles(sql: _Sql, metrics: Metrics, where: str, params: list[Any]) -> None:
    columns = ", ".join(sql.seconds(column, "declared_at") for _, column in DURATIONS)
    found: dict[tuple[str, int], list[float]] = {}
    for row in sql.run(f"SELECT severity, {columns} FROM incidents {where}", params):
        for n in range(len(DURATIONS)):
            if row[n + 1] is not None:
                found.setdefault((row[0], n), []).append(float(row[n + 1]))
    for (severity, n), values in found.items():
        values.sort()
        stats: Stats = getattr(metrics.severities[severity], DURATIONS[n][0])
        for label, percent in PERCENTILES:
            setattr(stats, label, _num(quantile(values, percent)))


def _services(sql: _Sql, metrics: Metrics, where: str, params: list[Any]) -> None:
    counts: dict[str, int] = {}
    for services, count in sql.run(
        f"SELECT services, COUNT(*) FROM incidents {where} GROUP BY services", params
    ):
        for service in json.loads(services or "[]"):
            counts[service] = counts.get(service, 0) + int(count)
    metrics.services = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _events(sql: _Sql, metrics: Metrics, query: Query) -> None:
    """Reminders per severity and open action items, from the events of those incidents."""
    where, params = sql.where(query, "i")
    rows = sql.run(
        "SELECT i.severity, e.incident_id, e.kind, e.data FROM events e"
        " JOIN incidents i ON i.id = e.incident_id"
        f" {where}{' AND' if where else ' WHERE'}"
        " e.kind IN ('reminder', 'action_added', 'action_changed') ORDER BY e.id",
        params,
    )
    items: dict[tuple[str, int], dict[str, str]] = {}
    for severity, incident_id, kind, raw in rows:
        data = raw if isinstance(raw, dict) else json.loads(raw)
        if kind == "reminder":
            reminders = metrics.severities[severity].reminders
            reason = str(data.get("reason", ""))
            reminders[reason] = reminders.get(reason, 0) + 1
        elif kind == "action_added":
            added = serde.structure(data.get("item", {}), ActionItem)
            items[(incident_id, added.id)] = {"status": added.status, "priority": added.priority}
        else:
            key = (incident_id, int(data.get("id", 0)))
            if key in items:
                changes = data.get("changes", {})
                for name in ("status", "priority"):
                    if name in changes:
                        items[key][name] = str(changes[name])
    open_items = [i for i in items.values() if i["status"] != "done"]
    metrics.open_action_items = len(open_items)
    by_priority: dict[str, int] = {}
    for item in open_items:
        by_priority[item["priority"]] = by_priority.get(item["priority"], 0) + 1
    metrics.action_items_by_priority = dict(sorted(by_priority.items()))


def as_data(metrics: Metrics, query: Query) -> dict[str, Any]:
    """The metrics as JSON-ready data (durations in seconds)."""
    return {
        "filters": {
            "since": query.since.isoformat() if query.since else None,
            "until": query.until.isoformat() if query.until else None,
            "severity": query.severity,
            "service": query.service,
        },
        "count": metrics.count,
        "open": metrics.open,
        "response_breaches": metrics.response_breaches,
        "cadence_breaches": metrics.cadence_breaches,
        "severities": {
            name: {**serde.unstructure(s), "cadence_breaches": s.cadence_breaches}
            for name, s in metrics.severities.items()
        },
        "services": metrics.services,
        "open_action_items": metrics.open_action_items,
        "action_items_by_priority": metrics.action_items_by_priority,
    }


def as_rows(metrics: Metrics) -> list[tuple[str, str, str, Any]]:
    """The metrics as ``(scope, name, metric, value)`` rows (the CSV output)."""
    rows: list[tuple[str, str, str, Any]] = [
        ("total", "", "incidents", metrics.count),
        ("total", "", "open", metrics.open),
        ("total", "", "response_breaches", metrics.response_breaches),
        ("total", "", "cadence_breaches", metrics.cadence_breaches),
        ("total", "", "open_action_items", metrics.open_action_items),
    ]
    for name, s in metrics.severities.items():
        rows += [("severity", name, "incidents", s.count), ("severity", name, "open", s.open)]
        for duration, _ in DURATIONS:
            stats: Stats = getattr(s, duration)
            for label in ("median", "p90", "mean"):
                rows.append(
                    ("severity", name, f"{duration}_{label}_seconds", getattr(stats, label))
                )
        rows += [
            ("severity", name, "response_target_seconds", s.response_target),
            ("severity", name, "response_breaches", s.response_breaches),
            ("severity", name, "cadence_breaches", s.cadence_breaches),
        ]
        for reason, count in sorted(s.reminders.items()):
            rows.append(("severity", name, f"reminders_{reason}", count))
    rows += [("service", name, "incidents", count) for name, count in metrics.services.items()]
    rows += [
        ("action_items", priority, "open", count)
        for priority, count in metrics.action_items_by_priority.items()
    ]
    return rows
