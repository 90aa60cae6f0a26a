"""Finds and ranks open opportunities for a search, fast enough for a chat turn.

The database counts what qualifies and narrows the candidates by the
indexed status/category/lat columns and a circle around the origin;
scoring happens in Python (`scoring`), on only as many rows as it takes
to be sure of the page, and full rows are read only for the page shown.
The statements themselves live in `reads`. `find_naive` scores every
open opportunity the simple way: the benchmark's baseline and the
tests' oracle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, joinedload

from doemee.matching.query import Match, MatchResult, OpportunityView, SearchQuery
from doemee.matching.reads import (
    ALTERNATIVE_STEPS_KM,
    NEAR_RINGS,
    VIEWS,
    Reads,
    Shape,
    box_values,
    reads,
    scope,
    values,
)
from doemee.matching.scoring import (
    REMOTE_DISTANCE_FIT,
    Candidate,
    Preferences,
    Scored,
    merge_best,
    page_of,
)
from doemee.storage.database import Database
from doemee.storage.models import Centre, Opportunity, SearchLog, Status

REMOTE_FIRST_CHUNK = 32


def find(session: Session, query: SearchQuery) -> MatchResult:
    """Open, unexpired matches inside the radius, best first; or, when none, the nearest beyond it.

    Near candidates are read ring by ring (`_best_near`), remote ones
    outside the radius newest first (`_best_remote`); each read stops once
    nothing unread could make the page.
    """
    prefs = Preferences.of(query)
    statements = reads(Shape.of(query))
    given = values(query, prefs.today, prefs.fresh_since)
    if session.autoflush:
        session.flush()  # what session.execute would do; Core reads skip the ORM's per-row work
    connection = session.connection()
    total = connection.scalar(statements.count, given) or 0
    if total:
        best = merge_best(
            prefs, _best_near(connection, prefs, statements, given), _best_remote(connection, prefs, statements, given)
        )
        return _result(session, prefs, page_of(best, query), total)
    return _result(session, prefs, page_of(_alternatives(connection, prefs, statements, given), query), 0)


def _best_near(connection: Connection, prefs: Preferences, statements: Reads, given: Mapping) -> list[Scored]:
    """The best opportunities inside the radius, read ring by ring from the origin.

    A city search has thousands of candidates and shows a handful. The
    first read takes the inner ring plus everything recently published
    (freshness is the one bonus that distance does not bound). Any row
    left unread after a ring lies beyond it, so its score stays under
    `Preferences.best_possible` for that distance; reading stops once the
    page's worst score beats that (strictly, so ties still go to the nearest).
    """
    best: list[Scored] = []
    for fraction, statement in zip(NEAR_RINGS, statements.rings):
        best = merge_best(prefs, best, prefs.rank(connection.execute(statement, given).all())[1])
        distance_fit = max(1.0 - fraction, REMOTE_DISTANCE_FIT)  # remote rows in the box score at least this
        if len(best) >= prefs.wanted and (not best or -best[-1].sort_key[0] > prefs.best_possible(distance_fit)):
            break
    return best


def _best_remote(connection: Connection, prefs: Preferences, statements: Reads, given: Mapping) -> list[Scored]:
    """The best remote opportunities outside the box, reading newest first.

    Outside the box every remote opportunity scores the same for distance,
    so an older one can only beat what is found so far through a better
    time fit. Reading stops once the page's worst score beats the best any
    older opportunity could reach (strictly, so ties still go to the nearest).
    """
    best: list[Scored] = []
    skip, size = 0, REMOTE_FIRST_CHUNK
    while True:
        rows = connection.execute(statements.remote, {**given, "skip": skip, "size": size}).all()
        best = merge_best(prefs, best, prefs.rank(rows)[1])
        if len(rows) < size:
            return best
        last = rows[-1]
        bound = prefs.best_possible(REMOTE_DISTANCE_FIT, last.category, last.created_at)
        if len(best) >= prefs.wanted and (not best or -best[-1].sort_key[0] > bound):
            return best
        skip, size = skip + size, size * 4


def _alternatives(connection: Connection, prefs: Preferences, statements: Reads, given: Mapping) -> list[Scored]:
    """The nearest qualifying opportunities beyond the radius, searching ever wider boxes."""
    query = prefs.query
    for step_km in ALTERNATIVE_STEPS_KM:
        if step_km is not None and step_km <= query.radius_km:
            continue
        if step_km is None:
            rows = connection.execute(statements.everywhere, given).all()
        else:
            rows = connection.execute(statements.within_box, {**given, **box_values("alt", query, step_km)}).all()
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
    statement = (
        select(Opportunity)
        .where(Opportunity.status == Status.OPEN.value, *scope(Shape.of(query)))
        .options(joinedload(Opportunity.initiative))
    )
    rows = session.scalars(statement, values(query, prefs.today, prefs.fresh_since)).all()
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


def record_search(
    session: Session, query: SearchQuery, result: MatchResult, centre: Centre | None = None,
) -> SearchLog:
    """Logs a search for unmet-demand statistics: area and interests only, never who asked.

    `centre` is the one whose widget (or region) the search came through, so
    each centre can count its own; None keeps the search in the global count only.
    """
    log = SearchLog(
        interests=",".join(sorted(query.interests)),
        pc4=query.pc4,
        municipality_code=query.municipality_code,
        result_count=len(result.matches),
        within_radius_count=result.total_within_radius,
        centre_id=centre.id if centre is not None else None,
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
    return {o.id: OpportunityView.of(o, i) for o, i in session.execute(VIEWS, {"ids": wanted})}


def _match(view: OpportunityView, s: Scored, prefs: Preferences) -> Match:
    return Match(
        opportunity=view,
        distance_km=s.distance_km,
        score=round(s.score, 4),
        within_radius=s.within_radius,
        reasons=prefs.reasons(s.candidate, s.distance_km, s.within_radius),
    )
