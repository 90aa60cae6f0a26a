"""Vandaag: what needs the centre's attention, with links to where the work is done."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import HEADERS, PREFIX, Form, StaffContext, not_found, parse_id, render_page, run, staff_page
from doemee import audit, followup
from doemee import staff_messages as text
from doemee.attention import attention
from doemee.storage.models import utcnow

TODAY = f"{PREFIX}/vandaag"


@staff_page(f"{PREFIX}/vandaag")
async def today(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    now = utcnow()
    found = await run(request, lambda session: attention(session, ctx.centre_ids, now, every_mail=ctx.is_admin))
    done = text.FOLLOW_UP_DONE if request.query_params.get("gedaan") == "aanmelding" else None
    return render_page(request, ctx, "portal/today.html", active="vandaag", attention=found, done=done)


@staff_page(f"{TODAY}/aanmeldingen/{{id}}/afgehandeld", methods=["POST"])
async def follow_up_handled(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    """A resident said nobody called; the centre took it up. Another centre's sign-up is a 404."""
    sign_up_id = parse_id(request.path_params["id"])
    if sign_up_id is None:
        return not_found(request, ctx)
    now = utcnow()

    def work(session) -> bool:
        centre_id = followup.mark_handled(session, ctx.centre_ids, sign_up_id, now)
        if centre_id is None:
            return False
        audit.record(session, followup.CENTRE_HANDLED, staff_id=ctx.staff_id, centre_id=centre_id,
                     object_type="sign_up", object_id=sign_up_id, at=now)
        return True

    if not await run(request, work):
        return not_found(request, ctx)
    return RedirectResponse(f"{TODAY}?gedaan=aanmelding", status_code=303, headers=HEADERS)
