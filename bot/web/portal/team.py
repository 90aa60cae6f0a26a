"""Team: the centre's members, and for admins inviting, switching off and switching on again.

Everyone sees the team of their own centres; only an admin changes it.
An invitation is `doemee.staff.invite`, as `bin/doemee staff add`: the
mail is queued in the outbox with the new member, so the link itself is
never shown in the browser. A member who is not an admin and posts a form
anyway gets a Dutch 403. Another centre's
member answers exactly like one that does not exist (404), checked before
the role, so an id tells a member of one centre nothing about another.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.portal.auth import (
    HEADERS,
    PREFIX,
    Form,
    StaffContext,
    message_page,
    not_found,
    parse_id,
    render_page,
    run,
    staff_page,
)
from doemee import staff, team
from doemee import staff_messages as text
from doemee.staff import Invitation, StaffError

PAGE = f"{PREFIX}/team"


@staff_page(PAGE)
async def team_page(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return await _page(request, ctx, done=text.TEAM_DONE.get(request.query_params.get("gedaan", "")))


@staff_page(f"{PAGE}/uitnodigen", methods=["POST"])
async def invite(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    if not ctx.is_admin:
        return _admins_only(request, ctx)
    email, slug, admin = form.get("email"), form.get("centre"), form.get("role") == "admin"
    settings = request.app.state.gateway.config.mail

    def work(session) -> Invitation | str:
        if slug not in {choice for choice, _ in team.centres(session, ctx.centre_ids)}:
            return text.TEAM_CHOOSE_CENTRE
        try:
            return staff.invite(session, email, slug, admin, settings, by_staff_id=ctx.staff_id)
        except StaffError as error:
            return text.TEAM_CHOOSE_CENTRE if error.kind == "centre" else error.message

    outcome = await run(request, work)
    if isinstance(outcome, str):
        return await _page(request, ctx, 400, problem=outcome, typed={"email": email[:254], "centre": slug,
                                                                        "role": "admin" if admin else "staff"})
    return await _page(request, ctx, invited=outcome)


@staff_page(f"{PAGE}/{{id}}/uitzetten", methods=["POST"])
async def deactivate(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return await _switch(request, ctx, active=False)


@staff_page(f"{PAGE}/{{id}}/aanzetten", methods=["POST"])
async def reactivate(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return await _switch(request, ctx, active=True)


async def _switch(request: Request, ctx: StaffContext, active: bool) -> Response:
    member_id = parse_id(request.path_params["id"])
    if member_id is None:
        return not_found(request, ctx)

    def work(session) -> str:
        if not ctx.is_admin:
            return "visible" if any(m.id == member_id for m in team.members(session, ctx.centre_ids)) else "unknown"
        try:
            found = team.set_active(session, ctx.centre_ids, member_id, active, ctx.staff_id)
        except StaffError:
            return "self"
        return "done" if found is not None else "unknown"

    outcome = await run(request, work)
    if outcome == "unknown":
        return not_found(request, ctx)
    if outcome == "visible":
        return _admins_only(request, ctx)
    if outcome == "self":
        return message_page(request, ctx, text.TEAM_NOT_YOURSELF, 400, title=text.VACANCY_REFUSED_TITLE)
    done = "aangezet" if active else "uitgezet"
    return RedirectResponse(f"{PAGE}?gedaan={done}", status_code=303, headers=HEADERS)


def _admins_only(request: Request, ctx: StaffContext) -> Response:
    return message_page(request, ctx, text.TEAM_ADMINS_ONLY, 403, title=text.FORBIDDEN_TITLE)


async def _page(request: Request, ctx: StaffContext, status: int = 200, **values: object) -> Response:
    def read(session):
        return team.members(session, ctx.centre_ids), team.centres(session, ctx.centre_ids)

    found, centres = await run(request, read)
    for name in ("invited", "problem", "done"):
        values.setdefault(name, None)
    values.setdefault("typed", {"email": "", "centre": "", "role": "staff"})
    return render_page(request, ctx, "portal/team.html", status, active="team", members=found, centres=centres,
                       show_centre=len(ctx.centre_ids) > 1, **values)
