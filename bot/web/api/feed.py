"""The open-data feed: DoeMee's open listings in Open Referral HSDS 3.0 under /api/v1/hsds.

The paths follow HSDS's own API reference ("/", /services, /services/{id},
/organizations, /taxonomy_terms), so an HSDS harvester needs no adapter.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.web.api.common import Access, db, endpoint, error, invalid, public_url
from doemee import api_messages as text
from doemee import hsds

_PAGE_WORDS = ("page", "per_page")


def _paging(request: Request) -> tuple[int, int] | Response:
    params = request.query_params
    problems = []
    values = {"page": 1, "per_page": hsds.DEFAULT_PER_PAGE}
    highest = {"page": 10**6, "per_page": hsds.MAX_PER_PAGE}
    for key in params.keys():
        if key not in _PAGE_WORDS:
            problems.append({"field": key[:40], "message": text.unknown_parameter([key[:40]])})
    for key in _PAGE_WORDS:
        given = params.getlist(key)
        if len(given) > 1:
            problems.append({"field": key, "message": text.repeated_parameter(key)})
        elif given:
            raw = given[0].strip()
            number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 0
            if not 1 <= number <= highest[key]:
                problems.append({"field": key, "message": text.not_a_number(key, 1, highest[key])})
            else:
                values[key] = number
    return invalid(problems) if problems else (values["page"], values["per_page"])


@endpoint(write=False)
async def about(request: Request, access: Access) -> Response:
    return JSONResponse(hsds.about(public_url(request), "DoeMee"))


@endpoint(write=False)
async def services(request: Request, access: Access) -> Response:
    paging = _paging(request)
    if isinstance(paging, Response):
        return paging
    base = public_url(request)
    return JSONResponse(await db(request, lambda session: hsds.services(session, base, *paging)))


@endpoint(write=False)
async def service(request: Request, access: Access) -> Response:
    base = public_url(request)
    wanted = request.path_params["id"]
    found = await db(request, lambda session: hsds.one_service(session, wanted, base))
    if found is None:
        return error(404, "not_found", text.NOT_FOUND)
    return JSONResponse(found)


@endpoint(write=False)
async def organizations(request: Request, access: Access) -> Response:
    paging = _paging(request)
    if isinstance(paging, Response):
        return paging
    return JSONResponse(await db(request, lambda session: hsds.organizations(session, *paging)))


@endpoint(write=False)
async def taxonomy_terms(request: Request, access: Access) -> Response:
    terms = hsds.taxonomy_terms()
    return JSONResponse(hsds.page(len(terms), 1, max(len(terms), 1), terms))
