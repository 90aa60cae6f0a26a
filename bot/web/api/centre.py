"""/api/v1/centre/opportunities/{external_id}: a centre's vacancy bank, read, written and closed by its partner.

The key decides the centre; nothing in the request can name another.
The checks and the writer are the CSV import's (`doemee.api_listings`).
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.web.api.common import Access, db, endpoint, error, geography, invalid
from bot.web.body import read_capped
from doemee import api_listings
from doemee import api_messages as text
from doemee.api_listings import ListingConflict

MAX_BODY_BYTES = 64 * 1024


def _target(request: Request, access: Access) -> tuple[int, str] | Response:
    """The caller's centre and the external id the path names, or the answer that refuses the id."""
    assert access.caller is not None
    external_id = request.path_params["external_id"]
    reason = api_listings.check_external_id(external_id)
    if reason:
        return invalid([{"field": "external_id", "message": reason}])
    return access.caller.centre_id, external_id


@endpoint(write=True)
async def upsert(request: Request, access: Access) -> Response:
    target = _target(request, access)
    if isinstance(target, Response):
        return target
    centre_id, external_id = target
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return error(415, "not_json", text.NOT_JSON)
    raw = await read_capped(request, MAX_BODY_BYTES)
    if raw is None:
        return error(413, "too_large", text.TOO_LARGE)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error(400, "bad_json", text.BAD_JSON)
    geo = await geography()
    item, problems = api_listings.parse(body, external_id, geo)
    if item is None:
        return invalid([{"field": p.field, "message": p.message} for p in problems])

    saved, created, shared = await db(request, lambda session: api_listings.upsert(session, geo, centre_id, item))
    if saved is None:
        return invalid([{"field": p.field, "message": p.message} for p in shared])
    return JSONResponse(saved.as_json(), status_code=201 if created else 200)


@endpoint(write=True)
async def read(request: Request, access: Access) -> Response:
    target = _target(request, access)
    if isinstance(target, Response):
        return target
    centre_id, external_id = target
    found = await db(request, lambda session: api_listings.get(session, centre_id, external_id))
    if found is None:
        return error(404, "not_found", text.LISTING_NOT_FOUND)
    return JSONResponse(found.as_json())


@endpoint(write=True)
async def close(request: Request, access: Access) -> Response:
    target = _target(request, access)
    if isinstance(target, Response):
        return target
    centre_id, external_id = target
    try:
        closed = await db(request, lambda session: api_listings.close(session, centre_id, external_id))
    except ListingConflict:
        return error(409, "concept", text.CONFLICT_CONCEPT)
    if closed is None:
        return error(404, "not_found", text.LISTING_NOT_FOUND)
    return JSONResponse(closed.as_json())
