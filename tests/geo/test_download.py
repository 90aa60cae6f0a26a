"""The download path, against a real HTTP server on loopback serving zips built here."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from doemee.geo.download import GeoDownloadError, ensure_geonames
from doemee.geo.index import get_geo_index
from doemee.geo.types import Kind, Outcome
from doemee.settings import Settings

ASSEN = "0106"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


def _zip(member_text: str, extra: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("NL.txt", member_text)
        for name, text in (extra or {}).items():
            bundle.writestr(name, text)
    return buffer.getvalue()


def _assen_lines(geo_dir: Path) -> tuple[str, str]:
    """A few real rows: Assen's postcodes, its municipality and its places."""
    postal = [
        line
        for line in (geo_dir / "NL_postal.txt").read_text(encoding="utf-8").splitlines(keepends=True)
        if line.split("\t")[6] == ASSEN
    ]
    places = [
        line
        for line in (geo_dir / "NL_places.txt").read_text(encoding="utf-8").splitlines(keepends=True)
        if line.split("\t")[11] == ASSEN and line.split("\t")[7] in ("ADM2", "PPL", "PPLA", "PPLX")
    ]
    return "".join(postal), "".join(places)


@pytest.fixture
def served(tmp_path, geo_dir) -> Iterator[tuple[str, Path]]:
    """A GeoNames look-alike on 127.0.0.1: (base URL, folder it serves)."""
    root = tmp_path / "www"
    (root / "zip").mkdir(parents=True)
    (root / "dump").mkdir()
    postal, places = _assen_lines(geo_dir)
    (root / "zip" / "NL.zip").write_bytes(_zip(postal, {"readme.txt": "postal codes"}))
    (root / "dump" / "NL.zip").write_bytes(_zip(places))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_missing_files_are_downloaded_and_unpacked_under_their_own_names(served, tmp_path, geo_dir):
    base_url, _ = served
    target = tmp_path / "geo"
    written = ensure_geonames(base_url, target)
    postal, places = _assen_lines(geo_dir)
    assert sorted(p.name for p in written) == ["NL_places.txt", "NL_postal.txt"]
    assert (target / "NL_postal.txt").read_text(encoding="utf-8") == postal
    assert (target / "NL_places.txt").read_text(encoding="utf-8") == places
    assert sorted(p.name for p in target.iterdir()) == ["NL_places.txt", "NL_postal.txt"]


def test_the_index_loads_from_a_fresh_download(served, tmp_path):
    base_url, _ = served
    settings = Settings(geo_dir=tmp_path / "fresh", geonames_base_url=base_url)
    index = get_geo_index(settings)
    assert index.resolve("9401").location.municipality == "Assen"
    assert index.resolve("assen").location.kind is Kind.PLACE
    assert index.resolve("Utrecht").outcome is Outcome.UNKNOWN


def test_files_already_present_are_not_downloaded_again(served, tmp_path):
    base_url, _ = served
    target = tmp_path / "geo"
    ensure_geonames(base_url, target)
    assert ensure_geonames(base_url, target) == []


def test_an_unreachable_server_gives_a_dutch_error_and_leaves_nothing_behind(served, tmp_path):
    base_url, root = served
    (root / "dump" / "NL.zip").unlink()
    target = tmp_path / "geo"
    with pytest.raises(GeoDownloadError) as raised:
        ensure_geonames(base_url, target)
    assert "GeoNames" in str(raised.value) and "NL_places.txt" in str(raised.value)
    assert not (target / "NL_places.txt").exists()
    assert not any(p.name.startswith(".geonames-") for p in target.iterdir())


def test_a_corrupt_zip_gives_the_same_clear_error(served, tmp_path):
    base_url, root = served
    (root / "zip" / "NL.zip").write_bytes(b"this is not a zip file")
    target = tmp_path / "geo"
    with pytest.raises(GeoDownloadError):
        ensure_geonames(base_url, target)
    assert not (target / "NL_postal.txt").exists()


def test_a_zip_without_nl_txt_is_refused(served, tmp_path):
    base_url, root = served
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("readme.txt", "nothing here")
    (root / "zip" / "NL.zip").write_bytes(buffer.getvalue())
    with pytest.raises(GeoDownloadError):
        ensure_geonames(base_url, tmp_path / "geo")


def test_no_server_at_all_gives_the_dutch_error(tmp_path):
    with pytest.raises(GeoDownloadError, match="internetverbinding"):
        ensure_geonames("http://127.0.0.1:9", tmp_path / "geo", timeout=5)
