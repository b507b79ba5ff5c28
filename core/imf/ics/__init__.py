"""The Incident Command System workflow on top of the lifecycle service.

* :mod:`imf.ics.checklists` — war room and phase checklists; the verification gate of resolve;
* :mod:`imf.ics.playbooks` — playbooks as TOML files: search path, matching, lint;
* :mod:`imf.ics.due` — update cadence, response targets, required roles, escalation rules;
* :mod:`imf.ics.metrics` — response metrics over the whole store, in SQL;
* :mod:`imf.ics.advise` — the fix-forward-or-rollback decision;
* :mod:`imf.ics.rollout` — staged rollouts and their monitoring periods;
* :mod:`imf.ics.template` — the "Incident Update #N" communication template.

Each module is imported only by the command that needs it.
"""
