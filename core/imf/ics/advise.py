"""Decision support: fix forward or roll back (the methodology's decision framework).

The rules, in order; the first that applies decides:

1. caused by a recent deployment and the incident is at the most severe level → roll back
   (always roll back a P1 caused by a bad deployment);
2. the fix would take more than twice as long as the rollback → roll back (it is faster);
3. data integrity is at risk → roll back (data safety comes first);
4. the rollback would lose data → fix forward (it cannot be rolled back);
5. the root cause is well understood and the fix is simple → fix forward (a quick fix wins);
6. otherwise → roll back (prefer the rollback for safety).

The decision is recorded as a ``decision_recorded`` event (``topic = "rollback"``) with the
factors, so the post-mortem timeline shows what was decided and why.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from attrs import frozen

ROLLBACK = "rollback"
FIX_FORWARD = "fix-forward"

#: Rule ids in the order they are tried.
RULES: tuple[str, ...] = (
    "severe-deployment",
    "fix-slower",
    "data-integrity",
    "rollback-loses-data",
    "simple-fix",
    "default",
)


@frozen
class Factors:
    """What the decision depends on.

    :ivar most_severe: the incident is at the policy's most severe level (P1).
    :ivar fix_eta: / :ivar rollback_eta: estimates; the time rule is skipped when either is
        unknown (None).
    """

    caused_by_deployment: bool
    most_severe: bool
    data_at_risk: bool
    rollback_loses_data: bool
    root_cause_understood: bool
    fix_simple: bool
    fix_eta: timedelta | None = None
    rollback_eta: timedelta | None = None

    def as_data(self) -> dict[str, Any]:
        """The factors as event data (durations in seconds)."""
        return {
            "caused_by_deployment": self.caused_by_deployment,
            "most_severe": self.most_severe,
            "data_at_risk": self.data_at_risk,
            "rollback_loses_data": self.rollback_loses_data,
            "root_cause_understood": self.root_cause_understood,
            "fix_simple": self.fix_simple,
            "fix_eta": self.fix_eta.total_seconds() if self.fix_eta is not None else None,
            "rollback_eta": (
                self.rollback_eta.total_seconds() if self.rollback_eta is not None else None
            ),
        }


@frozen
class Advice:
    """The decision (``rollback`` or ``fix-forward``) and the rule that made it."""

    decision: str
    rule: str


def advise(factors: Factors) -> Advice:
    """Roll back or fix forward, by the first rule that applies (see the module docstring)."""
    f = factors
    if f.caused_by_deployment and f.most_severe:
        return Advice(ROLLBACK, "severe-deployment")
    if f.fix_eta is not None and f.rollback_eta is not None and f.fix_eta > f.rollback_eta * 2:
        return Advice(ROLLBACK, "fix-slower")
    if f.data_at_risk:
        return Advice(ROLLBACK, "data-integrity")
    if f.rollback_loses_data:
        return Advice(FIX_FORWARD, "rollback-loses-data")
    if f.root_cause_understood and f.fix_simple:
        return Advice(FIX_FORWARD, "simple-fix")
    return Advice(ROLLBACK, "default")
