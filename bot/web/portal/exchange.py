"""CSV: a centre reads in its file of listings and downloads them again, as `doemee import-csv` does.

The upload goes through the very same check and import as the command
line (csv_format.read_bytes, importer.import_items): nothing is written
unless every row is good, and "replace" only ever removes this centre's
earlier imports. A file arrives as multipart/form-data, which the portal's
ordinary form reader refuses on purpose, so this module checks the
session, the origin and the CSRF token itself, in the same order.
"""

from __future__ import annotations

import asyncio
import csv
import hmac
import io
import logging
import re
from datetime import date
from functools import partial

from python_multipart.multipart import parse_options_header
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.web.body import read_capped
from bot.web.portal.auth import (
    HEADERS,
    PREFIX,
    Form,
    StaffContext,
    forbidden,
    message_page,
    not_found,
    parse_id,
    render_page,
    require_staff,
    run,
    same_origin,
    staff_page,
)
from bot.web.portal.vacancies import centre_choices, geography
from doemee import audit
from doemee import staff_messages as text
from doemee.exchange.csv_format import COLUMNS, format_row, read_bytes
from doemee.exchange.exporter import CHUNK, open_ids, rows_by_id
from doemee.exchange.importer import import_items
from doemee.storage.models import Centre

log = logging.getLogger("doemee.web.portal")
PAGE = f"{PREFIX}/csv"
EXPORT = f"{PAGE}/export"
UPLOAD = f"{PAGE}/inlezen"
MAX_UPLOAD_BYTES = text.CSV_TOO_LARGE_MB * 1024 * 1024
# Room for the multipart boundaries and the few small fields beside the file.
_ENVELOPE_BYTES = 64 * 1024
MAX_PROBLEMS_SHOWN = 500
IMPORTED = "csv.imported"
EXPORTED = "csv.exported"
_SLUG = re.compile(r"[^a-z0-9-]")

# Routes this module serves itself instead of through `staff_page`; the portal lists them with its own.
ROUTES: list[Route] = []


@staff_page(PAGE)
async def page(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return await _page(request, ctx)


async def _page(request: Request, ctx: StaffContext, status: int = 200, **values) -> Response:
    centres = await run(request, lambda session: centre_choices(session, ctx))
    values.setdefault("fatal", None)
    values.setdefault("problems", [])
    values.setdefault("more", None)
    values.setdefault("warnings", [])
    values.setdefault("done", None)
    values.setdefault("centre", "")
    values.setdefault("replace", False)
    return render_page(request, ctx, "portal/csv.html", status, active="csv", centres=centres,
                       max_mb=text.CSV_TOO_LARGE_MB, **values)


# --- upload ------------------------------------------------------------------------


async def upload_endpoint(request: Request) -> Response:
    try:
        ctx = await require_staff(request)
        if isinstance(ctx, Response):
            return ctx
        if not same_origin(request):
            return forbidden(request)
        received = await _read_upload(request)
        if isinstance(received, Response):
            return received
        fields, data = received
        if not hmac.compare_digest(fields.get("csrf_token", "").encode(), ctx.csrf_token.encode()):
            return forbidden(request)
        return await _upload(request, ctx, fields, data)
    except SQLAlchemyError as error:
        log.error("portal page unavailable: %s", type(error).__name__)
        return message_page(request, None, text.BUSY, 503)


ROUTES.append(Route(UPLOAD, upload_endpoint, methods=["POST"]))


@staff_page(UPLOAD)
async def upload_by_address(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    return RedirectResponse(PAGE, status_code=303, headers=HEADERS)


async def _read_upload(request: Request) -> tuple[dict[str, str], bytes | None] | Response:
    """The small fields and the file's bytes; a Dutch page for anything too large or not multipart.

    The body is read with a cap before parsing: a declared length can lie
    and a chunked body declares none.
    """
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        return forbidden(request)
    limit = MAX_UPLOAD_BYTES + _ENVELOPE_BYTES
    too_large = message_page(request, None, text.csv_too_large(text.CSV_TOO_LARGE_MB), 413)
    body = await read_capped(request, limit)
    if body is None:
        return too_large

    async def replay():
        yield bytes(body)
        yield b""

    parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=10, max_part_size=4096)
    try:
        parsed = await parser.parse()
    except (MultiPartException, ValueError, KeyError):
        return message_page(request, None, text.CSV_NOT_UPLOADED, 400)
    fields: dict[str, str] = {}
    data: bytes | None = None
    for name, value in parsed.multi_items():
        if isinstance(value, UploadFile):
            if name == "bestand" and data is None:
                data = await value.read()
            await value.close()
        elif name not in fields:
            fields[name] = value
    if data is not None and len(data) > MAX_UPLOAD_BYTES:
        return too_large
    return fields, data


# A centre id the member may not see, or no id at all: answered as a missing page.
_FOREIGN = -1


def _chosen_centre(ctx: StaffContext, chosen: str) -> int | None:
    """The centre a form or link names, the member's only centre when it names none, else None (choose one)."""
    if chosen:
        centre_id = parse_id(chosen)
        return centre_id if centre_id is not None and centre_id in ctx.centre_ids else _FOREIGN
    return next(iter(ctx.centre_ids)) if len(ctx.centre_ids) == 1 else None


async def _upload(request: Request, ctx: StaffContext, fields: dict[str, str], data: bytes | None) -> Response:
    replace = fields.get("replace") == "ja"
    centre_id = _chosen_centre(ctx, fields.get("centre", ""))
    if centre_id == _FOREIGN:
        return not_found(request, ctx)
    if centre_id is None:
        return await _page(request, ctx, 400, fatal=text.CSV_CHOOSE_CENTRE, replace=replace)
    shown = {"centre": str(centre_id), "replace": replace}
    if not data:
        return await _page(request, ctx, 400, fatal=text.CSV_NO_FILE, **shown)

    geo = await geography()
    parsed = await asyncio.to_thread(read_bytes, data, geo)
    if not parsed.ok:
        problems = parsed.problems[:MAX_PROBLEMS_SHOWN]
        more = text.csv_more_problems(len(problems), len(parsed.problems)) if len(parsed.problems) > len(problems) else None
        return await _page(request, ctx, 400, fatal=parsed.error_lines()[0], problems=problems, more=more,
                           warnings=parsed.warnings, **shown)

    def work(session):
        centre = session.get(Centre, centre_id)
        if centre is None:
            return None
        report = import_items(session, geo, parsed.items, replace=replace, centre=centre)
        audit.record(session, IMPORTED, staff_id=ctx.staff_id, centre_id=centre.id, object_type="centre",
                     object_id=centre.id)
        return report, centre.name

    result = await run(request, work)
    if result is None:
        return not_found(request, ctx)
    report, name = result
    done = text.csv_done(report.new, report.updated, report.removed, name)
    return await _page(request, ctx, done=done, warnings=parsed.warnings + report.warnings, **shown)


# --- download ----------------------------------------------------------------------


@staff_page(EXPORT)
async def export(request: Request, ctx: StaffContext, form: Form | None) -> Response:
    """The centre's open listings in the import format, spreadsheet-safe, as the command line writes them.

    Streamed a chunk of rows at a time: a centre with tens of thousands of
    listings gets the first bytes at once and the gateway never holds the
    whole file. The file holds the listings open when the download began,
    each as it is when its chunk is read. A database error halfway breaks
    the download off, so no browser keeps half a file as if it were whole.
    """
    centre_id = _chosen_centre(ctx, request.query_params.get("centrum", ""))
    if centre_id == _FOREIGN:
        return not_found(request, ctx)
    if centre_id is None:
        return RedirectResponse(PAGE, status_code=303, headers=HEADERS)

    def work(session):
        centre = session.get(Centre, centre_id)
        if centre is None:
            return None
        audit.record(session, EXPORTED, staff_id=ctx.staff_id, centre_id=centre.id, object_type="centre",
                     object_id=centre.id)
        return centre.slug

    slug = await run(request, work)
    if slug is None:
        return not_found(request, ctx)

    async def body():
        # The header first: the browser shows the download at once, before the listings are read.
        yield ("\ufeff" + _csv_text([COLUMNS])).encode("utf-8")
        try:
            ids = await run(request, partial(_open_ids_of, centre_id=centre_id))
            for start in range(0, len(ids), CHUNK):
                rows = await run(request, partial(rows_by_id, ids=ids[start:start + CHUNK]))
                yield _csv_text(format_row(row) for row in rows).encode("utf-8")
        except SQLAlchemyError as error:
            log.error("csv export broken off: %s", type(error).__name__)
            raise

    name = f"doemee-vacatures-{_SLUG.sub('', slug.lower()) or 'centrum'}-{date.today().isoformat()}.csv"
    return StreamingResponse(
        body(), media_type="text/csv; charset=utf-8",
        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
    )


def _open_ids_of(session, centre_id: int) -> list[int]:
    """Nothing for a centre removed meanwhile: never every centre's listings."""
    centre = session.get(Centre, centre_id)
    return [] if centre is None else open_ids(session, centre=centre)


def _csv_text(lines) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue()
