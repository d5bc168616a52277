"""Fixtures of the simulation platform tests: fake installed plugins and a small DEM."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sim.factory import build_site, write_dem


@pytest.fixture(scope="session")
def fake_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Put the fake plugin distribution on ``sys.path`` for the session."""
    site = build_site(tmp_path_factory.mktemp("fake_plugins"))
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    yield site
    sys.path.remove(str(site))
    importlib.invalidate_caches()


@pytest.fixture(scope="session")
def small_dem(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 24 x 30 GeoTIFF DEM (a bowl) in EPSG:4549."""
    return write_dem(tmp_path_factory.mktemp("dem") / "dem.tif")
