"""The GeoNames files, read into the few facts DoeMee needs, with clean Dutch names.

GeoNames mixes languages and conventions ("Gemeente Amsterdam", "Assen
Municipality", "North Holland") and leaves 20 postcodes around Voorne aan Zee
without a municipality. Everything here is keyed on the CBS municipality code
and the GeoNames admin1 code, so the names people see are chosen once, here.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from doemee.geo.distance import haversine_km
from doemee.geo.names import PROVINCES, name_key, province_short_form, split_qualifier

POSTAL_FILE = "NL_postal.txt"
PLACES_FILE = "NL_places.txt"

# Feature codes of places nobody lives in any more (historical, abandoned, destroyed).
_GONE = frozenset({"PPLH", "PPLCH", "PPLQ", "PPLW"})

# Municipalities merged after the GeoNames ADM2 rows were made (CBS codes).
MERGED_MUNICIPALITIES: dict[str, str] = {
    "0457": "0363",  # Weesp joined Amsterdam in 2022
    "0501": "1992",  # Brielle, Hellevoetsluis and Westvoorne became Voorne aan Zee in 2023
    "0530": "1992",
    "0614": "1992",
}
NEW_MUNICIPALITIES: dict[str, tuple[str, str]] = {"1992": ("Voorne aan Zee", "11")}

# Where both GeoNames files misspell a municipality's official name (CBS code -> name).
MUNICIPALITY_NAMES: dict[str, str] = {"1900": "Súdwest-Fryslân"}

# English names GeoNames uses as primary names, and the official spellings people also use.
DISPLAY_NAMES: dict[str, str] = {"The Hague": "Den Haag", "'s-Gravenhage": "Den Haag"}

_PROVINCE_BY_ENGLISH: dict[str, str] = {
    "north holland": "Noord-Holland",
    "south holland": "Zuid-Holland",
    "north brabant": "Noord-Brabant",
    "guelders": "Gelderland",
    "friesland": "Fryslân",
}

_MUNICIPALITY_NOISE = re.compile(
    r"^\s*(?:gemeente|municipality of)\s+|[\s.,]*\bmunicipa\w*\s*$", re.IGNORECASE
)
_PC4_CELL_DEG = 0.05
_STRAY_KM = 20.0


@dataclass
class Pc4:
    code: str
    place: str
    municipality_code: str
    province: str
    lat: float
    lon: float


@dataclass
class Municipality:
    code: str
    name: str
    province: str
    population: int
    lat: float
    lon: float
    current: bool


@dataclass
class Place:
    """A town, village, hamlet or neighbourhood, after the municipality is settled."""

    geonameid: int
    name: str
    alternates: tuple[str, ...]
    lat: float
    lon: float
    feature_code: str
    municipality_code: str
    province: str
    population: int
    neighbourhood: bool
    postal_names: list[str] = field(default_factory=list)
    pc4_count: int = 0
    alternate_keys: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    pc4s: dict[str, Pc4]
    municipalities: dict[str, Municipality]
    places: list[Place]


def clean_municipality_name(raw: str) -> str:
    """"Amsterdam" from "Gemeente Amsterdam", "Assen Municipality" or "Groningen. Municipality"."""
    previous = None
    name = raw.strip()
    while name != previous:
        previous = name
        name = _MUNICIPALITY_NOISE.sub("", name).strip()
    return name


def usable_alternate(name: str) -> bool:
    """Alternate names worth a lookup: Latin script, no airport codes, no "Gemeente X".

    GeoNames lists exonyms in dozens of scripts; only Latin-script names can
    be typed by someone writing Dutch, and short all-caps ones are codes.
    """
    if not 3 <= len(name) <= 60 or (name.isupper() and len(name) <= 5):
        return False
    lowered = name.lower()
    if lowered.startswith(("gemeente ", "provincie ", "municipality", "http")) or "municip" in lowered:
        return False
    for ch in name:
        if ch.isdigit():
            return False
        if ch.isalpha() and ch not in _LATIN_OK and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


_LATIN_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def dutch_province(admin1_code: str, admin1_name: str = "") -> str:
    if admin1_code in PROVINCES:
        return PROVINCES[admin1_code]
    return _PROVINCE_BY_ENGLISH.get(admin1_name.strip().lower(), admin1_name.strip())


def display_name(name: str) -> str:
    return DISPLAY_NAMES.get(name, name)


def _columns(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\r\n").split("\t") for line in handle if line.strip()]


class Pc4Grid:
    """PC4 centroids in cells of a few kilometres, so "nearest" looks at a handful."""

    def __init__(self, pc4s: list[Pc4]) -> None:
        self._cells: dict[tuple[int, int], list[Pc4]] = defaultdict(list)
        for pc4 in pc4s:
            self._cells[self._cell(pc4.lat, pc4.lon)].append(pc4)
        self._all = pc4s
        self._size = len(pc4s)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return int(lat // _PC4_CELL_DEG), int(lon // _PC4_CELL_DEG)

    def nearest(self, lat: float, lon: float) -> Pc4:
        """The PC4 centroid closest to a point (flat-earth distance: fine over a few km)."""
        if not self._size:
            raise LookupError("no postcodes loaded")
        row, col = self._cell(lat, lon)
        x_scale = math.cos(math.radians(lat))
        best: Pc4 | None = None
        best_sq = float("inf")
        ring = 0
        cells = self._cells
        while True:
            for r in range(row - ring, row + ring + 1):
                edge = r in (row - ring, row + ring)
                for c in range(col - ring, col + ring + 1) if edge else (col - ring, col + ring):
                    for pc4 in cells.get((r, c), ()):
                        dx = (pc4.lon - lon) * x_scale
                        dy = pc4.lat - lat
                        sq = dx * dx + dy * dy
                        if sq < best_sq:
                            best, best_sq = pc4, sq
            # Anything beyond this ring is at least `ring` cells away (in degrees of latitude, >= this).
            reach = ring * _PC4_CELL_DEG * min(1.0, x_scale)
            if best is not None and best_sq <= reach * reach:
                return best
            ring += 1
            if ring > 40 or (best is None and ring > 12):
                return min(self._all, key=lambda p: haversine_km(lat, lon, p.lat, p.lon))


def _parse_postal(path: Path) -> list[list[str]]:
    rows = []
    for cols in _columns(path):
        if len(cols) < 11 or not cols[1].strip():
            continue
        cols[1] = cols[1].strip()
        rows.append(cols)
    return _without_strays(rows)


def _without_strays(rows: list[list[str]]) -> list[list[str]]:
    """Drops rows that put a PC4 far from the rest of it (3523 Utrecht also "in Ouddorp").

    Where a code's rows lie more than a town apart, the group nearest to the
    codes sharing its first three digits is the real one: Dutch postcodes run
    by region, so 2324 belongs with 2323 and 2325 in Leiden, not Amersfoort.
    """
    by_code: dict[str, list[list[str]]] = defaultdict(list)
    for cols in rows:
        by_code[cols[1]].append(cols)
    split: dict[str, list[list[list[str]]]] = {}
    for code, group in by_code.items():
        clusters: list[list[list[str]]] = []
        for cols in group:
            lat, lon = float(cols[9]), float(cols[10])
            home = next(
                (c for c in clusters if haversine_km(lat, lon, float(c[0][9]), float(c[0][10])) <= _STRAY_KM), None
            )
            if home is None:
                clusters.append([cols])
            else:
                home.append(cols)
        if len(clusters) > 1:
            split[code] = clusters
    if not split:
        return rows
    region: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for code, group in by_code.items():
        if code not in split:
            region[code[:3]].extend((float(c[9]), float(c[10])) for c in group)
    stray_ids: set[int] = set()
    for code, clusters in split.items():
        points = region.get(code[:3]) or [p for k, v in region.items() if k[:2] == code[:2] for p in v]
        if not points:
            continue
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        keep = min(clusters, key=lambda c: haversine_km(lat, lon, float(c[0][9]), float(c[0][10])))
        stray_ids.update(id(cols) for cluster in clusters if cluster is not keep for cols in cluster)
    return [cols for cols in rows if id(cols) not in stray_ids]


def _parse_places(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    places, adm2 = [], []
    for cols in _columns(path):
        if len(cols) < 15:
            continue
        if cols[6] == "P" and cols[7] not in _GONE:
            places.append(cols)
        elif cols[6] == "A" and cols[7] == "ADM2":
            adm2.append(cols)
    return places, adm2


def load_gazetteer(geo_dir: Path) -> Gazetteer:
    """Everything the index needs from NL_postal.txt and NL_places.txt in `geo_dir`."""
    geo_dir = Path(geo_dir)
    postal = _parse_postal(geo_dir / POSTAL_FILE)
    place_rows, adm2_rows = _parse_places(geo_dir / PLACES_FILE)

    municipalities = _municipalities(postal, adm2_rows)
    _fill_empty_admin(postal, place_rows, municipalities)
    population: dict[str, int] = {}
    for cols in place_rows:
        if cols[14] and cols[14] != "0":
            key = name_key(cols[1])
            population[key] = max(population.get(key, 0), int(cols[14]))
    pc4s = _pc4s(postal, municipalities, population)
    for code in NEW_MUNICIPALITIES:
        own = [p for p in pc4s.values() if p.municipality_code == code]
        if own and code in municipalities:
            municipalities[code].lat = sum(p.lat for p in own) / len(own)
            municipalities[code].lon = sum(p.lon for p in own) / len(own)
    grid = Pc4Grid(list(pc4s.values()))
    places = _places(place_rows, municipalities, grid)
    _attach_postal_places(places, postal, municipalities)
    return Gazetteer(pc4s=pc4s, municipalities=municipalities, places=places)


def _municipalities(postal: list[list[str]], adm2_rows: list[list[str]]) -> dict[str, Municipality]:
    current = {cols[6] for cols in postal if cols[6]}
    province_votes: dict[str, Counter] = defaultdict(Counter)
    postal_names: dict[str, str] = {}
    for cols in postal:
        if cols[6]:
            province_votes[cols[6]][dutch_province(cols[4], cols[3])] += 1
            postal_names.setdefault(cols[6], clean_municipality_name(cols[5]))

    found: dict[str, Municipality] = {}
    for cols in adm2_rows:
        code = cols[11]
        if not code:
            continue
        votes = province_votes.get(code)
        province = votes.most_common(1)[0][0] if votes else dutch_province(cols[10])
        found[code] = Municipality(
            code=code,
            name=clean_municipality_name(cols[1]),
            province=province,
            population=int(cols[14] or 0),
            lat=float(cols[4]),
            lon=float(cols[5]),
            current=code in current,
        )
    for code, name in postal_names.items():
        if code not in found:
            rows = [c for c in postal if c[6] == code]
            found[code] = Municipality(
                code=code,
                name=name,
                province=province_votes[code].most_common(1)[0][0],
                population=0,
                lat=sum(float(c[9]) for c in rows) / len(rows),
                lon=sum(float(c[10]) for c in rows) / len(rows),
                current=True,
            )
    for code, (name, admin1) in NEW_MUNICIPALITIES.items():
        if code not in found:
            merged = [found[old] for old, new in MERGED_MUNICIPALITIES.items() if new == code and old in found]
            found[code] = Municipality(
                code=code,
                name=name,
                province=PROVINCES[admin1],
                population=sum(m.population for m in merged),
                lat=sum(m.lat for m in merged) / len(merged) if merged else 0.0,
                lon=sum(m.lon for m in merged) / len(merged) if merged else 0.0,
                current=True,
            )
    for code, name in MUNICIPALITY_NAMES.items():
        if code in found:
            found[code].name = name
    _disambiguate_names(found)
    return found


def _disambiguate_names(municipalities: dict[str, Municipality]) -> None:
    """Two municipalities called Bergen become "Bergen (NH)" and "Bergen (L)", as CBS does."""
    by_name: dict[str, list[Municipality]] = defaultdict(list)
    for municipality in municipalities.values():
        by_name[name_key(municipality.name)].append(municipality)
    for namesakes in by_name.values():
        if len(namesakes) > 1:
            for municipality in namesakes:
                municipality.name = f"{municipality.name} ({province_short_form(municipality.province)})"


def _current_code(code: str, municipalities: dict[str, Municipality]) -> str | None:
    code = MERGED_MUNICIPALITIES.get(code, code)
    municipality = municipalities.get(code)
    return code if municipality is not None and municipality.current else None


def _fill_empty_admin(
    postal: list[list[str]], place_rows: list[list[str]], municipalities: dict[str, Municipality]
) -> None:
    """Give the rows without a municipality one: the same-named village's, else the nearest PC4's.

    The nearest PC4 alone would put Brielle in Rotterdam (across the water), so a
    place of the same name within a few kilometres is asked first.
    """
    empty = [cols for cols in postal if not cols[6]]
    if not empty:
        return
    wanted = {name_key(split_qualifier(cols[2])[0]) for cols in empty}
    places_by_key: dict[str, list[list[str]]] = defaultdict(list)
    for cols in place_rows:
        key = name_key(cols[1])
        if key in wanted:
            places_by_key[key].append(cols)
    filled = [cols for cols in postal if cols[6]]
    for cols in empty:
        lat, lon = float(cols[9]), float(cols[10])
        code = None
        for place in places_by_key.get(name_key(split_qualifier(cols[2])[0]), ()):
            if haversine_km(lat, lon, float(place[4]), float(place[5])) <= 10:
                code = _current_code(place[11], municipalities)
                if code:
                    break
        if code is None and filled:
            nearest = min(filled, key=lambda f: haversine_km(lat, lon, float(f[9]), float(f[10])))
            code = nearest[6]
        if code:
            municipality = municipalities[code]
            cols[6] = code
            cols[5] = municipality.name
            cols[4] = next((k for k, v in PROVINCES.items() if v == municipality.province), "")
            cols[3] = municipality.province


def _pc4s(
    postal: list[list[str]], municipalities: dict[str, Municipality], population: dict[str, int]
) -> dict[str, Pc4]:
    """One PC4 per code; where several places share it, the bigger place names it."""
    place_size = Counter(cols[2] for cols in postal)
    grouped: dict[str, list[list[str]]] = defaultdict(list)
    for cols in postal:
        grouped[cols[1].strip()].append(cols)
    pc4s: dict[str, Pc4] = {}
    for code, rows in grouped.items():
        main = max(
            rows, key=lambda c: (population.get(name_key(split_qualifier(c[2])[0]), 0), place_size[c[2]], bool(c[6]))
        )
        municipality_code = main[6] or next((c[6] for c in rows if c[6]), "")
        municipality = municipalities.get(municipality_code)
        pc4s[code] = Pc4(
            code=code,
            place=display_name(main[2]),
            municipality_code=municipality_code,
            province=municipality.province if municipality else dutch_province(main[4], main[3]),
            lat=sum(float(c[9]) for c in rows) / len(rows),
            lon=sum(float(c[10]) for c in rows) / len(rows),
        )
    return pc4s


def _places(
    place_rows: list[list[str]], municipalities: dict[str, Municipality], grid: Pc4Grid
) -> list[Place]:
    places = []
    for cols in place_rows:
        lat, lon = float(cols[4]), float(cols[5])
        code = _current_code(cols[11], municipalities) or grid.nearest(lat, lon).municipality_code
        municipality = municipalities.get(code)
        name = display_name(cols[1].strip())
        alternates = tuple(a.strip() for a in cols[3].split(",") if usable_alternate(a.strip())) if cols[3] else ()
        own = name_key(name)
        places.append(
            Place(
                geonameid=int(cols[0]),
                name=name,
                alternates=alternates,
                lat=lat,
                lon=lon,
                feature_code=cols[7],
                municipality_code=code,
                province=municipality.province if municipality else dutch_province(cols[10]),
                population=int(cols[14] or 0),
                neighbourhood=cols[7] == "PPLX",
                alternate_keys=tuple({name_key(a) for a in alternates} - {own, ""}),
            )
        )
    return places


def _attach_postal_places(
    places: list[Place], postal: list[list[str]], municipalities: dict[str, Municipality]
) -> None:
    """Link each postal place name ("Hengelo (Gld)") to its GeoNames town, or add it as one.

    Postal names are what people write on letters; some towns (Almere) exist
    only there, others (Den Haag) under another primary name in the dump.
    """
    by_key: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for place in places:
        if place.neighbourhood:
            continue
        for key in (name_key(place.name), *place.alternate_keys):
            by_key[(key, place.municipality_code)].append(place)

    groups: dict[tuple[str, str], list[list[str]]] = defaultdict(list)
    for cols in postal:
        groups[(cols[2], cols[6])].append(cols)
    for (name, code), rows in groups.items():
        lat = sum(float(c[9]) for c in rows) / len(rows)
        lon = sum(float(c[10]) for c in rows) / len(rows)
        base = split_qualifier(name)[0]
        options = by_key.get((name_key(name), code)) or by_key.get((name_key(base), code)) or []
        near = [p for p in options if haversine_km(lat, lon, p.lat, p.lon) <= 15]
        if near:
            town = min(near, key=lambda p: (-p.population, haversine_km(lat, lon, p.lat, p.lon)))
            town.postal_names.append(name)
            town.pc4_count += len(rows)
            continue
        municipality = municipalities.get(code)
        places.append(
            Place(
                geonameid=0,
                name=display_name(name),
                alternates=(),
                lat=lat,
                lon=lon,
                feature_code="POSTAL",
                municipality_code=code,
                province=municipality.province if municipality else "",
                population=0,
                neighbourhood=False,
                postal_names=[name],
                pc4_count=len(rows),
            )
        )
