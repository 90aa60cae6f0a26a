"""Vandaag: what needs the centre's attention, with links to where the work is done."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from bot.web.portal.auth import PREFIX, Form, StaffContext, render_page, run, staff_page
from doemee.attention import attention
from doemee.storage.models import utcnow


@staff_page(f"{PREFIX}/vandaag")
async def today(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    now = utcnow()
    found = await run(request, lambda session: attention(session, ctx.centre_ids, now))
    return render_page(request, ctx, "portal/today.html", active="vandaag", attention=found)
