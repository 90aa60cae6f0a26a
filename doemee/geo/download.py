"""Fetches the GeoNames files for a fresh installation that has none.

GeoNames serves each export as a zip holding NL.txt; both zips use that
member name, so each is unpacked straight to its own file name. Files
appear whole or not at all (written to a temporary file, then renamed), so
a broken download never leaves half a gazetteer for the next start.
"""

from __future__ import annotations

import http.client
import logging
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from doemee import messages
from doemee.geo.gazetteer import PLACES_FILE, POSTAL_FILE

log = logging.getLogger(__name__)

MEMBER = "NL.txt"
TIMEOUT_SECONDS = 60
_USER_AGENT = "DoeMee/1.0 (volunteer matching; GeoNames CC BY 4.0)"


class GeoDownloadError(RuntimeError):
    """The GeoNames files could not be fetched; str() is a Dutch sentence for the operator."""


def geonames_sources(base_url: str) -> dict[str, str]:
    """Target file name -> URL of the zip that holds it."""
    base = base_url.rstrip("/")
    return {POSTAL_FILE: f"{base}/zip/NL.zip", PLACES_FILE: f"{base}/dump/NL.zip"}


def ensure_geonames(base_url: str, geo_dir: Path, timeout: float = TIMEOUT_SECONDS) -> list[Path]:
    """Downloads whichever of the two files is missing from `geo_dir`; returns what it wrote."""
    geo_dir = Path(geo_dir)
    written = []
    for target, url in geonames_sources(base_url).items():
        path = geo_dir / target
        if not path.is_file():
            download_member(url, path, timeout=timeout)
            written.append(path)
    return written


def download_member(url: str, target: Path, timeout: float = TIMEOUT_SECONDS) -> None:
    """Writes NL.txt from the zip at `url` to `target`, atomically."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".geonames-") as scratch:
            archive = Path(scratch) / "download.zip"
            request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
            with urllib.request.urlopen(request, timeout=timeout) as response, open(archive, "wb") as out:
                shutil.copyfileobj(response, out)
            partial = Path(scratch) / target.name
            with zipfile.ZipFile(archive) as bundle, bundle.open(MEMBER) as member, open(partial, "wb") as out:
                shutil.copyfileobj(member, out)
            if partial.stat().st_size == 0:
                raise ValueError("empty member")
            os.replace(partial, target)
    except (OSError, http.client.HTTPException, urllib.error.URLError, zipfile.BadZipFile, KeyError, ValueError) as error:
        log.warning("GeoNames download of %s failed: %s", url, error)
        raise GeoDownloadError(messages.geo_download_failed(str(target.parent))) from error
    log.info("GeoNames: wrote %s from %s", target, url)
