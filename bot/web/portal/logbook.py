"""Logboek: who did what for the centre, and when, read back from the audit trail.

A member reads their own centre's rows, an administrator every row (also
failed logins of unknown addresses, which belong to no centre). The filters
narrow within that; none of them widens it, so a forged `centrum` or `wie`
finds nothing rather than another centre's rows. The download takes the same
filters and is itself audited.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from functools import partial
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from bot.web.portal.auth import HEADERS, PREFIX, Form, StaffContext, parse_id, render_page, run, staff_page
from bot.web.portal.vacancies import centre_choices, page_number
from doemee import audit, audit_log
from doemee import staff_messages as text
from doemee.audit_log import Entry, LogFilter, Subject
from doemee.exchange.csv_format import escape_cell
from doemee.local_time import local

PAGE = f"{PREFIX}/logboek"
DOWNLOAD = f"{PAGE}.csv"
EXPORTED = "audit.exported"
EXPORT_LIMIT = 100_000
FIRST_YEAR, LAST_YEAR = 2000, 2999
# An id no row has: a filter that names nothing valid.
NOTHING = 0
CSV_COLUMNS = ("tijd", "centrum", "wie", "wat", "code", "onderwerp", "onderwerp_id")


class Chosen:
    """The filters as typed in the address, checked; `problem` says in Dutch why a date was left out."""

    def __init__(self, request: Request) -> None:
        query = request.query_params
        self.topic = query.get("wat", "") if query.get("wat", "") in audit_log.TOPICS else ""
        self.staff = query.get("wie", "")[:12]
        self.centre = query.get("centrum", "")[:12]
        self.since_text = query.get("van", "")[:20].strip()
        self.until_text = query.get("tot", "")[:20].strip()
        self.problem: str | None = None
        since, until = _day(self.since_text), _day(self.until_text)
        if (self.since_text and since is None) or (self.until_text and until is None):
            self.problem, since, until = text.AUDIT_BAD_DATE, None, None
        elif since and until and since > until:
            self.problem, since, until = text.AUDIT_DATES_SWAPPED, None, None
        # Shown again as the date field writes it, whichever way it was typed.
        self.since_text = since.isoformat() if since else self.since_text
        self.until_text = until.isoformat() if until else self.until_text
        self.filter = LogFilter(topic=self.topic or None, staff_id=_narrowing(self.staff),
                                centre_id=_narrowing(self.centre), since=since, until=until)
        self.page = page_number(query.get("pagina", ""))

    def values(self) -> dict[str, str]:
        return {key: value for key, value in (("wat", self.topic), ("wie", self.staff), ("centrum", self.centre),
                                               ("van", self.since_text), ("tot", self.until_text)) if value}


def _narrowing(typed: str) -> int | None:
    """No filter when empty; an id that is no id (or not the reader's) finds nothing, never more."""
    if not typed:
        return None
    found = parse_id(typed)
    return found if found is not None else NOTHING


def _day(typed: str) -> date | None:
    """yyyy-mm-dd (what a date field sends) or d-m-yyyy (what a person types)."""
    for layout in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            found = datetime.strptime(typed, layout).date()
        except ValueError:
            continue
        # The year 1 or 9999 has no Dutch midnight in UTC; no log row is that old or that new.
        return found if FIRST_YEAR <= found.year <= LAST_YEAR else None
    return None


def subject_link(subject: Subject | None) -> str | None:
    """Where the portal shows the object now, if the reader may still see it."""
    if subject is None:
        return None
    if subject.kind == "opportunity" and subject.status:
        return f"{PREFIX}/{'concepten' if subject.status == 'concept' else 'vacatures'}/{subject.id}"
    if subject.kind == "sign_up" and subject.listing_id:
        return f"{PREFIX}/vacatures/{subject.listing_id}"
    if subject.kind == "handoff_request" and subject.status:
        return f"{PREFIX}/hulpvragen"
    if subject.kind == "outbox_mail" and subject.status:
        return f"{PREFIX}/post/{subject.id}"
    if subject.kind == "staff_member" and subject.label:
        return f"{PREFIX}/team"
    if subject.kind == "api_key" and subject.label:
        return f"{PREFIX}/api"
    return None


def who(entry: Entry) -> str:
    if entry.staff_email:
        return entry.staff_email
    if entry.by_initiative:
        return f"{text.AUDIT_BY_INITIATIVE}: {entry.initiative_name}" if entry.initiative_name else text.AUDIT_BY_INITIATIVE
    return text.AUDIT_NOBODY if entry.action.startswith("staff.login") else text.AUDIT_SERVER


@staff_page(PAGE)
async def logbook(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    chosen = Chosen(request)
    reader = ctx.audit_reader

    def read(session):
        return (audit_log.find(session, reader, chosen.filter, chosen.page), audit_log.members(session, reader),
                centre_choices(session, ctx))

    found, members, centres = await run(request, read)
    kept = chosen.values()

    def link(**change: object) -> str:
        values = {**kept, **{key: str(value) for key, value in change.items() if value}}
        return f"{PAGE}?{urlencode(values)}" if values else PAGE

    return render_page(
        request, ctx, "portal/logbook.html", active="logboek", found=found, members=members, centres=centres,
        chosen=chosen, topics=text.AUDIT_TOPICS, link=link, subject_link=subject_link, who=who,
        show_centre=len(ctx.centre_ids) > 1, download=f"{DOWNLOAD}?{urlencode(kept)}" if kept else DOWNLOAD,
    )


@staff_page(DOWNLOAD)
async def download(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    chosen = Chosen(request)
    if chosen.problem:
        return await logbook(request, ctx, form)
    reader = ctx.audit_reader

    def note(session) -> None:
        audit.record(session, EXPORTED, staff_id=ctx.staff_id, centre_id=None if ctx.is_admin else min(ctx.centre_ids))

    await run(request, note)

    async def body():
        yield ("\ufeff" + _csv_text([CSV_COLUMNS])).encode("utf-8")
        sent, last = 0, None
        while sent < EXPORT_LIMIT:
            batch = await run(request, partial(audit_log.export_batch, reader=reader, chosen=chosen.filter, after=last,
                                               size=min(audit_log.EXPORT_BATCH, EXPORT_LIMIT - sent)))
            if not batch:
                return
            yield _csv_text(_row(entry) for entry in batch).encode("utf-8")
            sent, last = sent + len(batch), batch[-1]

    name = f"doemee-logboek-{date.today().isoformat()}.csv"
    return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                             headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})


def _row(entry: Entry) -> list[str]:
    subject = entry.subject
    return [
        local(entry.at).isoformat(timespec="seconds"), entry.centre_name or "", escape_cell(who(entry)),
        text.audit_action(entry.action), entry.action,
        text.AUDIT_SUBJECTS.get(subject.kind, subject.kind) if subject else "", str(subject.id) if subject else "",
    ]


def _csv_text(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
