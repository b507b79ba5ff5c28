"""imf's test kit, and a loopback webhook receiver built on its FakeServer base."""

from __future__ import annotations

import pytest

pytest_plugins = ["imf.testing"]


def start_receiver():
    """A started webhook endpoint accepting every POST to ``/hooks/<name>`` with 204.

    ``receiver.hook_url`` carries a token in its query, as many receivers' URLs do.
    """
    # Imported here so that pytest loads imf.testing (and rewrites its asserts) first.
    from imf.testing.fakes import FakeServer, Response

    class Receiver(FakeServer):
        def __init__(self) -> None:
            super().__init__(validate=False)
            self.route("POST", "/hooks/{name}", lambda request, params: Response(204))
            self.hook_url = ""

    server = Receiver().start()
    server.hook_url = f"{server.url}/hooks/incidents?token=query-token-1234"
    return server


@pytest.fixture
def receiver():
    server = start_receiver()
    yield server
    server.stop()
