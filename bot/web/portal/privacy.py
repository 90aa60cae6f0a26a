"""Privacy: forget a resident who asked the centre by mail, found by their email address or phone number.

Two steps, both posted (an address never lands in a URL, a history or a
log): the search shows what would go, as counts only, and a second button
forgets it. The audit trail says who searched and who forgot, by email or
by phone, and never the address or number itself.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response

from bot.web.portal.auth import PREFIX, Form, StaffContext, gateway, render_page, run, staff_page
from doemee import audit, idle_conversations, privacy_requests
from doemee import staff_messages as text
from doemee.privacy_requests import ContactError, Found
from doemee.residents import Contact

PAGE = f"{PREFIX}/privacy"
log = logging.getLogger("doemee.web.portal.privacy")


def _scope(ctx: StaffContext) -> frozenset[int] | None:
    """An admin reaches every resident, also one no centre knows (a Telegram chat outside every region)."""
    return None if ctx.is_admin else ctx.centre_ids


def _audit_centre(ctx: StaffContext) -> int | None:
    return next(iter(ctx.centre_ids)) if len(ctx.centre_ids) == 1 else None


@staff_page(PAGE, methods=["GET", "POST"])
async def privacy(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    if form is None:
        return _page(request, ctx)
    typed = form.get("contact")
    try:
        contact = privacy_requests.read_contact(typed)
    except ContactError as error:
        return _page(request, ctx, 400, error=error.message, typed=typed[:privacy_requests.MAX_INPUT])

    def work(session) -> Found:
        audit.record(session, audit.PRIVACY_SEARCHED[contact.kind], staff_id=ctx.staff_id,
                     centre_id=_audit_centre(ctx))
        return privacy_requests.preview(session, contact, _scope(ctx))

    found = await run(request, work)
    return _page(request, ctx, contact=contact, typed=contact.value, found=found)


@staff_page(f"{PAGE}/vergeten", methods=["POST"])
async def forget(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    typed = form.get("contact")
    try:
        contact = privacy_requests.read_contact(typed)
    except ContactError as error:
        return _page(request, ctx, 400, error=error.message, typed=typed[:privacy_requests.MAX_INPUT])

    def work(session) -> tuple[Found, list[str]]:
        found, residents, senders = privacy_requests.forget_contact(session, contact, _scope(ctx))
        action = audit.PRIVACY_FORGOTTEN[contact.kind]
        for resident in residents or [None]:
            if resident is not None or not found.empty:
                audit.record(session, action, staff_id=ctx.staff_id, centre_id=_audit_centre(ctx),
                             object_type="resident", object_id=resident)
        return found, senders

    found, senders = await run(request, work)
    settings = gateway(request).config.mail
    try:
        # After the commit above: the conversations live in Rasa's own database.
        conversations = await asyncio.to_thread(idle_conversations.forget_senders, settings.tracker_store_url, senders)
    except SQLAlchemyError as error:
        log.warning("conversation not deleted from the tracker store: %s", type(error).__name__)
        return _page(request, ctx, forgotten=found, conversations_kept=True, retention_days=settings.retention_days)
    return _page(request, ctx, forgotten=found, conversations=conversations)


def _page(request: Request, ctx: StaffContext, status: int = 200, *, error: str | None = None, typed: str = "",
          contact: Contact | None = None, found: Found | None = None, forgotten: Found | None = None,
          conversations: int = 0, conversations_kept: bool = False, retention_days: int = 0) -> Response:
    return render_page(
        request, ctx, "portal/privacy.html", status, active="privacy", error=error, typed=typed, contact=contact,
        found=found, forgotten=forgotten, conversations=conversations, conversations_kept=conversations_kept,
        retention_days=retention_days,
        counts=lambda result: text.privacy_counts(result.residents, result.sign_ups, result.subscriptions,
                                                  result.questions),
    )
