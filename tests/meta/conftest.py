"""Shared pieces of the meta-tests: the hookspecs, the docs generator, the test sources."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def gen_ref() -> ModuleType:
    """``docs/gen_ref.py``, the generator of the reference pages."""
    spec = importlib.util.spec_from_file_location("imf_docs_gen_ref", ROOT / "docs" / "gen_ref.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module
