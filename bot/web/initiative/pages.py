"""The initiative pages: ask for a link, see listings and sign-ups, change them, add a listing.

The domain (doemee.initiative_manage) scopes everything to the link's
initiative; anything else answers as missing (404). The listing form is the
portal's, with the same field names and checks; only the initiative's name
is fixed. After a change the page redirects back to the overview (POST,
redirect, GET), so reloading never repeats a change.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.web.initiative.guard import (
    HEADERS,
    MANAGE,
    PREFIX,
    Form,
    manage_page,
    message_page,
    now,
    public_page,
    refused,
    render_page,
    run,
    settings,
)
from bot.web.portal.auth import client_address, parse_id
from bot.web.portal.vacancies import form_values_shown, geography, typed
from bot.web.ratelimit import SharedRateLimiter
from doemee import initiative_manage as manage
from doemee import initiative_messages as text
from doemee.categories import CATEGORIES
from doemee.initiative_links import Access, request_manage_link, revoke
from doemee.initiative_manage import ManageError, NotFound
from doemee.opportunities import LIMITS
from doemee.storage.models import DAY_PARTS
from doemee.vacancies import VacancyForm

# Asking for a link: per client address, and per typed address (whatever it is).
REQUESTS_PER_MINUTE_PER_CLIENT = 10
REQUESTS_PER_MINUTE_PER_EMAIL = 3
MAX_EMAIL_INPUT = 1000


def _limiters(request: Request) -> tuple[SharedRateLimiter, SharedRateLimiter]:
    state = request.app.state
    if not hasattr(state, "initiative_limiters"):
        shared = state.gateway.shared
        state.initiative_limiters = (
            SharedRateLimiter(REQUESTS_PER_MINUTE_PER_CLIENT, "initiative-client", shared),
            SharedRateLimiter(REQUESTS_PER_MINUTE_PER_EMAIL, "initiative-email", shared),
        )
    return state.initiative_limiters


# --- asking for a link --------------------------------------------------------------


@public_page(PREFIX, methods=["GET", "POST"])
async def ask(request: Request, form: Form | None) -> Response:
    if form is None:
        return render_page(request, "initiative/request.html", done=False, error=None, email="")
    email = form.get("email")[:MAX_EMAIL_INPUT]
    if not email.strip():
        return render_page(request, "initiative/request.html", 400, done=False, error=text.REQUEST_EMPTY, email="")
    per_client, per_email = _limiters(request)
    key = hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
    if not await per_client.allow(client_address(request)) or not await per_email.allow(key):
        return render_page(request, "initiative/request.html", 429, done=False, error=text.REQUEST_TOO_OFTEN,
                           email=email[:254])
    moment, mail = now(request), settings(request)
    await run(request, lambda session: request_manage_link(session, email, moment, mail))
    return render_page(request, "initiative/request.html", done=True, error=None, email="")


# --- the overview -------------------------------------------------------------------


@manage_page("")
async def overview(request: Request, initiative_id: int, form: Form | None) -> Response:
    return await _overview(request, initiative_id, done=text.DONE.get(request.query_params.get("gedaan", "")))


async def _overview(request: Request, initiative_id: int, status: int = 200, done: str | None = None,
                    problem: str | None = None, problem_at: int | None = None) -> Response:
    today = now(request).date()
    found = await run(request, lambda session: manage.overview(session, initiative_id, today))
    if found is None:
        return refused(request, Access.INVALID)
    return render_page(request, "initiative/manage.html", status, overview=found, base=_base(request),
                       done=done, problem=problem, problem_at=problem_at, times=text.TIME_LABELS)


# --- sign-ups -----------------------------------------------------------------------


@manage_page("/aanmelding/{id}/{word}", methods=["POST"])
async def sign_up(request: Request, initiative_id: int, form: Form | None) -> Response:
    sign_up_id, word = parse_id(request.path_params["id"]), request.path_params["word"]
    moment = now(request)
    try:
        await run(request, lambda session: manage.mark_sign_up(session, initiative_id, sign_up_id, word, moment))
    except NotFound:
        return _not_yours(request)
    except ManageError as error:
        return await _overview(request, initiative_id, 409, problem=error.message)
    return _back(request, word, f"aanmelding-{sign_up_id}")


# --- listings -----------------------------------------------------------------------


@manage_page("/vacature/{id}/bewerken", methods=["GET", "POST"])
async def edit(request: Request, initiative_id: int, form: Form | None) -> Response:
    listing_id = parse_id(request.path_params["id"])
    today = now(request).date()
    try:
        current = await run(request, lambda session: manage.listing(session, initiative_id, listing_id, today))
    except NotFound:
        return _not_yours(request)
    if form is None:
        return _form_page(request, current.form(), vacancy=current)
    values = typed(form)
    geo, moment, mail = await geography(), now(request), settings(request)
    try:
        saved = await run(request, lambda session: manage.edit(
            session, initiative_id, listing_id, values, geo, mail, today, moment))
    except NotFound:
        return _not_yours(request)
    if not saved.ok or saved.vacancy is None:
        return _form_page(request, values, vacancy=current, problems=saved.problems, status=400)
    word = "opgeslagen-concept" if saved.vacancy.status == "concept" else "opgeslagen"
    return _back(request, word, f"vacature-{listing_id}")


@manage_page("/vacature/{id}/{word}", methods=["POST"])
async def switch(request: Request, initiative_id: int, form: Form | None) -> Response:
    assert form is not None
    listing_id, word = parse_id(request.path_params["id"]), request.path_params["word"]
    today, moment = now(request).date(), now(request)
    if word == "verlengen":
        until = form.get("until").strip()[:40]

        def work(session):
            return manage.renew(session, initiative_id, listing_id, until or None, today, moment)

        done = "verlengd"
    elif word in manage.SWITCHES:

        def work(session):
            return manage.switch(session, initiative_id, listing_id, word, today, moment)

        done = {"pauzeren": "gepauzeerd", "hervatten": "hervat", "gevuld": "gevuld", "sluiten": "gesloten"}[word]
    else:
        return _not_yours(request)
    try:
        await run(request, work)
    except NotFound:
        return _not_yours(request)
    except ManageError as error:
        return await _overview(request, initiative_id, 409, problem=error.message, problem_at=listing_id)
    return _back(request, done, f"vacature-{listing_id}")


@manage_page("/nieuw", methods=["GET", "POST"])
async def create(request: Request, initiative_id: int, form: Form | None) -> Response:
    if form is None:
        try:
            blank = await run(request, lambda session: manage.blank_form(session, initiative_id))
        except NotFound:
            return refused(request, Access.INVALID)
        return _form_page(request, blank)
    values = typed(form)
    geo, moment, mail = await geography(), now(request), settings(request)
    try:
        saved = await run(request, lambda session: manage.create(
            session, initiative_id, values, geo, mail, moment.date(), moment))
    except NotFound:
        return refused(request, Access.INVALID)
    if not saved.ok or saved.vacancy is None:
        return _form_page(request, values, problems=saved.problems, status=400)
    return _back(request, "nieuw", f"vacature-{saved.vacancy.id}")


@manage_page("/links-intrekken", methods=["POST"])
async def revoke_links(request: Request, initiative_id: int, form: Form | None) -> Response:
    moment, mail = now(request), settings(request)
    await run(request, lambda session: revoke(session, initiative_id, moment, mail))
    return message_page(request, text.REVOKED, title=text.REVOKED_TITLE, back=PREFIX)


# --- helpers ------------------------------------------------------------------------


def _base(request: Request) -> str:
    return f"{MANAGE}/{request.path_params['token']}"


def _back(request: Request, done: str, anchor: str) -> Response:
    return RedirectResponse(f"{_base(request)}?{urlencode({'gedaan': done})}#{anchor}", status_code=303,
                            headers=HEADERS)


def _not_yours(request: Request) -> Response:
    return message_page(request, text.NOT_YOURS, 404, title=text.NOT_YOURS_TITLE, back=_base(request))


def _form_page(request: Request, values: VacancyForm, *, vacancy=None, problems=(), status: int = 200) -> Response:
    by_field: dict[str, list[str]] = {}
    for found in problems:
        by_field.setdefault(found.field if found.field in text.FIELD_LABELS else "", []).append(found.reason)
    return render_page(
        request, "initiative/listing_form.html", status, vacancy=vacancy, shown=form_values_shown(values), problems=by_field,
        categories=CATEGORIES, times=text.TIME_LABELS, day_parts=DAY_PARTS, limits=LIMITS, base=_base(request),
    )
