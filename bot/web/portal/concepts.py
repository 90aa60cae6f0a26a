"""Concepten: the centre checks the needs posted in the chat, oldest first.

Another centre's concept answers exactly like one that does not exist
(404), so an id tells nobody what other centres have waiting. The
initiative's notice is queued in the outbox with the decision, as the
command line does: a mail server that is down never undoes a moderator's
work, and the Post page shows the mail until it is sent.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import (
    HEADERS,
    PREFIX,
    Form,
    StaffContext,
    not_found,
    parse_id,
    render_page,
    run,
    staff_page,
)
from bot.web.portal.vacancies import page_number
from doemee import audit, audit_log, moderation
from doemee import staff_messages as text
from doemee.categories import CATEGORIES
from doemee.centres import centre_names
from doemee.moderation import ConceptEdit, ModerationError

log = logging.getLogger("doemee.web.portal")
LIST = f"{PREFIX}/concepten"
MAX_REASON = moderation.MAX_REASON_CHARS


@staff_page(LIST)
async def concepts(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    number = page_number(request.query_params.get("pagina", ""))
    found, names = await run(request, lambda session: (moderation.concepts_page(session, ctx.centre_ids, number),
                                                        centre_names(session, ctx.centre_ids)))
    done = text.DONE.get(request.query_params.get("gedaan", ""))
    return render_page(request, ctx, "portal/concepts.html", active="concepten", concepts=found.items, found=found,
                       done=done, centre_names=names, show_centre=len(ctx.centre_ids) > 1,
                       link=lambda pagina: f"{LIST}?pagina={pagina}")


@staff_page(f"{LIST}/{{id}}")
async def concept(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return await _show(request, ctx)


@staff_page(f"{LIST}/{{id}}/bewerken", methods=["POST"])
async def edit(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    opportunity_id = parse_id(request.path_params["id"])
    if opportunity_id is None:
        return not_found(request, ctx)
    change = ConceptEdit(
        title=" ".join(form.get("title").split()), description=form.get("description").strip(),
        category=form.get("category"), time_commitment=form.get("time_commitment"),
    )

    def work(session):
        problems = moderation.edit_concept(session, opportunity_id, change, ctx.centre_ids)
        if not problems:
            centre_id = moderation.get_concept(session, opportunity_id, ctx.centre_ids).centre_id
            _audit(session, ctx, audit.CONCEPT_EDITED, opportunity_id, centre_id)
        return problems

    try:
        problems = await run(request, work)
    except ModerationError as error:
        return _refused(request, ctx, error)
    if problems:
        return await _show(request, ctx, edit_problems=problems, edit=change, status=400)
    return RedirectResponse(f"{LIST}/{opportunity_id}?gedaan=opgeslagen", status_code=303, headers=HEADERS)


@staff_page(f"{LIST}/{{id}}/goedkeuren", methods=["POST"])
async def approve(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    opportunity_id = parse_id(request.path_params["id"])
    if opportunity_id is None:
        return not_found(request, ctx)
    ticked = set(form.getall("criterium"))
    if not all(key in ticked for key, _ in text.CRITERIA):
        return await _refused_unless_visible(request, ctx, opportunity_id) or await _show(
            request, ctx, approve_problem=text.CRITERIA_MISSING, ticked=ticked, status=400)

    def work(session):
        decision = moderation.approve(session, opportunity_id, centre_ids=ctx.centre_ids)
        _audit(session, ctx, audit.CONCEPT_APPROVED, opportunity_id, decision.centre_id)
        moderation.notify_decision(session, decision, request.app.state.gateway.config.mail)
        return decision

    return await _decide(request, ctx, work, "goedgekeurd")


@staff_page(f"{LIST}/{{id}}/afwijzen", methods=["POST"])
async def reject(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    opportunity_id = parse_id(request.path_params["id"])
    if opportunity_id is None:
        return not_found(request, ctx)
    reason = " ".join(form.get("reason").split())

    if not reason or len(reason) > MAX_REASON:
        problem = text.REASON_MISSING if not reason else text.reason_too_long(MAX_REASON)
        return await _refused_unless_visible(request, ctx, opportunity_id) or await _show(
            request, ctx, reject_problem=problem, reason=reason[:MAX_REASON], status=400)

    def work(session):
        decision = moderation.reject(session, opportunity_id, reason, centre_ids=ctx.centre_ids)
        _audit(session, ctx, audit.CONCEPT_REJECTED, opportunity_id, decision.centre_id)
        moderation.notify_decision(session, decision, request.app.state.gateway.config.mail)
        return decision

    return await _decide(request, ctx, work, "afgewezen")


async def _refused_unless_visible(request: Request, ctx: StaffContext, opportunity_id: int) -> Response | None:
    """A form error is shown only on a concept the member may see; any other id answers as missing."""
    try:
        await run(request, lambda session: moderation.get_concept(session, opportunity_id, ctx.centre_ids))
    except ModerationError as error:
        return _refused(request, ctx, error)
    return None


async def _decide(request: Request, ctx: StaffContext, work, done: str) -> Response:
    try:
        await run(request, work)
    except ModerationError as error:
        return _refused(request, ctx, error)
    return RedirectResponse(f"{LIST}?{urlencode({'gedaan': done})}", status_code=303, headers=HEADERS)


async def _show(request: Request, ctx: StaffContext, status: int = 200, **values) -> Response:
    opportunity_id = parse_id(request.path_params["id"])
    if opportunity_id is None:
        return not_found(request, ctx)
    try:
        found, history = await run(request, lambda session: (
            moderation.get_concept(session, opportunity_id, ctx.centre_ids),
            audit_log.history(session, ctx.audit_reader, "opportunity", opportunity_id),
        ))
    except ModerationError as error:
        return _refused(request, ctx, error)
    values.setdefault("history", history)
    values.setdefault("edit", None)
    values.setdefault("edit_problems", [])
    values.setdefault("approve_problem", None)
    values.setdefault("reject_problem", None)
    values.setdefault("reason", "")
    values.setdefault("ticked", set())
    return render_page(
        request, ctx, "portal/concept.html", status, active="concepten", concept=found,
        categories=CATEGORIES, times=text.TIME_LABELS, done=text.DONE.get(request.query_params.get("gedaan", "")),
        **values,
    )


def _refused(request: Request, ctx: StaffContext, error: ModerationError) -> Response:
    if error.unknown:
        return not_found(request, ctx)
    return render_page(request, ctx, "portal/message.html", 409, message=text.NOT_A_CONCEPT,
                       title=text.NOT_A_CONCEPT_TITLE, active="concepten")


def _audit(session, ctx: StaffContext, action: str, opportunity_id: int, centre_id: int | None) -> None:
    audit.record(session, action, staff_id=ctx.staff_id, centre_id=centre_id,
                 object_type="opportunity", object_id=opportunity_id)
