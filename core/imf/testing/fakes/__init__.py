"""Loopback fake servers imitating the services imf's plugins talk to.

Each fake is a stdlib HTTP/1.1 keep-alive server on 127.0.0.1 and an ephemeral port, run from a
daemon thread; use it as a context manager::

    with PagerDutyFake() as pd:
        send_events(pd.events_url)
        assert pd.pages == 1
        pd.assert_no_spec_errors()

Every fake records requests, injects faults (:meth:`FakeServer.fail_next`,
:meth:`~FakeServer.throttle_next`, :meth:`~FakeServer.timeout_next`,
:meth:`~FakeServer.reset_next`, :meth:`~FakeServer.error_in_200_next`,
:meth:`~FakeServer.delay`) and checks requests against the official API specifications.
"""

from imf.testing.fakes.base import FakeServer, Recorded, Response
from imf.testing.fakes.confluence import ConfluenceFake, ConfluencePage, Space, storage_problem
from imf.testing.fakes.pagerduty import Alert, Note, PagerDutyFake
from imf.testing.fakes.statuspage import StatuspageFake
from imf.testing.fakes.teams import GraphFake, TeamsWebhookFake, connector_error_text

__all__ = [
    "Alert",
    "ConfluenceFake",
    "ConfluencePage",
    "FakeServer",
    "GraphFake",
    "Note",
    "PagerDutyFake",
    "Recorded",
    "Response",
    "Space",
    "StatuspageFake",
    "TeamsWebhookFake",
    "connector_error_text",
    "storage_problem",
]
