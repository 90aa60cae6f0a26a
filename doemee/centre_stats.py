"""A volunteer centre's figures ("Cijfers"): its weeks, its region's unmet demand, a map of both.

Everything is scoped to the centres the caller may see. The weekly series
counts what came in through those centres (the `centre_id` the search log
and the sign-ups carry); the demand tables and the map count where people
searched from (the municipalities of those centres' regions), whichever
door they used, because that is the region the centre answers for. Open
opportunities are only ever the centre's own.

The SVG map needs no server, script or tile: each municipality is a circle
at the middle of its postcodes, so it prints, works offline and can be
attached to a report as one file.
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy import ColumnElement, case, func, literal_column, select, union_all
from sqlalchemy.orm import Session

from doemee import demand as demand_report
from doemee import messages, search_aggregates
from doemee.demand import DemandReport
from doemee.exchange.csv_format import escape_cell
from doemee.storage.models import CentreMunicipality, SearchLog, SignUp
from doemee.vacancies import scope as _scope

DEFAULT_WEEKS = 12
MAX_WEEKS = 156


class Geography(Protocol):
    """What the figures need from the geography (doemee.geo.index.GeoIndex has both)."""

    def municipality(self, code: str) -> str | None: ...

    def centroid(self, code: str) -> tuple[float, float] | None: ...


@dataclass(frozen=True)
class WeekRow:
    """One ISO week; `starts` is its Monday (UTC)."""

    week: str
    starts: date
    searches: int
    unmet: int
    sign_ups: int

    @property
    def conversion(self) -> float | None:
        """Sign-ups per search; None in a week without searches, where it means nothing."""
        return self.sign_ups / self.searches if self.searches else None


@dataclass(frozen=True)
class WeeklyStats:
    weeks: tuple[WeekRow, ...]

    @property
    def searches(self) -> int:
        return sum(w.searches for w in self.weeks)

    @property
    def unmet(self) -> int:
        return sum(w.unmet for w in self.weeks)

    @property
    def sign_ups(self) -> int:
        return sum(w.sign_ups for w in self.weeks)

    @property
    def conversion(self) -> float | None:
        return self.sign_ups / self.searches if self.searches else None


@dataclass(frozen=True)
class MunicipalityFigures:
    """One municipality of the region; `lat`/`lon` are None when the geography cannot place it."""

    municipality_code: str
    municipality: str
    searches: int
    unmet: int
    open_opportunities: int
    lat: float | None
    lon: float | None

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.searches if self.searches else 0.0


@dataclass(frozen=True)
class RegionFigures:
    since: date
    municipalities: tuple[MunicipalityFigures, ...]

    @property
    def searches(self) -> int:
        return sum(m.searches for m in self.municipalities)

    @property
    def unmet(self) -> int:
        return sum(m.unmet for m in self.municipalities)


# --- reading -------------------------------------------------------------------


def region(session: Session, centre_ids: Iterable[int]) -> tuple[str, ...]:
    """The CBS codes of the visible centres' regions, together."""
    scope = _scope(centre_ids)
    if not scope:
        return ()
    codes = session.scalars(
        select(CentreMunicipality.municipality_code).where(CentreMunicipality.centre_id.in_(scope)).distinct()
    )
    return tuple(sorted(codes))


def weekly(
    session: Session, centre_ids: Iterable[int], weeks: int = DEFAULT_WEEKS, today: date | None = None,
) -> WeeklyStats:
    """The last `weeks` ISO weeks up to and including this one, oldest first, every week present.

    A search is unmet when nothing lay inside its radius, as in
    doemee.demand; searches older than the retention period come from their
    day counts (doemee.search_aggregates). Weeks are cut in UTC, in Python:
    the databases number weeks differently (SQLite has no ISO week), so SQL
    only compares timestamps and days with the boundaries given here.
    """
    count = _clamped(weeks, 1, MAX_WEEKS, DEFAULT_WEEKS)
    today = today or datetime.now(timezone.utc).date()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=count - 1 - i) for i in range(count)]
    bounds = [datetime.combine(d, time.min, tzinfo=timezone.utc) for d in starts]
    bounds.append(bounds[-1] + timedelta(weeks=1))

    scope = _scope(centre_ids)
    searches: dict[int, tuple[int, int]] = {}
    sign_ups: dict[int, int] = {}
    if scope:
        logged = _by_week(SearchLog.created_at, bounds, (SearchLog.within_radius_count == 0).label("unmet_flag"))
        logged = logged.where(SearchLog.centre_id.in_(scope)).subquery()
        live = (
            select(logged.c.week, func.count(), func.sum(case((logged.c.unmet_flag, 1), else_=0)))
            .group_by(logged.c.week)
        )
        # One statement with the folded days, so a fold running meanwhile is seen wholly or not at all.
        folded = search_aggregates.by_week([*starts, bounds[-1].date()], scope)
        for week, number, missed in session.execute(union_all(live, folded)):
            found, unmet = searches.get(int(week), (0, 0))
            searches[int(week)] = (found + int(number), unmet + int(missed or 0))
        joined = _by_week(SignUp.created_at, bounds).where(SignUp.centre_id.in_(scope)).subquery()
        for week, number in session.execute(select(joined.c.week, func.count()).group_by(joined.c.week)):
            sign_ups[int(week)] = int(number)

    rows = []
    for i, start in enumerate(starts):
        year, number, _ = start.isocalendar()
        found, missed = searches.get(i, (0, 0))
        rows.append(WeekRow(f"{year}-W{number:02d}", start, found, missed, sign_ups.get(i, 0)))
    return WeeklyStats(tuple(rows))


def demand(
    session: Session,
    centre_ids: Iterable[int],
    geo: Geography,
    since: date | None = None,
    today: date | None = None,
    limit: int | None = None,
) -> DemandReport:
    """Unmet demand per municipality and interest in the region, most unmet first (doemee.demand's report)."""
    scope = _scope(centre_ids)
    return demand_report.unmet_demand(
        session, since or demand_report.default_since(today), geo.municipality, limit=limit, today=today,
        region=region(session, scope), centre_ids=scope,
    )


def municipalities(
    session: Session,
    centre_ids: Iterable[int],
    geo: Geography,
    since: date | None = None,
    today: date | None = None,
) -> RegionFigures:
    """Every municipality of the region with its searches, unmet searches and open listings, by name."""
    scope = _scope(centre_ids)
    since = since or demand_report.default_since(today)
    rows = demand_report.by_municipality(
        session, since, geo.municipality, region(session, scope), centre_ids=scope, today=today,
    )
    figures = []
    for row in rows:
        point = geo.centroid(row.municipality_code)
        figures.append(MunicipalityFigures(
            municipality_code=row.municipality_code, municipality=row.municipality or row.municipality_code,
            searches=row.searches, unmet=row.unmet, open_opportunities=row.open_opportunities,
            lat=point[0] if point else None, lon=point[1] if point else None,
        ))
    return RegionFigures(since, tuple(figures))


# --- CSV ---------------------------------------------------------------------------


def weekly_csv(stats: WeeklyStats) -> str:
    return _csv(messages.STATS_WEEKLY_COLUMNS, [
        (w.week, w.starts.isoformat(), w.searches, w.unmet, w.sign_ups, _share(w.conversion)) for w in stats.weeks
    ])


def demand_csv(report: DemandReport) -> str:
    return _csv(messages.STATS_DEMAND_COLUMNS, [
        (
            r.municipality or "", r.municipality_code or "", r.category_label or messages.STATS_ANY_INTEREST,
            r.searches, r.unmet, _share(r.unmet_share), r.open_opportunities,
        )
        for r in report.rows
    ])


def municipalities_csv(figures: RegionFigures) -> str:
    return _csv(messages.STATS_MUNICIPALITY_COLUMNS, [
        (m.municipality, m.municipality_code, m.searches, m.unmet, _share(m.unmet_share), m.open_opportunities)
        for m in figures.municipalities
    ])


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text a spreadsheet opens safely: a cell starting with = + - @ gets an apostrophe first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_cell(str(c)) for c in header])
    for row in rows:
        writer.writerow([escape_cell("" if c is None else str(c)) for c in row])
    return out.getvalue()


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


# --- the map ----------------------------------------------------------------------

MAP_WIDTH = 640
MAX_RADIUS = 48.0
_MIN_RADIUS = 3.0
_MARGIN = MAX_RADIUS + 24
_LIGHT = (254, 229, 217)
_DARK = (165, 15, 21)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[^A-Za-z0-9_-]")


def region_map_svg(figures: RegionFigures, *, svg_id: str = "regiokaart") -> str:
    """The region as circles: area by searches, darker where more searches found nothing near.

    Equirectangular with the longitude shrunk by cos(latitude), which is
    true enough at the scale of a region; fitted into a 640 wide viewBox.
    `svg_id` prefixes the ids of the title and description, for pages that
    show more than one map.
    """
    prefix = _ID.sub("", svg_id or "") or "regiokaart"
    placed = [m for m in figures.municipalities if m.lat is not None and m.lon is not None]
    if not placed or figures.searches == 0:
        return _empty_svg(prefix)

    mid_lat = sum(m.lat for m in placed) / len(placed)  # type: ignore[misc]
    shrink = math.cos(math.radians(mid_lat))
    xs = [m.lon * shrink for m in placed]  # type: ignore[operator]
    ys = [-m.lat for m in placed]  # type: ignore[operator]
    inner = MAP_WIDTH - 2 * _MARGIN
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    scale = inner / max(span_x, span_y) if max(span_x, span_y) > 0 else 1.0
    height = span_y * scale + 2 * _MARGIN
    offset_x = (MAP_WIDTH - span_x * scale) / 2
    most = max(m.searches for m in placed)

    circles = []
    for m, x, y in zip(placed, xs, ys):
        cx = offset_x + (x - min(xs)) * scale
        cy = _MARGIN + (y - min(ys)) * scale
        circles.append((m, cx, cy, MAX_RADIUS * math.sqrt(m.searches / most) if m.searches else 0.0))
    circles.sort(key=lambda c: (-c[3], c[0].municipality_code))

    title = messages.MAP_TITLE
    desc = messages.map_description(len(figures.municipalities), figures.searches, figures.unmet, figures.since)
    parts = [_open_svg(prefix, height, title, desc)]
    for m, cx, cy, radius in circles:
        label = _x(messages.map_circle_title(m.municipality, m.searches, m.unmet))
        if radius:
            fill = _colour(m.unmet_share)
            shape = (
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{max(radius, _MIN_RADIUS):.1f}" fill="{fill}" '
                'fill-opacity="0.85" stroke="#4a0a0e" stroke-width="1"/>'
            )
        else:
            shape = (
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{_MIN_RADIUS:.1f}" fill="none" '
                'stroke="#555555" stroke-width="1" stroke-dasharray="2 2"/>'
            )
        name = _x(m.municipality)
        text_y = cy + max(radius, _MIN_RADIUS) + 13
        parts.append(
            f'<g><title>{label}</title>{shape}'
            f'<text x="{cx:.1f}" y="{text_y:.1f}" text-anchor="middle" font-size="12" '
            f'font-family="sans-serif" fill="#1a1a1a">{name}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _empty_svg(prefix: str) -> str:
    height = 160
    return (
        _open_svg(prefix, height, messages.MAP_TITLE, messages.MAP_EMPTY_DESC)
        + f'<rect x="0.5" y="0.5" width="{MAP_WIDTH - 1}" height="{height - 1}" fill="#f5f5f5" stroke="#cccccc"/>'
        + f'<text x="{MAP_WIDTH / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" dominant-baseline="middle" '
        + f'font-size="16" font-family="sans-serif" fill="#333333">{_x(messages.MAP_EMPTY)}</text></svg>'
    )


def _open_svg(prefix: str, height: float, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{prefix}-title {prefix}-desc">'
        f'<title id="{prefix}-title">{_x(title)}</title><desc id="{prefix}-desc">{_x(desc)}</desc>'
    )


def _x(text: str) -> str:
    """Text safe inside an element or an attribute; characters XML cannot hold are dropped."""
    return html.escape(_XML_INVALID.sub("", text), quote=True)


def _colour(share: float) -> str:
    t = min(1.0, max(0.0, share))
    red, green, blue = (round(a + (b - a) * t) for a, b in zip(_LIGHT, _DARK))
    return f"#{red:02x}{green:02x}{blue:02x}"


# --- inside -----------------------------------------------------------------------


def _by_week(column, bounds: list[datetime], *extra):
    """Rows of [bounds[0], bounds[-1]) with their week number (0 = oldest) as `week`."""
    last: ColumnElement[Any] = literal_column(str(len(bounds) - 2))
    whens: list[tuple[ColumnElement[bool], ColumnElement[Any]]] = [(column < bounds[i + 1], literal_column(str(i))) for i in range(len(bounds) - 2)]
    week = case(*whens, else_=last) if whens else last
    return select(week.label("week"), *extra).where(column >= bounds[0], column < bounds[-1])


def _clamped(value: object, low: int, high: int, default: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(low, min(high, value))
