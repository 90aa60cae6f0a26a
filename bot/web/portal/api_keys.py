"""API: a centre's keys for the partner API, made and revoked by its staff.

A new key is shown once, on the page that answers the form (never in an
address, never in a mail); the database only keeps its hash. Another
centre's key answers exactly like a missing one (404). Making and
revoking are audited in the same unit of work, without the key's name.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import HEADERS, PREFIX, Form, StaffContext, not_found, parse_id, render_page, run, staff_page
from bot.web.portal.vacancies import centre_choices
from doemee import api_keys as keys
from doemee import audit
from doemee import staff_messages as text

PAGE = f"{PREFIX}/api"


async def _page(request: Request, ctx: StaffContext, *, status: int = 200, new_key: keys.NewKey | None = None,
                problem: str | None = None, name: str = "", centre: str = "") -> Response:
    def read(session):
        return keys.listed(session, ctx.centre_ids), centre_choices(session, ctx)

    listed, centres = await run(request, read)
    done = text.API_KEY_REVOKED if request.query_params.get("gedaan") == "ingetrokken" else None
    return render_page(
        request, ctx, "portal/api_keys.html", status, active="api", keys=listed, centres=centres, new_key=new_key,
        problem=problem, key_name=name, centre=centre, done=done, date=text.date_nl,
    )


@staff_page(PAGE, methods=["GET", "POST"])
async def api_keys_page(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    if form is None:
        return await _page(request, ctx)
    name = keys.clean_name(form.get("name"))
    centre_text = form.get("centre").strip()
    if centre_text:
        centre_id = parse_id(centre_text) or -1
    else:
        centre_id = next(iter(ctx.centre_ids)) if len(ctx.centre_ids) == 1 else -1
    if name is None:
        return await _page(request, ctx, status=400, problem=text.API_KEY_NAME_BAD, name=form.get("name")[:80],
                           centre=centre_text)

    def work(session):
        made = keys.create(session, ctx.centre_ids, centre_id, name, ctx.staff_id)
        if made is not None:
            audit.record(session, audit.API_KEY_CREATED, staff_id=ctx.staff_id, centre_id=made.view.centre_id,
                         object_type="api_key", object_id=made.view.id)
        return made

    made = await run(request, work)
    if made is None:
        return await _page(request, ctx, status=400, problem=text.API_KEY_CHOOSE_CENTRE, name=name)
    return await _page(request, ctx, status=201, new_key=made)


@staff_page(f"{PAGE}/{{id}}/intrekken", methods=["POST"])
async def revoke(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    key_id = parse_id(request.path_params["id"])
    if key_id is None:
        return not_found(request, ctx)

    def work(session) -> bool:
        revoked = keys.revoke(session, ctx.centre_ids, key_id)
        if revoked is None:
            return False
        audit.record(session, audit.API_KEY_REVOKED, staff_id=ctx.staff_id, centre_id=revoked.centre_id,
                     object_type="api_key", object_id=revoked.id)
        return True

    if not await run(request, work):
        return not_found(request, ctx)
    return RedirectResponse(f"{PAGE}?gedaan=ingetrokken", status_code=303, headers=HEADERS)
