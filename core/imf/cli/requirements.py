"""``imf plugins --requirements``: pin what an internal distribution is made of.

A platform team that tried a set of plugins on one machine prints the exact versions and
puts them in its distribution's dependencies (or a ``requirements.txt``) so every machine of
the organization runs the same set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from imf.plugins import PluginInfo


def canonical(name: str) -> str:
    """The normalized project name (PEP 503): ``Acme_IMF`` → ``acme-imf``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(infos: Iterable[PluginInfo], imf_version: str) -> list[str]:
    """``name==version`` for imf and every distribution providing a plugin, imf first.

    Plugins registered in-process (no distribution) are left out: there is nothing to pin.
    """
    found = {"imf": imf_version}
    for info in infos:
        if info.distribution and info.version:
            found.setdefault(canonical(info.distribution), info.version)
    rest = sorted(name for name in found if name != "imf")
    return [f"{name}=={found[name]}" for name in ["imf", *rest]]
