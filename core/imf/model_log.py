"""The incident log's records: status updates, notes, checklist states (see :mod:`imf.model`,
which exports these classes and loads this module when one of them is first needed)."""

from __future__ import annotations

from datetime import datetime

from attrs import frozen

from imf.model import Status


@frozen
class StatusUpdate:
    """An "Incident Update #N" in the methodology's communication template."""

    number: int
    at: datetime
    actor: str
    status: Status
    summary: str
    since_last: tuple[str, ...] = ()
    root_cause: str = "under-investigation"
    impact: str = ""
    eta: str = ""
    next_steps: tuple[str, ...] = ()
    next_update_at: datetime | None = None
    public: str = ""


@frozen
class Note:
    """A free-text note in the incident log; ``key`` notes go into the post-mortem timeline."""

    at: datetime
    actor: str
    text: str
    key: bool = False


@frozen
class CheckState:
    """The state of one checklist or playbook item on an incident."""

    item: str
    checked: bool
    by: str
    at: datetime
