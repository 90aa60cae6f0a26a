"""Vacatures: a centre's own listings, found, written and switched on and off in the portal.

`doemee.vacancies` does the work and the scoping: a listing of another
centre raises the same VacancyNotFound as a missing one, which becomes
the same 404 here, so ids tell nobody what other centres have. Every
change is written to the audit trail in the same unit of work as the
change itself: a change without its row (or a row without its change)
cannot happen.
"""

from __future__ import annotations

import asyncio
from functools import partial
from urllib.parse import urlencode

from sqlalchemy import select
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
from doemee import audit, audit_log, messages
from doemee import staff_messages as text
from doemee import vacancies as domain
from doemee.audit_log import Entry
from doemee.categories import CATEGORIES
from doemee.centres import centre_names
from doemee.geo.index import get_geo_index
from doemee.opportunities import LIMITS
from doemee.storage.models import DAY_PARTS, Centre, Status
from doemee.vacancies import Vacancy, VacancyError, VacancyForm, VacancyNotFound

LIST = f"{PREFIX}/vacatures"
CREATED = "vacancy.created"
EDITED = "vacancy.edited"
PAUSED = "vacancy.paused"
RESUMED = "vacancy.resumed"
FILLED = "vacancy.filled"
CLOSED = "vacancy.closed"
RENEWED = "vacancy.renewed"
# The buttons on a listing: path word, domain function, audit action, word for the notice.
SWITCHES = {
    "pauzeren": (domain.pause, PAUSED, "gepauzeerd"),
    "hervatten": (domain.resume, RESUMED, "hervat"),
    "vol": (domain.mark_filled, FILLED, "vol"),
    "sluiten": (domain.close, CLOSED, "gesloten"),
}
STATUSES = tuple(s.value for s in Status)


async def geography():
    """The geography index, loaded once per process off the event loop (the first load reads files)."""
    return await asyncio.to_thread(get_geo_index)


def centre_choices(session, ctx: StaffContext) -> list[tuple[int, str]]:
    """(id, name) of the centres the member may write for, in the order of centres.yml."""
    rows = session.execute(
        select(Centre.id, Centre.name).where(Centre.id.in_(sorted(ctx.centre_ids))).order_by(Centre.position, Centre.id)
    )
    return [(centre_id, name) for centre_id, name in rows]


# --- the list ------------------------------------------------------------------------


@staff_page(LIST)
async def listing(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    query = request.query_params
    chosen = {
        "zoek": query.get("zoek", "")[:200],
        "status": query.get("status", "") if query.get("status", "") in STATUSES else "",
        "categorie": query.get("categorie", "")[:40],
        "plaats": query.get("plaats", "")[:120],
    }

    def work(session):
        counts = domain.status_counts(session, ctx.centre_ids)
        found = domain.find(
            session, ctx.centre_ids, text=query.get("zoek", ""), status=chosen["status"] or None,
            category=chosen["categorie"] or None, place=chosen["plaats"] or None, page=page_number(query.get("pagina", "")),
            counts=counts,
        )
        return found, counts, domain.places(session, ctx.centre_ids), centre_names(session, ctx.centre_ids)

    found, counts, places, names = await run(request, work)
    kept = {key: value for key, value in chosen.items() if value}

    def link(**change: object) -> str:
        values = {**kept, **{key: str(value) for key, value in change.items() if value not in (None, "")}}
        for key, value in change.items():
            if value in (None, ""):
                values.pop(key, None)
        return f"{LIST}?{urlencode(values)}" if values else LIST

    return render_page(
        request, ctx, "portal/vacancies.html", active="vacatures", found=found, counts=counts, places=places,
        chosen=chosen, categories=CATEGORIES, link=link, labels=messages.VACANCY_STATUS_LABELS,
        done=text.VACANCY_DONE.get(query.get("gedaan", "")), centre_names=names, show_centre=len(ctx.centre_ids) > 1,
    )


def page_number(value: str) -> int:
    """A page asked for in the address; a number past the end (however long) is the last page."""
    digits = value.strip().lstrip("0")
    if not digits.isascii() or not digits.isdigit():
        return 1
    return int(digits) if len(digits) <= 9 else 10**9


# --- writing -------------------------------------------------------------------------


def typed(form: Form) -> VacancyForm:
    return VacancyForm(
        title=form.get("title"), initiative_name=form.get("initiative_name"), description=form.get("description"),
        category=form.get("category"), postcode=form.get("postcode"), time_commitment=form.get("time_commitment"),
        contact_email=form.get("contact_email"), initiative_website=form.get("initiative_website"),
        place=form.get("place"), day_parts=form.getall("day_parts"), remote=form.get("remote") or "nee",
        valid_until=form.get("valid_until"),
    )


def form_values_shown(values: VacancyForm) -> dict[str, object]:
    """The form's values as the inputs show them (a date as yyyy-mm-dd, day parts as a set)."""
    until = values.valid_until
    remote = values.remote if isinstance(values.remote, bool) else str(values.remote).strip().lower() in {"ja", "1", "on"}
    parts = values.day_parts.split(";") if isinstance(values.day_parts, str) else list(values.day_parts)
    return {
        "title": values.title, "initiative_name": values.initiative_name, "description": values.description,
        "category": values.category, "postcode": values.postcode, "time_commitment": values.time_commitment,
        "contact_email": values.contact_email, "initiative_website": values.initiative_website,
        "place": values.place, "day_parts": set(parts), "remote": remote,
        "valid_until": until.isoformat() if hasattr(until, "isoformat") else (until or ""),
    }


async def _form_page(request: Request, ctx: StaffContext, *, vacancy=None, values: VacancyForm | None = None,
                     problems=(), centre: str = "", status: int = 200) -> Response:
    choices = await run(request, lambda session: centre_choices(session, ctx))
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        by_field.setdefault(problem.field if problem.field in text.FIELD_LABELS else "", []).append(problem.reason)
    shown = form_values_shown(values or (vacancy.form() if vacancy else VacancyForm()))
    return render_page(
        request, ctx, "portal/vacancy_form.html", status, active="vacatures", vacancy=vacancy, shown=shown,
        problems=by_field, centres=choices, centre=centre, categories=CATEGORIES, times=text.TIME_LABELS,
        day_parts=DAY_PARTS, limits=LIMITS,
    )


@staff_page(f"{LIST}/nieuw", methods=["GET", "POST"])
async def create(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    if form is None:
        return await _form_page(request, ctx)
    values = typed(form)
    centre_text = form.get("centre")
    centre_id = parse_id(centre_text) if centre_text else None
    if centre_text and centre_id is None:
        centre_id = -1  # a forged choice: the domain answers "choose a centre", like any centre you cannot see
    geo = await geography()

    def work(session):
        saved = domain.create(session, ctx.centre_ids, values, geo, centre_id=centre_id)
        if saved.ok:
            _audit(session, ctx, CREATED, saved.vacancy.id, saved.vacancy.centre_id)
        return saved

    saved = await run(request, work)
    if not saved.ok:
        return await _form_page(request, ctx, values=values, problems=saved.problems, centre=centre_text, status=400)
    return _done(saved.vacancy.id, "aangemaakt")


@staff_page(f"{LIST}/{{id}}")
async def detail(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    vacancy_id = parse_id(request.path_params["id"])
    found = await run(request, partial(_with_history, ctx=ctx, vacancy_id=vacancy_id)) if vacancy_id else None
    if found is None:
        return not_found(request, ctx)
    return render_page(
        request, ctx, "portal/vacancy.html", active="vacatures", vacancy=found[0], history=found[1],
        times=text.TIME_LABELS, done=text.VACANCY_DONE.get(request.query_params.get("gedaan", "")), refused=None,
        until="",
    )


def _with_history(session, ctx: StaffContext, vacancy_id: int) -> tuple[Vacancy, list[Entry]] | None:
    """The listing and what was done to it: "who approved this?" is answered on its own page."""
    found = domain.get(session, ctx.centre_ids, vacancy_id)
    if found is None:
        return None
    return found, audit_log.history(session, ctx.audit_reader, "opportunity", vacancy_id)


@staff_page(f"{LIST}/{{id}}/bewerken", methods=["GET", "POST"])
async def edit(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    vacancy_id = parse_id(request.path_params["id"])
    if vacancy_id is None:
        return not_found(request, ctx)
    if form is None:
        found = await run(request, lambda session: domain.get(session, ctx.centre_ids, vacancy_id))
        return await _form_page(request, ctx, vacancy=found) if found else not_found(request, ctx)
    values = typed(form)
    geo = await geography()

    def work(session):
        saved = domain.edit(session, ctx.centre_ids, vacancy_id, values, geo)
        if saved.ok:
            _audit(session, ctx, EDITED, vacancy_id, saved.vacancy.centre_id)
        return saved, domain.get(session, ctx.centre_ids, vacancy_id)

    try:
        saved, current = await run(request, work)
    except VacancyNotFound:
        return not_found(request, ctx)
    if not saved.ok:
        return await _form_page(request, ctx, vacancy=current, values=values, problems=saved.problems, status=400)
    return _done(vacancy_id, "opgeslagen")


# --- the buttons ---------------------------------------------------------------------


def _switch_page(word: str):
    switch, action, done = SWITCHES[word]

    async def handler(request: Request, ctx: StaffContext, form: Form | None) -> Response:
        vacancy_id = parse_id(request.path_params["id"])
        if vacancy_id is None:
            return not_found(request, ctx)

        def work(session):
            changed = switch(session, ctx.centre_ids, vacancy_id)
            _audit(session, ctx, action, vacancy_id, changed.centre_id)

        return await _change(request, ctx, vacancy_id, work, done)

    handler.__name__ = f"vacancy_{word}"
    staff_page(f"{LIST}/{{id}}/{word}", methods=["POST"])(handler)


for _word in SWITCHES:
    _switch_page(_word)


@staff_page(f"{LIST}/{{id}}/verlengen", methods=["POST"])
async def renew(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    assert form is not None
    vacancy_id = parse_id(request.path_params["id"])
    if vacancy_id is None:
        return not_found(request, ctx)
    until = form.get("until").strip()[:40]

    def work(session):
        changed = domain.renew(session, ctx.centre_ids, vacancy_id, until or None)
        _audit(session, ctx, RENEWED, vacancy_id, changed.centre_id)

    return await _change(request, ctx, vacancy_id, work, "verlengd", until=until)


async def _change(request: Request, ctx: StaffContext, vacancy_id: int, work, done: str, until: str = "") -> Response:
    try:
        await run(request, work)
    except VacancyNotFound:
        return not_found(request, ctx)
    except VacancyError as error:
        found = await run(request, partial(_with_history, ctx=ctx, vacancy_id=vacancy_id))
        if found is None:
            return not_found(request, ctx)
        return render_page(
            request, ctx, "portal/vacancy.html", 409, active="vacatures", vacancy=found[0], history=found[1],
            times=text.TIME_LABELS, done=None, refused=error.message, until=until,
        )
    return _done(vacancy_id, done)


def _done(vacancy_id: int, done: str) -> Response:
    return RedirectResponse(f"{LIST}/{vacancy_id}?gedaan={done}", status_code=303, headers=HEADERS)


def _audit(session, ctx: StaffContext, action: str, vacancy_id: int, centre_id: int | None) -> None:
    audit.record(session, action, staff_id=ctx.staff_id, centre_id=centre_id,
                 object_type="opportunity", object_id=vacancy_id)
