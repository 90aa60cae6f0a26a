"""Hulpvragen: questions residents left in the chat for a person of their centre, oldest first.

Another centre's request answers exactly like one that does not exist
(404), as concepts do. Marking one handled is audited without its text:
the audit trail outlives the question, which goes after 90 days.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import HEADERS, PREFIX, Form, StaffContext, not_found, parse_id, render_page, run, staff_page
from doemee import audit, handoff
from doemee import staff_messages as text
from doemee.storage.models import utcnow

LIST = f"{PREFIX}/hulpvragen"


@staff_page(LIST)
async def questions(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    def read(session):
        return handoff.open_requests(session, ctx.centre_ids), handoff.handled_requests(session, ctx.centre_ids)

    waiting, handled = await run(request, read)
    now = utcnow()
    done = text.QUESTION_DONE if request.query_params.get("gedaan") == "afgehandeld" else None
    return render_page(
        request, ctx, "portal/questions.html", active="hulpvragen", waiting=waiting, handled=handled, done=done,
        age=lambda moment: text.age_nl((now - moment).days), show_centre=len(ctx.centre_ids) > 1,
    )


@staff_page(f"{LIST}/{{id}}/afgehandeld", methods=["POST"])
async def mark_handled(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    request_id = parse_id(request.path_params["id"])
    if request_id is None:
        return not_found(request, ctx)

    def work(session) -> bool:
        found = handoff.mark_handled(session, ctx.centre_ids, request_id, ctx.staff_id)
        if found is None:
            return False
        audit.record(session, audit.QUESTION_HANDLED, staff_id=ctx.staff_id, centre_id=found.centre_id,
                     object_type="handoff_request", object_id=found.id)
        return True

    if not await run(request, work):
        return not_found(request, ctx)
    return RedirectResponse(f"{LIST}?gedaan=afgehandeld", status_code=303, headers=HEADERS)
