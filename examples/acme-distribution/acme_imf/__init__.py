"""acme-imf: Acme's internal distribution of imf.

Installing ``acme-imf`` installs imf, the plugins Acme uses (``imf-webhook``) and this
package, which is itself a plugin with two registration hooks: ``imf_default_config`` gives
Acme's defaults (``defaults.toml``: organization, SEV1–SEV4, the incident webhook) and
``imf_playbook_dirs`` adds Acme's playbooks. The defaults sit below every configuration
file, so a team's ``imf.toml`` still overrides any value.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import imf

#: Active without a ``[plugins.acme]`` table: the distribution is always on.
IMF_ACTIVE_BY_DEFAULT = True


@imf.hookimpl
def imf_default_config() -> dict[str, Any]:
    """Acme's defaults, from ``defaults.toml`` in this package."""
    text = resources.files(__name__).joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@imf.hookimpl
def imf_playbook_dirs() -> list[str]:
    """Acme's playbooks, shipped in this package."""
    return [str(resources.files(__name__).joinpath("playbooks"))]
