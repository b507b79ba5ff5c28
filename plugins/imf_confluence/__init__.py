"""Confluence: the published post-mortem as a page, created once and then updated.

Enable it with a ``[plugins.confluence]`` table (see ``docs/plugins/confluence.md``)::

    [plugins.confluence]
    base_url = "https://example.atlassian.net"
    space_id = "123456"
    email = "imf@example.com"
    api_token = { env = "CONFLUENCE_TOKEN" }

``imf postmortem ID --publish`` creates the page (Cloud REST v2, or the v1 content API of
Data Center and Server with ``api = "datacenter"``); each later publish updates the same page
with the next version. The page is storage-format XHTML in the methodology's structure, with
labels for ``postmortem``, the severity and the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

import imf
from imf_confluence import messages
from imf_confluence.config import ConfluenceConfig

__all__ = ["CATALOG", "ConfluenceConfig"]

CATALOG = messages.CATALOG


def _publish() -> ModuleType:
    """The module that talks to the service, imported on first delivery (not at start-up)."""
    from imf_confluence import publish

    return publish


@imf.hookimpl
def imf_config_class() -> type:
    """``[plugins.confluence]`` is validated by :class:`ConfluenceConfig`."""
    return ConfluenceConfig


@imf.hookimpl
def imf_postmortem(
    incident: imf.Incident, event: imf.Event, ctx: imf.PluginContext
) -> Mapping[str, Any] | None:
    """Create the post-mortem page, or update it with the next version."""
    return _publish().publish(incident, event, ctx)
