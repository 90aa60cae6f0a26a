"""GET /api/v1/opportunities (search) and /api/v1/opportunities/{id}: the chatbot's own search, as open data.

The search is `doemee.matching.engine.find`, the function the chat's
search action and `doemee match` call, with the same place resolution
(`GeoIndex.resolve`) and the same Dutch reasons. Every parameter is
checked; anything wrong is a 422 that names the parameter and says why.
"""

from __future__ import annotations

import math
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.web.api.common import Access, db, endpoint, error, geography, invalid
from doemee import api_listings
from doemee import api_messages as text
from doemee import messages
from doemee.categories import CATEGORIES, LABELS, parse_interests
from doemee.geo.postcodes import normalise_postcode
from doemee.geo.types import Outcome
from doemee.geo.wording import label
from doemee.matching.engine import find
from doemee.matching.query import DEFAULT_RADIUS_KM, TIME_WORDS, Match, SearchQuery

PARAMETERS = ("postcode", "place", "interests", "when", "radius_km", "page", "per_page", "centre")
RADIUS_KM = (0.1, 300.0)
PAGES = (1, 100)
PER_PAGE = (1, 50)
DEFAULT_PER_PAGE = 10
MAX_TEXT = 120
MAX_LIST = 300
TIME_ORDER = ("ochtend", "middag", "avond", "weekend", "doordeweeks", "eenmalig", "wekelijks", "maandelijks")
_DECIMAL = re.compile(r"\d{1,6}(?:[.,]\d{1,6})?")
_INTEGER = re.compile(r"\d{1,9}")


def _problem(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}


def _number(value: str | None, name: str, bounds: tuple[float, float], default: float,
            problems: list[dict[str, str]], whole: bool = False) -> float:
    if value is None:
        return default
    cleaned = value.strip()
    pattern = _INTEGER if whole else _DECIMAL
    number = float(cleaned.replace(",", ".")) if pattern.fullmatch(cleaned) else math.nan
    if not bounds[0] <= number <= bounds[1]:
        problems.append(_problem(name, text.not_a_number(name, *bounds)))
        return default
    return number


def _words(value: str | None, name: str, problems: list[dict[str, str]]) -> list[str] | None:
    if value is None:
        return []
    if len(value) > MAX_LIST:
        problems.append(_problem(name, text.too_long(name, MAX_LIST)))
        return None
    return [w.strip().lower() for w in value.split(",") if w.strip()]


@endpoint(write=False)
async def search(request: Request, access: Access) -> Response:
    params = request.query_params
    problems: list[dict[str, str]] = []
    unknown = sorted({key for key in params.keys() if key not in PARAMETERS})
    if unknown:
        problems.append(_problem(unknown[0][:40], text.unknown_parameter(k[:40] for k in unknown[:5])))
    for key in PARAMETERS:
        if len(params.getlist(key)) > 1:
            problems.append(_problem(key, text.repeated_parameter(key)))
    if problems:
        return invalid(problems)

    interests: frozenset[str] = frozenset()
    words = _words(params.get("interests"), "interests", problems)
    if words:
        slugs, not_known = parse_interests(words)
        if not_known:
            problems.append(_problem("interests", text.unknown_interests(
                [w[:40] for w in not_known[:5]], [c.slug for c in CATEGORIES])))
        interests = frozenset(slugs)
    times = _words(params.get("when"), "when", problems)
    if times:
        wrong = [w for w in times if w not in TIME_WORDS]
        if wrong:
            problems.append(_problem("when", text.unknown_times([w[:40] for w in wrong[:5]], TIME_ORDER)))
    radius = _number(params.get("radius_km"), "radius_km", RADIUS_KM, DEFAULT_RADIUS_KM, problems)
    page = int(_number(params.get("page"), "page", PAGES, 1, problems, whole=True))
    per_page = int(_number(params.get("per_page"), "per_page", PER_PAGE, DEFAULT_PER_PAGE, problems, whole=True))

    region: frozenset[str] = frozenset()
    slug = params.get("centre")
    if slug is not None:
        scoped = await request.app.state.gateway.centres.get(slug) if len(slug) <= 40 else None
        if scoped is None:
            problems.append(_problem("centre", text.unknown_centre(slug[:40])))
        else:
            region = frozenset(scoped.municipalities)
    postcode, place = params.get("postcode"), params.get("place")
    location = None
    origin = ""
    if postcode is not None and place is not None:
        problems.append(_problem("place", text.BOTH_LOCATIONS))
    elif postcode is None and place is None:
        problems.append(_problem("postcode", text.NEED_LOCATION))
    elif postcode is not None:
        normalised = normalise_postcode(postcode) if len(postcode) <= 20 else None
        if normalised is None:
            problems.append(_problem("postcode", messages.bad_postcode(postcode[:20])))
        else:
            location = (await geography()).postcode(normalised)
            origin = normalised
            if location is None:
                problems.append(_problem("postcode", text.unknown_postcode(normalised)))
    else:
        assert place is not None
        cleaned = " ".join(place.split())
        if not cleaned or len(cleaned) > MAX_TEXT:
            problems.append(_problem("place", text.unknown_place(cleaned[:MAX_TEXT])))
        else:
            result = (await geography()).resolve(cleaned)
            if result.outcome is Outcome.AMBIGUOUS:
                problems.append(_problem("place", text.ambiguous_place(cleaned, [label(c) for c in result.candidates])))
            elif result.outcome is Outcome.FOUND and result.location is not None:
                location = result.location
                origin = location.name
            else:
                problems.append(_problem("place", text.unknown_place(cleaned)))
    if problems or location is None:
        return invalid(problems)

    query = SearchQuery(
        lat=location.lat, lon=location.lon, origin=origin, pc4=location.pc4,
        municipality_code=location.municipality_code, interests=interests, times=frozenset(times or ()),
        radius_km=radius, limit=per_page, offset=(page - 1) * per_page, municipality_codes=region,
    )
    result = await db(request, lambda session: find(session, query))
    return JSONResponse({
        "query": {
            "origin": origin, "place": location.place, "municipality": location.municipality, "lat": location.lat,
            "lon": location.lon, "radius_km": radius, "interests": sorted(interests), "when": sorted(set(times or ())),
        },
        "page": page, "per_page": per_page, "total_within_radius": result.total_within_radius,
        "only_alternatives": result.only_alternatives,
        "items": [_item(match, origin) for match in result.matches],
    })


def _item(match: Match, origin: str) -> dict[str, Any]:
    """A match as `doemee match --json` prints it, plus what a listing page needs to show it."""
    view = match.opportunity
    return {
        "id": view.id, "external_id": view.external_id, "title": view.title, "description": view.description,
        "initiative": view.initiative, "initiative_website": view.initiative_website, "category": view.category,
        "category_label": LABELS.get(view.category, view.category), "place": view.place, "pc4": view.pc4,
        "distance_km": round(match.distance_km, 1), "within_radius": match.within_radius,
        "score": round(match.score, 4), "reasons": list(messages.reasons_text(match, origin)),
        "remote": view.remote, "time_commitment": view.time_commitment, "day_parts": list(view.day_parts),
        "valid_until": view.valid_until.isoformat() if view.valid_until else None,
    }


@endpoint(write=False)
async def one(request: Request, access: Access) -> Response:
    raw = request.path_params["id"]
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else 0
    found = await db(request, lambda session: api_listings.open_listing(session, number)) if number else None
    if found is None:
        return error(404, "not_found", text.NOT_FOUND)
    return JSONResponse(found.as_json())
