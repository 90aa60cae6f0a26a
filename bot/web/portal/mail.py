"""Post: the mails DoeMee sent (or is still sending) for the centre, newest first.

A member sees their centres' mails; an administrator every mail, also those
of no centre (alerts to residents). Another centre's mail answers exactly
like one that does not exist (404). A failed mail can be sent again; that
is audited without the mail's address or text.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import HEADERS, PREFIX, Form, StaffContext, not_found, parse_id, render_page, run, staff_page
from doemee import audit, outbox
from doemee import staff_messages as text
from doemee.outbox import Scope

LIST = f"{PREFIX}/post"


def _scope(ctx: StaffContext) -> Scope:
    return None if ctx.is_admin else ctx.centre_ids


@staff_page(LIST)
async def mails(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    failed_only = request.query_params.get("mislukt") == "ja"

    def read(session):
        return outbox.mails(session, _scope(ctx), failed_only), outbox.count_failed(session, _scope(ctx))

    found, failed = await run(request, read)
    done = text.MAIL_RESENT if request.query_params.get("gedaan") == "opnieuw" else None
    return render_page(request, ctx, "portal/post.html", active="post", mails=found, failed=failed,
                       failed_only=failed_only, done=done)


@staff_page(f"{LIST}/{{id}}")
async def mail(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    mail_id = parse_id(request.path_params["id"])
    if mail_id is None:
        return not_found(request, ctx)
    found = await run(request, lambda session: outbox.opened(session, _scope(ctx), mail_id))
    if found is None:
        return not_found(request, ctx)
    return render_page(request, ctx, "portal/post_mail.html", active="post", mail=found.summary, body=found.body,
                       problem=None)


@staff_page(f"{LIST}/{{id}}/opnieuw", methods=["POST"])
async def resend(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    mail_id = parse_id(request.path_params["id"])
    if mail_id is None:
        return not_found(request, ctx)

    def work(session) -> str:
        if outbox.opened(session, _scope(ctx), mail_id) is None:
            return "unknown"
        row = outbox.resend(session, _scope(ctx), mail_id)
        if row is None:
            return "not failed"
        audit.record(session, audit.MAIL_RESENT, staff_id=ctx.staff_id, centre_id=row.centre_id,
                     object_type="outbox_mail", object_id=row.id)
        return "done"

    outcome = await run(request, work)
    if outcome == "unknown":
        return not_found(request, ctx)
    if outcome == "not failed":
        found = await run(request, lambda session: outbox.opened(session, _scope(ctx), mail_id))
        if found is None:
            return not_found(request, ctx)
        return render_page(request, ctx, "portal/post_mail.html", 409, active="post", mail=found.summary,
                           body=found.body, problem=text.MAIL_NOT_FAILED)
    return RedirectResponse(f"{LIST}?gedaan=opnieuw", status_code=303, headers=HEADERS)
