"""Finds and ranks open opportunities for a search, fast enough for a chat turn.

The candidate query reads only the columns scoring needs, narrowed by the
indexed status/category/lat columns and a box around the origin; scoring
happens in Python (`scoring`), and full rows are read only for the page
shown. `find_naive` scores every open opportunity the simple way: the
benchmark's baseline and the tests' oracle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from math import cos, pi, radians

from sqlalchemy import ColumnElement, Connection, Select, and_, case, func, not_, null, or_, select, true
from sqlalchemy.orm import Session, joinedload

from doemee.geo.distance import EARTH_RADIUS_KM, bounding_box
from doemee.matching.query import Match, MatchResult, OpportunityView, SearchQuery
from doemee.matching.scoring import (
    REMOTE_DISTANCE_FIT,
    Candidate,
    Preferences,
    Scored,
    merge_best,
    page_of,
)
from doemee.storage.database import Database
from doemee.storage.models import Initiative, Opportunity, SearchLog, Status

# Widening searches for alternatives when nothing fits inside the radius:
# each step reads one box, so a rural search stays as cheap as a city one.
# None: the whole country, the last resort.
ALTERNATIVE_STEPS_KM: tuple[float | None, ...] = (25.0, 50.0, 100.0, 300.0, None)

_O = Opportunity
# Only what scoring reads. The publication time is read only when it is
# recent enough to earn freshness (see `_created_column`); ids and
# coordinates come straight from the match indexes.
SCORING_COLUMNS = (_O.id, _O.category, _O.lat, _O.lon, _O.remote, _O.time_commitment, _O.day_parts)
REMOTE_FIRST_CHUNK = 32
# Below a few hundred km, flattening the sphere shortens a distance by far less than 2 %.
CIRCLE_MARGIN = 1.02
CIRCLE_MAX_KM = 500.0


def _scope(query: SearchQuery) -> list[ColumnElement[bool]]:
    """Which part of the collection a search may see at all: its region and publication window.

    Kept apart so `find` (every read, alternatives included) and the naive
    oracle `find_naive` apply the very same rules.
    """
    rules: list[ColumnElement[bool]] = []
    if query.municipality_codes:
        rules.append(_O.municipality_code.in_(sorted(query.municipality_codes)))
    if query.published_between is not None:
        start, end = query.published_between
        rules.append(_O.published_at > start)
        rules.append(_O.published_at <= end)
    return rules


def _qualifying(query: SearchQuery, today: date) -> list[ColumnElement[bool]]:
    """Status, expiry, interests, exclusions and scope: the rules no match may break."""
    rules: list[ColumnElement[bool]] = [
        _O.status == Status.OPEN.value,
        or_(_O.valid_until.is_(None), _O.valid_until >= today),
        *_scope(query),
    ]
    if query.interests:
        rules.append(_O.category.in_(sorted(query.interests)))
    if query.exclude_ids:
        rules.append(_O.id.not_in(sorted(query.exclude_ids)))
    return rules


def _in_box(query: SearchQuery, radius_km: float) -> ColumnElement[bool]:
    min_lat, max_lat, min_lon, max_lon = bounding_box(query.lat, query.lon, radius_km)
    return and_(_O.lat.between(min_lat, max_lat), _O.lon.between(min_lon, max_lon))


def _near_circle(query: SearchQuery) -> ColumnElement[bool]:
    """Drops the box's corners in the database: the rows there are most of what the radius rejects.

    A flat-earth distance that can only underestimate the haversine: it
    takes the narrowest degree of longitude in the box, and a margin covers
    the flattening. So it never drops a row the exact check in
    `Preferences.rank` would keep; rank still decides. Remote rows stay
    whatever their distance: they qualify from anywhere.
    """
    if query.radius_km > CIRCLE_MAX_KM:
        return true()
    min_lat, max_lat, _, _ = bounding_box(query.lat, query.lon, query.radius_km)
    km_per_degree = EARTH_RADIUS_KM * pi / 180
    narrowest = cos(radians(min(89.0, max(abs(min_lat), abs(max_lat)))))
    dy = (_O.lat - query.lat) * km_per_degree
    dx = (_O.lon - query.lon) * (km_per_degree * narrowest)
    reach = query.radius_km * CIRCLE_MARGIN + 0.01
    return or_(_O.remote == true(), dx * dx + dy * dy <= reach * reach)


def _created_column(prefs: Preferences) -> ColumnElement:
    return case((_O.created_at >= prefs.fresh_since, _O.created_at), else_=null()).label("created_at")


def _candidates(prefs: Preferences, *where: ColumnElement[bool]) -> Select:
    return select(*SCORING_COLUMNS, _created_column(prefs)).where(*where)


def find(session: Session, query: SearchQuery) -> MatchResult:
    """Open, unexpired matches inside the radius, best first; or, when none, the nearest beyond it.

    Two reads: everything in the box around the origin, and remote
    opportunities outside it (they qualify from anywhere), newest first
    and only as far as one could still make the page.
    """
    prefs = Preferences.of(query)
    rules = _qualifying(query, prefs.today)
    box = _in_box(query, query.radius_km)
    if session.autoflush:
        session.flush()  # what session.execute would do; Core reads skip the ORM's per-row work
    connection = session.connection()
    near_total, near_best = prefs.rank(connection.execute(_candidates(prefs, *rules, box, _near_circle(query))).all())
    remote_total, remote_best = _best_remote(connection, prefs, (*rules, _O.remote == true(), not_(box)))
    total = near_total + remote_total
    if total:
        return _result(session, prefs, page_of(merge_best(prefs, near_best, remote_best), query), total)
    return _result(session, prefs, page_of(_alternatives(session, rules, prefs), query), 0)


def _best_remote(
    connection: Connection, prefs: Preferences, rules: Sequence[ColumnElement[bool]]
) -> tuple[int, list[Scored]]:
    """How many remote opportunities lie outside the box, and the best of them, reading newest first.

    Outside the box every remote opportunity scores the same for distance,
    so an older one can only beat what is found so far through a better
    time fit. Reading stops once the page's worst score beats the best any
    older opportunity could reach (strictly, so ties still go to the nearest).
    A server database counts along with the first chunk, saving a round
    trip; in-process SQLite has no round trip to save, and a window count
    would make it buffer every remote row instead of only the chunk.
    """
    count_apart = connection.dialect.name == "sqlite"
    total = 0
    if count_apart:
        total = connection.scalar(select(func.count()).select_from(_O).where(*rules)) or 0
        if not total:
            return 0, []
    statement = _candidates(prefs, *rules).order_by(_O.created_at.desc(), _O.id)
    best: list[Scored] = []
    offset, size = 0, REMOTE_FIRST_CHUNK
    while True:
        chunk = statement.offset(offset).limit(size)
        counting = not count_apart and not offset
        rows = connection.execute(chunk.add_columns(func.count().over()) if counting else chunk).all()
        if counting and rows:
            total = rows[0][-1]
        best = merge_best(prefs, best, prefs.rank([row[:-1] for row in rows] if counting else rows)[1])
        if len(rows) < size:
            return total, best
        last = rows[-1]
        bound = prefs.best_possible(last.category, last.created_at, REMOTE_DISTANCE_FIT)
        if len(best) >= prefs.wanted and best and -best[-1].sort_key[0] > bound:
            return total, best
        offset, size = offset + size, size * 4


def _alternatives(session: Session, rules: Sequence[ColumnElement[bool]], prefs: Preferences) -> list[Scored]:
    """The nearest qualifying opportunities beyond the radius, searching ever wider boxes."""
    query = prefs.query
    for step_km in ALTERNATIVE_STEPS_KM:
        if step_km is not None and step_km <= query.radius_km:
            continue
        where = [] if step_km is None else [_in_box(query, step_km)]
        rows = session.connection().execute(_candidates(prefs, *rules, *where)).all()
        found = prefs.rank(rows, within=False, max_km=step_km)[1]
        if len(found) >= prefs.wanted or step_km is None:
            return found
    return []


def find_naive(session: Session, query: SearchQuery) -> MatchResult:
    """Reads every open opportunity and decides everything in Python.

    Same scoring and paging as `find`; only the row selection differs, so
    the two must always agree.
    """
    prefs = Preferences.of(query)
    rows = session.scalars(
        select(Opportunity)
        .where(Opportunity.status == Status.OPEN.value, *_scope(query))
        .options(joinedload(Opportunity.initiative))
    ).all()
    kept = [
        o for o in rows
        if (o.valid_until is None or o.valid_until >= prefs.today)
        and (not query.interests or o.category in query.interests)
    ]
    candidates = [_candidate_of(o) for o in kept]
    total, best = prefs.rank(candidates)
    if not total:
        best = prefs.rank(candidates, within=False)[1]
    chosen = page_of(best, query)
    by_id = {o.id: o for o in kept}
    matches = tuple(
        _match(OpportunityView.of(by_id[s.candidate.id], by_id[s.candidate.id].initiative), s, prefs) for s in chosen
    )
    return MatchResult(query=query, matches=matches, total_within_radius=total)


async def find_async(database: Database, query: SearchQuery) -> MatchResult:
    """`find` for async callers: runs in a worker thread, one unit of work."""
    return await database.run_sync(lambda session: find(session, query))


def record_search(session: Session, query: SearchQuery, result: MatchResult) -> SearchLog:
    """Logs a search for unmet-demand statistics: area and interests only, never who asked."""
    log = SearchLog(
        interests=",".join(sorted(query.interests)),
        pc4=query.pc4,
        municipality_code=query.municipality_code,
        result_count=len(result.matches),
        within_radius_count=result.total_within_radius,
    )
    session.add(log)
    session.flush()
    return log


def _candidate_of(o: Opportunity) -> Candidate:
    return Candidate(o.id, o.category, o.lat, o.lon, o.remote, o.time_commitment, o.day_parts, o.created_at)


def _result(session: Session, prefs: Preferences, chosen: list[Scored], total: int) -> MatchResult:
    views = _views(session, [s.candidate.id for s in chosen])
    matches = tuple(_match(views[s.candidate.id], s, prefs) for s in chosen if s.candidate.id in views)
    return MatchResult(query=prefs.query, matches=matches, total_within_radius=total)


def _views(session: Session, ids: Iterable[int]) -> dict[int, OpportunityView]:
    wanted = list(ids)
    if not wanted:
        return {}
    statement = (
        select(Opportunity, Initiative)
        .join(Initiative, Opportunity.initiative_id == Initiative.id)
        .where(Opportunity.id.in_(wanted))
    )
    return {o.id: OpportunityView.of(o, i) for o, i in session.execute(statement)}


def _match(view: OpportunityView, s: Scored, prefs: Preferences) -> Match:
    return Match(
        opportunity=view,
        distance_km=s.distance_km,
        score=round(s.score, 4),
        within_radius=s.within_radius,
        reasons=prefs.reasons(s.candidate, s.distance_km, s.within_radius),
    )
