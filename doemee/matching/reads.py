"""The SQL that matching runs: built once per kind of search, then only fed values.

Building SQLAlchemy expressions for one search cost more time than the
database needed to run them. So every value a search brings (origin,
boxes, radius, dates, interests) is a bound parameter, and the statements
are built once per `Shape`: which optional filters a search uses. Sixteen
shapes exist; `reads` keeps each one's statements, `values` fills them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from math import cos, pi, radians, sin

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    not_,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import BindParameter

from doemee.geo.distance import EARTH_RADIUS_KM, bounding_box, lat_bands
from doemee.matching.query import SearchQuery
from doemee.storage.models import Initiative, Opportunity, Status

# The near read goes outward in rings; these are where they end, as parts of the radius.
NEAR_RINGS: tuple[float, ...] = (0.125, 0.5, 1.0)
# Widening searches for alternatives when nothing fits inside the radius:
# each step reads one box, so a rural search stays as cheap as a city one.
# None: the whole country, the last resort.
ALTERNATIVE_STEPS_KM: tuple[float | None, ...] = (25.0, 50.0, 100.0, 300.0, None)
# Below a few hundred km, flattening the sphere shortens a distance by far less than 2 %.
CIRCLE_MARGIN = 1.02
CIRCLE_MAX_KM = 500.0
KM_PER_DEGREE = EARTH_RADIUS_KM * pi / 180

_O = Opportunity
# Only what scoring reads. The publication time is read only when it is
# recent enough to earn freshness; ids and coordinates come straight from
# the match indexes.
SCORING_COLUMNS = (_O.id, _O.category, _O.lat, _O.lon, _O.remote, _O.time_commitment, _O.day_parts)


@dataclass(frozen=True)
class Shape:
    """Which optional filters a search uses: all that changes a statement's form."""

    interests: bool
    excluded: bool
    regions: bool
    window: bool

    @classmethod
    def of(cls, query: SearchQuery) -> Shape:
        return cls(
            interests=bool(query.interests),
            excluded=bool(query.exclude_ids),
            regions=bool(query.municipality_codes),
            window=query.published_between is not None,
        )


@dataclass(frozen=True)
class Reads:
    count: Select  # how many qualify: inside the radius, or remote anywhere
    rings: tuple[Select, ...]  # the near candidates, one statement per ring of NEAR_RINGS
    remote: Select  # remote candidates outside the box, newest first; values "skip" and "size"
    within_box: Select  # candidates in the box of values "alt_*"
    everywhere: Select  # every qualifying candidate


def _p(name: str, type_=Float) -> BindParameter:
    return bindparam(name, type_=type_)


def scope(shape: Shape) -> list[ColumnElement[bool]]:
    """Which part of the collection a search may see at all: its region and publication window.

    Shared with the naive oracle, so both apply the very same rules.
    """
    rules: list[ColumnElement[bool]] = []
    if shape.regions:
        rules.append(_O.municipality_code.in_(bindparam("regions", expanding=True)))
    if shape.window:
        rules.append(_O.published_at > _p("window_start", DateTime(timezone=True)))
        rules.append(_O.published_at <= _p("window_end", DateTime(timezone=True)))
    return rules


def _qualifying(shape: Shape) -> list[ColumnElement[bool]]:
    """Status, expiry, interests, exclusions and scope: the rules no match may break."""
    today = _p("today", Date)
    rules: list[ColumnElement[bool]] = [
        _O.status == Status.OPEN.value,
        or_(_O.valid_until.is_(None), _O.valid_until >= today),
        *scope(shape),
    ]
    if shape.interests:
        rules.append(_O.category.in_(bindparam("interests", expanding=True)))
    if shape.excluded:
        rules.append(_O.id.not_in(bindparam("excluded", expanding=True)))
    return rules


def _box(key: str) -> ColumnElement[bool]:
    return and_(
        _O.lat.between(_p(f"{key}_lat_lo"), _p(f"{key}_lat_hi")),
        _O.lon.between(_p(f"{key}_lon_lo"), _p(f"{key}_lon_hi")),
    )


def _banded_box(key: str) -> ColumnElement[bool]:
    """The box as the box index finds it: one short scan per latitude band (migration 0006)."""
    return and_(_O.lat_band.in_(bindparam(f"{key}_bands", expanding=True)), _box(key))


def _in_reach(key: str) -> ColumnElement[bool]:
    """Drops a box's corners in the database: the rows there are most of what a circle rejects.

    A flat-earth distance that can only underestimate the haversine (see
    `_circle_values`). So a row it drops surely lies farther out; a row it
    keeps may lie a little beyond, and `Preferences.rank` decides.
    """
    dy = (_O.lat - _p("lat")) * KM_PER_DEGREE
    dx = (_O.lon - _p("lon")) * _p(f"{key}_km_per_lon")
    return dx * dx + dy * dy <= _p(f"{key}_reach2")


def _within_radius() -> ColumnElement[bool]:
    """`Preferences.rank`'s test "d <= radius" in SQL, to count without reading.

    The same haversine, compared before its arcsine: d <= r exactly when
    the haversine term stays under sin(r / 2R) squared.
    """
    phi = func.radians(_O.lat)
    x = func.sin((phi - _p("phi0")) / 2)
    y = func.sin((func.radians(_O.lon) - _p("lambda0")) / 2)
    return x * x + _p("cos_phi0") * func.cos(phi) * y * y <= _p("haversine_max")


def _count(*where: ColumnElement[bool]) -> ColumnElement[int]:
    return select(func.count()).select_from(_O).where(*where).scalar_subquery()


def _candidates(*where: ColumnElement[bool]) -> Select:
    fresh_since = _p("fresh_since", DateTime(timezone=True))
    created = case((_O.created_at >= fresh_since, _O.created_at), else_=null()).label("created_at")
    return select(*SCORING_COLUMNS, created).where(*where)


def _rings(near: tuple[ColumnElement[bool], ...]) -> tuple[Select, ...]:
    """Disjoint reads that together cover `near`: the first takes everything fresh."""
    fresh = _O.created_at >= _p("fresh_since", DateTime(timezone=True))
    statements: list[Select] = []
    read: ColumnElement[bool] | None = None
    for index in range(len(NEAR_RINGS)):
        last = index == len(NEAR_RINGS) - 1
        inside = None if last else and_(_banded_box(f"ring{index}"), _in_reach(f"ring{index}"))
        if read is None:
            ring = [] if inside is None else [or_(inside, fresh)]
        elif inside is None:
            ring = [not_(read), not_(fresh)]
        else:
            ring = [inside, not_(read), not_(fresh)]
        statements.append(_candidates(*near, *ring))
        read = inside
    return tuple(statements)


@lru_cache(maxsize=None)
def reads(shape: Shape) -> Reads:
    rules = _qualifying(shape)
    remote = _O.remote == true()
    near = (*rules, _banded_box("radius"), or_(remote, _in_reach("radius")))
    far_remote = (*rules, remote, not_(_box("radius")))
    return Reads(
        count=select(_count(*near, or_(remote, _within_radius())) + _count(*far_remote)),
        rings=_rings(near),
        remote=_candidates(*far_remote)
        .order_by(_O.created_at.desc(), _O.id)
        .limit(_p("size", Integer))
        .offset(_p("skip", Integer)),
        within_box=_candidates(*rules, _banded_box("alt")),
        everywhere=_candidates(*rules),
    )


def values(query: SearchQuery, today: date, fresh_since: datetime) -> dict[str, object]:
    """Everything the statements of `reads(Shape.of(query))` need filled in."""
    half_angle = query.radius_km / (2 * EARTH_RADIUS_KM)
    found: dict[str, object] = {
        "today": today,
        "fresh_since": fresh_since,
        "lat": query.lat,
        "lon": query.lon,
        "phi0": radians(query.lat),
        "lambda0": radians(query.lon),
        "cos_phi0": cos(radians(query.lat)),
        # Half the circumference reaches everything; the margin keeps rounding from dropping a row.
        "haversine_max": sin(half_angle) ** 2 if half_angle < pi / 2 else 2.0,
        **_circle_values("radius", query, query.radius_km),
    }
    for index, fraction in enumerate(NEAR_RINGS[:-1]):
        found.update(_circle_values(f"ring{index}", query, query.radius_km * fraction))
    if query.interests:
        found["interests"] = sorted(query.interests)
    if query.exclude_ids:
        found["excluded"] = sorted(query.exclude_ids)
    if query.municipality_codes:
        found["regions"] = sorted(query.municipality_codes)
    if query.published_between is not None:
        found["window_start"], found["window_end"] = query.published_between
    return found


def box_values(key: str, query: SearchQuery, km: float) -> dict[str, object]:
    min_lat, max_lat, min_lon, max_lon = bounding_box(query.lat, query.lon, km)
    return {
        f"{key}_bands": lat_bands(max(-90.0, min_lat), min(90.0, max_lat)),
        f"{key}_lat_lo": min_lat,
        f"{key}_lat_hi": max_lat,
        f"{key}_lon_lo": min_lon,
        f"{key}_lon_hi": max_lon,
    }


def _circle_values(key: str, query: SearchQuery, km: float) -> dict[str, object]:
    """The box, and a flat distance that stays under the haversine within it.

    It measures longitude at the box's narrowest degree, and the margin
    covers the flattening. Beyond CIRCLE_MAX_KM that no longer holds, so
    the circle keeps the whole box.
    """
    found = box_values(key, query, km)
    min_lat, max_lat, _, _ = bounding_box(query.lat, query.lon, km)
    narrowest = cos(radians(min(89.0, max(abs(min_lat), abs(max_lat)))))
    reach = km * CIRCLE_MARGIN + 0.01
    found[f"{key}_km_per_lon"] = KM_PER_DEGREE * narrowest
    found[f"{key}_reach2"] = reach * reach if km <= CIRCLE_MAX_KM else float("inf")
    return found


VIEWS = (
    select(Opportunity, Initiative)
    .join(Initiative, Opportunity.initiative_id == Initiative.id)
    .where(Opportunity.id.in_(bindparam("ids", expanding=True)))
)
