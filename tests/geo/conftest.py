"""The real GeoNames files from the settings, loaded once for the geography tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from doemee.geo.index import GeoIndex
from doemee.settings import Settings


@pytest.fixture(scope="session")
def geo_dir() -> Path:
    path = Settings.from_env().geo_dir
    if not (path / "NL_postal.txt").is_file():
        pytest.skip(f"GeoNames files not found in {path}")
    return path


@pytest.fixture(scope="session")
def geo(geo_dir) -> GeoIndex:
    return GeoIndex.load(geo_dir)
