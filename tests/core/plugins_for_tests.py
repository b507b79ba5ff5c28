"""Small in-process plugins used by the core tests."""

from __future__ import annotations

import attrs

import imf


@attrs.frozen
class VaultConfig:
    """A plugin config with a secret, a nested table and typed values."""

    url: str
    token: imf.Secret
    timeout: float = 5.0
    tags: list[str] = attrs.field(factory=list)


class Vault:
    """Registers a config class with a secret; records the config it was given."""

    def __init__(self) -> None:
        self.seen: list[VaultConfig] = []

    @imf.hookimpl
    def imf_config_class(self) -> type:
        return VaultConfig

    @imf.hookimpl
    def imf_declare(self, incident, ctx):
        self.seen.append(ctx.config)


class Distribution:
    """An internal distribution shipping organization defaults."""

    @imf.hookimpl
    def imf_default_config(self):
        return {
            "imf": {"organization": "Acme"},
            "plugins": {"severity": {"rename": {"P1": "SEV1", "P2": "SEV2"}}},
        }


class Misspelled:
    """A plugin implementing a hook that does not exist."""

    @imf.hookimpl
    def imf_declared(self, incident):
        return None
