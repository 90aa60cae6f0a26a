"""Cijfers: a centre's weeks, its region's unmet demand and the region map, as pictures and as tables.

The chart is drawn here as SVG, on the server: the portal's CSP allows no
script and no style attribute, and a chart that needs neither prints,
works offline and reads the same in every browser. Each picture has a
table with the same numbers beside it, for screen readers and for anyone
who wants the exact figure, and each table can be downloaded as CSV.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timezone
from typing import NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from bot.web.portal.auth import (
    HEADERS,
    PREFIX,
    Form,
    StaffContext,
    gateway,
    not_found,
    parse_id,
    render_page,
    run,
    staff_page,
)
from bot.web.portal.vacancies import centre_choices, geography
from doemee import centre_stats, messages
from doemee import staff_messages as text
from doemee.centre_stats import RegionFigures, WeeklyStats
from doemee.demand import DemandReport
from doemee.storage.models import Centre

PAGE = f"{PREFIX}/cijfers"
log = logging.getLogger("doemee.web.portal.figures")
DEMAND_ROWS_SHOWN = 50

CHART_WIDTH = 640
CHART_HEIGHT = 320
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 56, 56, 44
SEARCHES_FILL = "#0b5394"
UNMET_FILL = "#c2410c"
SIGN_UPS_FILL = "#1e6b2c"
CONVERSION_STROKE = "#5b2a86"
INK = "#1b1b1b"


def _scope(request: Request, ctx: StaffContext) -> frozenset[int] | None:
    """The centres to count: all the member may see, or the one `centrum` names; None for any other."""
    chosen = request.query_params.get("centrum", "")
    if not chosen:
        return ctx.centre_ids
    centre_id = parse_id(chosen)
    return frozenset({centre_id}) if centre_id in ctx.centre_ids else None


class Counted(NamedTuple):
    weekly: WeeklyStats
    demand: DemandReport
    region: RegionFigures


class FiguresCache:
    """The counts of each set of centres, kept and counted again in the background.

    Counting reads every search of the period (a busy region logs hundreds
    of thousands a quarter), far more than a page may take; figures that
    are a few minutes old serve the question "how are we doing" just as
    well. Counts younger than `max_age` are served as they are. Older ones,
    up to `stale_limit`, are served too while a background task counts
    them again, so only the first view of a set of centres, or one after
    a long quiet spell, waits for the count. `keep_warm` counts every
    centre's figures before anyone asks. One cache per gateway process.
    """

    def __init__(self, max_age: float = 300.0, stale_limit: float = 3600.0, size: int = 256) -> None:
        self.max_age = max_age
        self.stale_limit = stale_limit
        self.size = size
        self._kept: OrderedDict[frozenset[int], tuple[float, date, Counted]] = OrderedDict()
        self._refreshing: dict[frozenset[int], asyncio.Task] = {}

    def get(self, scope: frozenset[int], today: date, now: float) -> tuple[Counted | None, bool]:
        """The kept counts (None when there are none worth showing), and whether to count again."""
        found = self._kept.get(scope)
        if found is None or now - found[0] >= self.stale_limit:
            return None, True
        self._kept.move_to_end(scope)
        return found[2], found[1] != today or now - found[0] >= self.max_age

    def put(self, scope: frozenset[int], today: date, now: float, counted: Counted) -> None:
        self._kept[scope] = (now, today, counted)
        self._kept.move_to_end(scope)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def refresh(self, scope: frozenset[int], count: Callable[[], Awaitable[object]]) -> None:
        """Counts `scope` again in the background, once at a time; a failure keeps the old counts."""
        if scope in self._refreshing:
            return
        task = asyncio.get_running_loop().create_task(_guarded(count()))
        self._refreshing[scope] = task
        task.add_done_callback(lambda _: self._refreshing.pop(scope, None))

    def clear(self) -> None:
        self._kept.clear()

    async def stop(self) -> None:
        """Cancels the counts still running, before the gateway closes its database."""
        running = list(self._refreshing.values())
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


# One cache per gateway (each has its own database).
_CACHES: WeakKeyDictionary[object, FiguresCache] = WeakKeyDictionary()


def clear_caches() -> None:
    for cache in list(_CACHES.values()):
        cache.clear()


def cache_of(app: object) -> FiguresCache:
    return _CACHES.setdefault(app, FiguresCache())


async def counted(request: Request, scope: frozenset[int]) -> Counted:
    """The figures of `scope` from the cache, or counted now (and kept)."""
    cache, gw = cache_of(request.app), gateway(request)
    found, again = cache.get(scope, _today(), _clock())
    if found is None:
        return await _count(cache, gw, scope)
    if again:
        cache.refresh(scope, lambda: _count(cache, gw, scope))
    return found


async def keep_warm(app: object, gw, interval: float) -> None:
    """Counts each centre's figures, and those of all centres together, every `interval` seconds.

    Those are the sets a member and an administrator look at, so a view
    finds counts at most `interval` seconds old and never waits for one.
    """
    cache = cache_of(app)
    while True:
        try:
            centres = await gw.db().run_sync(
                lambda session: list(session.scalars(select(Centre.id).order_by(Centre.id))))
            scopes = [frozenset(centres), *(frozenset({centre}) for centre in centres)]
            for scope in scopes:
                await _count(cache, gw, scope)
            log.debug("figures counted ahead for %d sets of centres", len(scopes))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the next round tries again; the pages count for themselves meanwhile
            log.warning("figures not counted ahead (%s)", type(error).__name__)
        await asyncio.sleep(interval)


async def _count(cache: FiguresCache, gw, scope: frozenset[int]) -> Counted:
    today, now = _today(), _clock()
    geo = await geography()

    def work(session) -> Counted:
        return Counted(centre_stats.weekly(session, scope), centre_stats.demand(session, scope, geo),
                       centre_stats.municipalities(session, scope, geo))

    found = await gw.db().run_sync(work)
    cache.put(scope, today, now, found)
    return found


async def _guarded(work: Awaitable[object]) -> None:
    try:
        await work
    except Exception as error:  # a view already has the older counts
        log.warning("figures not counted again (%s)", type(error).__name__)


_clock = time.monotonic


def _today() -> date:
    return datetime.now(timezone.utc).date()


@staff_page(PAGE)
async def figures(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    scope = _scope(request, ctx)
    if scope is None:
        return not_found(request, ctx)
    weekly, demand, region = await counted(request, scope)
    centres = await run(request, lambda session: centre_choices(session, ctx))
    chosen = request.query_params.get("centrum", "")
    return render_page(
        request, ctx, "portal/figures.html", active="cijfers", weekly=weekly, chart=weekly_chart_svg(weekly),
        demand=demand, demand_rows=demand.rows[:DEMAND_ROWS_SHOWN], region=region,
        region_map=centre_stats.region_map_svg(region), any_interest=messages.STATS_ANY_INTEREST,
        centres=centres, chosen=chosen, suffix=f"?centrum={chosen}" if chosen else "",
    )


# The tables of the page, each as a download: file name -> its CSV from the page's counts.
_DOWNLOADS: dict[str, Callable[[Counted], str]] = {
    "weken": lambda found: centre_stats.weekly_csv(found.weekly),
    "vraag": lambda found: centre_stats.demand_csv(found.demand),
    "gemeenten": lambda found: centre_stats.municipalities_csv(found.region),
}


def _register_download(name: str) -> None:
    @staff_page(f"{PAGE}/{name}.csv")
    async def download(request: Request, ctx: StaffContext, form: Form | None) -> Response:
        scope = _scope(request, ctx)
        if scope is None:
            return not_found(request, ctx)
        return _download(_DOWNLOADS[name](await counted(request, scope)), name)


for _name in _DOWNLOADS:
    _register_download(_name)


def _download(body: str, name: str) -> Response:
    """With a byte order mark, so spreadsheet programs read the accents right."""
    filename = f"doemee-cijfers-{name}-{date.today().isoformat()}.csv"
    return Response(
        ("\ufeff" + body).encode("utf-8"), media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- the chart ---------------------------------------------------------------------


def weekly_chart_svg(stats: WeeklyStats, *, svg_id: str = "weekgrafiek") -> str:
    """Bars per week (searches, the unmet part of them darker, sign-ups beside), conversion as a line.

    Counts use the left axis, conversion the right one (0 to 100%, or to
    the highest week when that is lower, so a small share still shows).
    """
    weeks = stats.weeks
    plot_w = CHART_WIDTH - _LEFT - _RIGHT
    plot_h = CHART_HEIGHT - _TOP - _BOTTOM
    base = _TOP + plot_h
    top = _nice_ceiling(max([w.searches for w in weeks] + [w.sign_ups for w in weeks] + [1]))
    shares = [w.conversion for w in weeks if w.conversion is not None]
    share_top = _nice_share(max(shares)) if shares else 0.2
    slot = plot_w / max(1, len(weeks))
    bar = max(2.0, slot * 0.36)

    def y(count: float) -> float:
        return base - plot_h * count / top

    def y_share(share: float) -> float:
        return base - plot_h * min(share, share_top) / share_top

    desc = text.chart_description(len(weeks), stats.searches, stats.unmet, stats.sign_ups)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{svg_id}-title {svg_id}-desc" font-family="sans-serif" font-size="12">',
        f'<title id="{svg_id}-title">{_x(text.CHART_TITLE)}</title><desc id="{svg_id}-desc">{_x(desc)}</desc>',
    ]
    for step in range(5):
        value = top * step / 4
        line_y = y(value)
        parts.append(f'<line x1="{_LEFT}" y1="{line_y:.1f}" x2="{_LEFT + plot_w}" y2="{line_y:.1f}" '
                     f'stroke="#d0ccc4" stroke-width="1"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{line_y + 4:.1f}" text-anchor="end" fill="{INK}">{_number(value)}</text>')
        parts.append(f'<text x="{_LEFT + plot_w + 6}" y="{line_y + 4:.1f}" fill="{CONVERSION_STROKE}">'
                     f'{round(share_top * step / 4 * 100)}%</text>')
    label_every = max(1, round(len(weeks) / 12))
    points = []
    for i, week in enumerate(weeks):
        x = _LEFT + i * slot + (slot - 2 * bar) / 2
        tip = _x(text.week_summary(week.week, week.searches, week.unmet, week.sign_ups, week.conversion))
        parts.append(f"<g><title>{tip}</title>")
        parts.append(_bar(x, y(week.searches), bar, base, SEARCHES_FILL))
        parts.append(_bar(x, y(week.unmet), bar, base, UNMET_FILL))
        parts.append(_bar(x + bar, y(week.sign_ups), bar, base, SIGN_UPS_FILL))
        parts.append("</g>")
        if i % label_every == 0:
            parts.append(f'<text x="{x + bar:.1f}" y="{base + 16}" text-anchor="middle" fill="{INK}">'
                         f'{_x(week.week.split("-")[-1])}</text>')
        if week.conversion is not None:
            points.append((x + bar, y_share(week.conversion)))
    parts.append(f'<line x1="{_LEFT}" y1="{base}" x2="{_LEFT + plot_w}" y2="{base}" stroke="{INK}" stroke-width="1"/>')
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{CONVERSION_STROKE}" stroke-width="2"/>')
    for px, py in points:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{CONVERSION_STROKE}"/>')
    parts.append(_legend())
    parts.append("</svg>")
    return "".join(parts)


def _bar(x: float, top_y: float, width: float, base: float, fill: str) -> str:
    height = max(0.0, base - top_y)
    return f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"/>'


def _legend() -> str:
    items = [
        (SEARCHES_FILL, "Zoekvragen"), (UNMET_FILL, "waarvan zonder plek in de buurt"),
        (SIGN_UPS_FILL, "Aanmeldingen"), (CONVERSION_STROKE, "Conversie (rechts)"),
    ]
    parts = []
    for i, (colour, label) in enumerate(items):
        x = _LEFT + (i % 2) * 260
        y = 14 + (i // 2) * 20
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 18}" y="{y}" fill="{INK}">{_x(label)}</text>')
    return "".join(parts)


def _nice_ceiling(value: int) -> int:
    """The axis top: the smallest of 4, 8, 20, 40, 80, 200, ... at least `value`, so the four steps are whole."""
    step = 1
    while True:
        for factor in (4, 8, 20):
            if factor * step >= value:
                return factor * step
        step *= 10


def _nice_share(value: float) -> float:
    """The right axis top: its four steps are whole percentages (1, 2, 5, 10, 20 or 25)."""
    for top in (0.04, 0.08, 0.2, 0.4, 0.8, 1.0):
        if value <= top:
            return top
    return 1.0


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _x(value: str) -> str:
    return html.escape(value, quote=True)
