"""The `doemee` command line (CONTRACT section 3), run as `bin/doemee ARGS`.

Operators and outside test suites script against it, so it keeps three
promises: exit 0 on success, exit 2 with one Dutch line on bad input, and
no traceback ever (unexpected errors: one Dutch line, exit 1, details only
with DOEMEE_DEBUG=1). Heavy imports (SQLAlchemy, the geography) happen
inside the commands so `--help` stays instant.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from doemee import messages, operations_messages, staff_messages
from doemee.categories import CATEGORIES

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
MAX_QUERY_CHARS = 200
MAX_ID = 2**31 - 1
DEMAND_LIMIT = 20


class CliError(Exception):
    """Bad input: Dutch lines for the operator (usually one) and an exit code."""

    def __init__(self, *lines: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(lines[0] if lines else "")
        self.lines = list(lines)
        self.code = code


def language(env: dict[str, str] | None = None) -> str:
    env = dict(os.environ if env is None else env)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "en" if env[name].lower().startswith("en") else "nl"
    return "nl"


def _speak_dutch_argparse() -> None:
    """Makes argparse's own words ("usage", "options", its errors) Dutch.

    argparse looks its texts up through the module's gettext function at
    call time, so replacing that lookup is the supported seam; it only ever
    runs in the command line's own process.
    """
    table = messages.CLI_ARGPARSE_NL
    argparse._ = lambda text: table.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one Dutch line and exit 2 (no usage dump)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(messages.cli_usage_error(self.prog, message))


def _number(kind: type, low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text.strip().replace(",", ".")) if kind is float else kind(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(messages.cli_bad_number(text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(messages.cli_out_of_range(low, high))
        return value

    parse.__name__ = kind.__name__
    return parse


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(messages.cli_bad_date(text)) from None
    if day > date.today():
        raise argparse.ArgumentTypeError(messages.cli_future_date(text))
    return day


def build_parser(lang: str = "nl") -> argparse.ArgumentParser:
    dutch = lang == "nl"
    text = {
        **messages.CLI_HELP[lang],
        **(staff_messages.CLI_HELP_NL if dutch else staff_messages.CLI_HELP_EN),
        **(operations_messages.CLI_HELP_NL if dutch else operations_messages.CLI_HELP_EN),
    }
    parser = _Parser(prog="doemee", description=text["description"], epilog=text["epilog"], add_help=False)
    parser.add_argument("-h", "--help", action="help", help=text["help"])
    commands = parser.add_subparsers(title=text["commands"], dest="command", metavar="OPDRACHT" if lang == "nl" else "COMMAND")
    commands.required = True

    def command(name: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=text[name], description=text.get(f"{name}.description", text[name]), add_help=False,
        )
        sub.add_argument("-h", "--help", action="help", help=text["help"])
        sub.set_defaults(handler=handler)
        return sub

    sub = command("import-csv", cmd_import_csv)
    sub.add_argument("file", metavar="FILE", help=text["import-csv.file"])
    sub.add_argument("--centre", metavar="SLUG", default=None, help=text["import-csv.centre"])
    sub.add_argument("--replace", action="store_true", help=text["import-csv.replace"])

    sub = command("export-csv", cmd_export_csv)
    sub.add_argument("file", metavar="FILE", help=text["export-csv.file"])
    sub.add_argument("--centre", metavar="SLUG", default=None, help=text["export-csv.centre"])

    sub = command("centres-sync", cmd_centres_sync)
    sub.add_argument("file", metavar="FILE", nargs="?", default=None, help=text["centres-sync.file"])

    sub = command("match", cmd_match)
    sub.add_argument("--postcode", metavar="PC", help=text["match.postcode"])
    sub.add_argument("--place", metavar="NAME", help=text["match.place"])
    sub.add_argument("--interests", metavar="A,B", default="", help=text["match.interests"])
    sub.add_argument("--when", metavar="X,Y", default="", help=text["match.when"])
    sub.add_argument("--radius-km", metavar="N", type=_number(float, 0.1, 300.0), default=None, help=text["match.radius"])
    sub.add_argument("--limit", metavar="N", type=_number(int, 1, 100), default=None, help=text["match.limit"])
    sub.add_argument("--json", action="store_true", help=text["match.json"])

    sub = command("geo", cmd_geo)
    sub.add_argument("query", metavar="QUERY", help=text["geo.query"])
    sub.add_argument("--json", action="store_true", help=text["geo.json"])

    sub = command("concepts", cmd_concepts)
    sub.add_argument("--json", action="store_true", help=text["concepts.json"])

    sub = command("approve", cmd_approve)
    sub.add_argument("id", metavar="ID", type=_number(int, 1, MAX_ID), help=text["approve.id"])

    sub = command("reject", cmd_reject)
    sub.add_argument("id", metavar="ID", type=_number(int, 1, MAX_ID), help=text["reject.id"])
    sub.add_argument("--reason", metavar="TEKST" if lang == "nl" else "TEXT", default=None, help=text["reject.reason"])

    sub = command("demand", cmd_demand)
    sub.add_argument("--since", metavar="JJJJ-MM-DD" if lang == "nl" else "YYYY-MM-DD", type=_day, default=None, help=text["demand.since"])
    sub.add_argument("--municipality", metavar="NAAM|CODE" if lang == "nl" else "NAME|CODE", default=None, help=text["demand.municipality"])
    sub.add_argument("--limit", metavar="N", type=_number(int, 1, 1000), default=DEMAND_LIMIT, help=text["demand.limit"])
    sub.add_argument("--json", action="store_true", help=text["demand.json"])

    sub = command("staff", cmd_staff_add)
    actions = sub.add_subparsers(title=text["staff.actions"], dest="staff_action", metavar="ACTIE" if lang == "nl" else "ACTION")
    actions.required = True
    add = actions.add_parser(
        "add", help=text["staff add"], description=text["staff add.description"], add_help=False,
    )
    add.add_argument("-h", "--help", action="help", help=text["help"])
    add.add_argument("email", metavar="EMAIL", help=text["staff add.email"])
    add.add_argument("--centre", metavar="SLUG", required=True, help=text["staff add.centre"])
    add.add_argument("--admin", action="store_true", help=text["staff add.admin"])
    add.set_defaults(handler=cmd_staff_add)

    command("setup", cmd_setup)
    command("geo-fetch", cmd_geo_fetch)
    command("demo-load", cmd_demo_load)
    command("demo-remove", cmd_demo_remove)
    command("migrate", cmd_migrate)

    sub = command("backup", cmd_backup)
    sub.add_argument("file", metavar="FILE", help=text["backup.file"])
    sub = command("restore", cmd_restore)
    sub.add_argument("file", metavar="FILE", help=text["restore.file"])
    sub = command("retention", cmd_retention)
    sub.add_argument("--dry-run", action="store_true", help=text["retention.dry_run"])
    return parser


# --- shared helpers ----------------------------------------------------------

def _database():
    """The configured database, migrated: every command works on a fresh one."""
    from doemee.centres import CentreConfigError
    from doemee.settings import get_settings
    from doemee.storage.database import Database

    database = Database(get_settings().database_url)
    try:
        database.migrate()
    except CentreConfigError as error:  # the migration that first reads centres.yml
        raise CliError(error.dutch) from None
    return database


def _centre(session, slug: str | None):
    """The centre `slug` names; without a slug the first centre (an import's default)."""
    from sqlalchemy import select

    from doemee.attribution import centre_for_slug, default_centre
    from doemee.storage.models import Centre

    if slug is None:
        centre = default_centre(session)
        if centre is None:
            raise CliError(messages.CENTRES_NONE)
        return centre
    centre = centre_for_slug(session, slug.strip())
    if centre is None:
        known = list(session.scalars(select(Centre.slug).order_by(Centre.position, Centre.id)))
        raise CliError(messages.centre_unknown(slug.strip(), known))
    return centre


def _geo():
    from doemee.geo.index import get_geo_index

    return get_geo_index()


def _say(line: str = "") -> None:
    print(line, flush=True)


def _warn(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# --- commands ----------------------------------------------------------------

def cmd_import_csv(args: argparse.Namespace) -> int:
    from doemee.exchange.csv_format import read_file
    from doemee.exchange.importer import import_items

    database = _database()
    with database.session() as session:
        _centre(session, args.centre)  # an unknown centre fails before the file is read
    geo = _geo()
    parsed = read_file(Path(args.file), geo)
    if not parsed.ok:
        raise CliError(*parsed.error_lines())
    for warning in parsed.warnings:
        _warn(warning)
    with database.session() as session:
        centre = _centre(session, args.centre)
        report = import_items(session, geo, parsed.items, replace=args.replace, centre=centre)
    _say(messages.csv_imported(report.new, report.updated, report.removed))
    return EXIT_OK


def cmd_export_csv(args: argparse.Namespace) -> int:
    from doemee.exchange.exporter import export_file

    path = Path(args.file)
    database = _database()
    if path.is_dir() or not (path.parent if str(path.parent) else Path(".")).is_dir():
        raise CliError(messages.csv_cannot_write(str(path)))
    if args.centre is not None:
        with database.session() as session:
            _centre(session, args.centre)
    try:
        with database.session() as session:
            centre = _centre(session, args.centre) if args.centre is not None else None  # None: every centre
            count = export_file(session, path, centre=centre)
    except OSError:
        raise CliError(messages.csv_cannot_write(str(path))) from None
    _say(messages.csv_exported(count, str(path)))
    return EXIT_OK


def _resolve_place(text: str):
    """The one location `text` names, or a CliError saying why not."""
    from doemee.geo.types import Outcome
    from doemee.geo.wording import label

    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_QUERY_CHARS:
        raise CliError(messages.cli_unknown_place(cleaned))
    result = _geo().resolve(cleaned)
    if result.outcome is Outcome.AMBIGUOUS:
        raise CliError(messages.cli_ambiguous_place(cleaned, [label(c) for c in result.candidates]))
    if result.outcome is not Outcome.FOUND or result.location is None:
        raise CliError(messages.cli_unknown_place(cleaned))
    return result.location


def _resolve_postcode(text: str):
    from doemee.geo.postcodes import normalise_postcode

    postcode = normalise_postcode(text) if len(text) <= MAX_QUERY_CHARS else None
    if postcode is None:
        raise CliError(messages.bad_postcode(text))
    location = _geo().postcode(postcode)
    if location is None:
        raise CliError(messages.cli_unknown_postcode(postcode))
    return postcode, location


def _time_words(text: str) -> frozenset[str]:
    from doemee.matching.query import TIME_WORDS

    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    unknown = [w for w in words if w not in TIME_WORDS]
    if unknown:
        allowed = ["ochtend", "middag", "avond", "weekend", "doordeweeks", "eenmalig", "wekelijks", "maandelijks"]
        raise CliError(messages.cli_unknown_times(unknown, [w for w in allowed if w in TIME_WORDS]))
    return frozenset(words)


def _interests(text: str) -> frozenset[str]:
    from doemee.categories import parse_interests

    slugs, unknown = parse_interests(text)
    if unknown:
        raise CliError(messages.cli_unknown_interests(unknown, [c.slug for c in CATEGORIES]))
    return frozenset(slugs)


def cmd_centres_sync(args: argparse.Namespace) -> int:
    from doemee.centre_sync import sync_file
    from doemee.centres import CentreConfigError
    from doemee.settings import get_settings

    path = Path(args.file) if args.file else get_settings().centres_file
    database = _database()
    try:
        with database.session() as session:
            report = sync_file(session, path)
    except CentreConfigError as error:
        raise CliError(error.dutch) from None
    for code, slugs in sorted(report.overlaps.items()):
        _warn(messages.centre_overlap(code, slugs))
    for slug, count in report.kept.items():
        _warn(messages.centre_kept(slug, count))
    _say(messages.centres_synced(len(report.new), len(report.updated), len(report.removed)))
    return EXIT_OK


def cmd_match(args: argparse.Namespace) -> int:
    from doemee.matching.engine import find
    from doemee.matching.query import DEFAULT_LIMIT, DEFAULT_RADIUS_KM, SearchQuery

    interests = _interests(args.interests)
    times = _time_words(args.when)
    if args.postcode:
        origin, location = _resolve_postcode(args.postcode)
    elif args.place:
        location = _resolve_place(args.place)
        origin = location.name
    else:
        raise CliError(messages.CLI_NEED_LOCATION)
    query = SearchQuery(
        lat=location.lat, lon=location.lon, origin=origin, pc4=location.pc4,
        municipality_code=location.municipality_code, interests=interests, times=times,
        radius_km=args.radius_km if args.radius_km is not None else DEFAULT_RADIUS_KM,
        limit=args.limit if args.limit is not None else DEFAULT_LIMIT,
    )
    database = _database()
    with database.session() as session:
        result = find(session, query)
    items = [_match_item(match, origin) for match in result.matches]
    if args.json:
        _say(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not items:
        _say(messages.cli_match_none(origin))
    elif result.only_alternatives:
        _say(messages.cli_match_alternatives(origin, query.radius_km))
    else:
        _say(messages.cli_match_header(len(items), origin, query.radius_km))
    for number, item in enumerate(items, start=1):
        _say()
        _say(messages.cli_match_line(number, item["title"], item["initiative"], item["place"], item["distance_km"]))
        for reason in item["reasons"]:
            _say(f"   - {reason}")
    return EXIT_OK


def _match_item(match, origin: str) -> dict[str, Any]:
    view = match.opportunity
    return {
        "external_id": view.external_id,
        "id": view.id,
        "title": view.title,
        "initiative": view.initiative,
        "category": view.category,
        "place": view.place,
        "distance_km": round(match.distance_km, 1),
        "within_radius": match.within_radius,
        "score": round(match.score, 4),
        "reasons": list(messages.reasons_text(match, origin)),
        "pc4": view.pc4,
        "remote": view.remote,
        "time_commitment": view.time_commitment,
        "day_parts": list(view.day_parts),
        "valid_until": view.valid_until.isoformat() if view.valid_until else None,
    }


def cmd_geo(args: argparse.Namespace) -> int:
    location = _resolve_place(args.query)
    if args.json:
        _say(json.dumps(location.as_contract_dict(), ensure_ascii=False))
    else:
        _say(messages.cli_geo_found(
            location.name, location.place, location.municipality, location.municipality_code,
            location.pc4, location.lat, location.lon,
        ))
    return EXIT_OK


def cmd_concepts(args: argparse.Namespace) -> int:
    from doemee.moderation import list_concepts

    database = _database()
    with database.session() as session:
        concepts = list_concepts(session)
    if args.json:
        _say(json.dumps([c.as_dict() for c in concepts], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not concepts:
        _say(messages.CLI_CONCEPTS_NONE)
        return EXIT_OK
    _say(messages.cli_concepts_header(len(concepts)))
    for concept in concepts:
        _say()
        for line in messages.cli_concept_lines(
            concept.id, _one_line(concept.title), _one_line(concept.initiative), concept.category_label,
            _one_line(concept.place), concept.postcode, concept.time_commitment, concept.created_at,
            concept.contact_email, _one_line(concept.description),
        ):
            _say(line)
    _say()
    _say(messages.CLI_CONCEPTS_HINT)
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from doemee.moderation import approve

    return _decide(lambda session: approve(session, args.id))


def cmd_reject(args: argparse.Namespace) -> int:
    from doemee.moderation import reject

    return _decide(lambda session: reject(session, args.id, args.reason))


def _decide(decide: Callable[[Any], Any]) -> int:
    """Stores the decision with the initiative's notice in the outbox, in one transaction."""
    from doemee.moderation import ModerationError, notify_decision
    from doemee.settings import get_settings

    database = _database()
    try:
        with database.session() as session:
            decision = decide(session)
            notify_decision(session, decision, get_settings())
    except ModerationError as error:
        raise CliError(error.message) from None
    if decision.approved:
        _say(messages.cli_approved(decision.opportunity_id, _one_line(decision.title), decision.status))
    else:
        _say(messages.cli_rejected(decision.opportunity_id, _one_line(decision.title)))
    _say(messages.cli_notice_queued(decision.contact_email))
    return EXIT_OK


def _one_line(text: str) -> str:
    """Stored text as one terminal line: whitespace collapsed, nothing the terminal would act on."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def _municipality_code(text: str) -> str:
    """The CBS code a name or code stands for, or a CliError saying why not."""
    from doemee.geo.types import Outcome

    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_QUERY_CHARS:
        raise CliError(messages.cli_unknown_municipality(cleaned))
    geo = _geo()
    digits = cleaned.upper().removeprefix("GM")
    if digits.isdigit():
        if len(digits) <= 4 and geo.municipality(digits) is not None:
            return digits.zfill(4)
        raise CliError(messages.cli_unknown_municipality(cleaned))
    result = geo.resolve(cleaned)
    if result.outcome is Outcome.AMBIGUOUS:
        codes = {c.municipality_code: c.municipality for c in result.candidates}
        if len(codes) == 1:
            return next(iter(codes))
        raise CliError(messages.cli_ambiguous_municipality(cleaned, sorted(set(codes.values()))))
    location = result.location
    if result.outcome is not Outcome.FOUND or location is None or not location.municipality_code:
        raise CliError(messages.cli_unknown_municipality(cleaned))
    if result.corrected:
        # A forgiven typo is fine in a chat, not in a filter: the operator confirms it.
        raise CliError(messages.cli_did_you_mean_municipality(cleaned, location.name, location.municipality))
    return location.municipality_code


def cmd_demand(args: argparse.Namespace) -> int:
    from doemee.demand import default_since, unmet_demand

    code = _municipality_code(args.municipality) if args.municipality is not None else None
    since = args.since or default_since()
    geo = _geo()
    database = _database()
    with database.session() as session:
        report = unmet_demand(session, since, geo.municipality, municipality_code=code, limit=args.limit)
    if args.json:
        _say(json.dumps({
            "since": report.since.isoformat(),
            "municipality_code": report.municipality_code,
            "municipality": geo.municipality(code) if code else None,
            "total_searches": report.total_searches,
            "total_unmet": report.total_unmet,
            "rows": [row.as_dict() for row in report.rows],
        }, ensure_ascii=False, indent=2))
        return EXIT_OK
    where = geo.municipality(code) if code else None
    if not report.rows:
        _say(messages.cli_demand_none(report.since, where))
        return EXIT_OK
    _say(messages.cli_demand_header(report.since, where, report.total_searches, report.total_unmet))
    _say()
    table = [list(messages.DEMAND_COLUMNS)] + [
        [
            row.municipality or messages.DEMAND_UNKNOWN_MUNICIPALITY,
            row.category_label or messages.DEMAND_ANY_CATEGORY,
            str(row.searches), str(row.unmet), messages.cli_demand_share(row.unmet_share),
            str(row.open_opportunities),
        ]
        for row in report.rows
    ]
    for line in _columns(table, numeric_from=2):
        _say(line)
    _say()
    _say(messages.CLI_DEMAND_NOTE)
    return EXIT_OK


def _columns(table: list[list[str]], numeric_from: int) -> list[str]:
    """Rows as aligned text columns; numbers right-aligned so they compare at a glance."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for row in table:
        cells = [
            cell.rjust(widths[i]) if i >= numeric_from else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def cmd_staff_add(args: argparse.Namespace) -> int:
    """Invites a member, with the invitation mail in the outbox; the link is printed once."""
    from doemee.settings import get_settings
    from doemee.staff import StaffError, invite

    settings = get_settings()
    database = _database()
    try:
        with database.session() as session:
            centre = _centre(session, args.centre)
            invitation = invite(session, args.email, centre.slug, args.admin, settings)
    except StaffError as error:
        raise CliError(error.message) from None
    _say(staff_messages.cli_invited(invitation.email, invitation.centre_name, args.admin))
    _say(invitation.link)
    _say(staff_messages.CLI_INVITE_QUEUED)
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    _database()
    _say(messages.CLI_MIGRATED)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from doemee.settings import get_settings
    from doemee.storage.backup import BackupError, backup

    url = get_settings().database_url
    target = Path(args.file)
    try:
        kind = backup(url, target)
    except BackupError as error:
        raise _backup_failure(error, url) from None
    _say(operations_messages.backup_done(str(target), kind.value, target.stat().st_size))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from doemee.settings import get_settings
    from doemee.storage.backup import BackupError, restore

    url = get_settings().database_url
    try:
        restore(url, Path(args.file))
    except BackupError as error:
        raise _backup_failure(error, url) from None
    _database()
    _say(operations_messages.restore_done(args.file))
    return EXIT_OK


def _backup_failure(error, url: str) -> CliError:
    from doemee.storage.backup import BackupError, kind_of_url

    if error.detail and os.environ.get("DOEMEE_DEBUG") == "1":
        _warn(error.detail)
    try:
        expected = kind_of_url(url).value
    except BackupError:
        expected = ""
    broken = error.reason in {"pg_dump_failed", "pg_restore_failed", "timeout", "no_pg_tools"}
    line = operations_messages.backup_error(error.reason, error.detail, expected)
    return CliError(line, code=EXIT_FAILED if broken else EXIT_BAD_INPUT)


def cmd_retention(args: argparse.Namespace) -> int:
    """Both jobs of doemee.retention; the searches are folded even when Rasa's store cannot be reached."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from doemee import retention
    from doemee.settings import get_settings
    from doemee.storage.models import utcnow

    settings = get_settings()
    database = _database()
    before = retention.cutoff(utcnow(), settings.retention_days)
    _say(operations_messages.retention_cutoff(settings.retention_days, before.date()))
    searches = retention.fold_searches(database, before, args.dry_run)
    _say(operations_messages.retention_searches(searches, args.dry_run))
    try:
        forgotten = retention.forget_conversations(settings, before, args.dry_run)
    except (OperationalError, InterfaceError) as error:
        if os.environ.get("DOEMEE_DEBUG") == "1":
            _warn(type(error).__name__)
        raise CliError(operations_messages.RETENTION_TRACKER_DOWN, code=EXIT_FAILED) from None
    _say(operations_messages.retention_conversations(forgotten.conversations, forgotten.events, args.dry_run))
    if args.dry_run:
        _say(operations_messages.RETENTION_DRY_RUN)
    return EXIT_OK


def cmd_setup(args: argparse.Namespace) -> int:
    from doemee.exchange.importer import count_opportunities

    database = _database()
    with database.session() as session:
        count = count_opportunities(session)
    if count:
        _say(messages.CLI_SETUP_HAS_DATA.format(count=count))
        return EXIT_OK
    return _load_demo(database)


def cmd_demo_load(args: argparse.Namespace) -> int:
    return _load_demo(_database())


def _load_demo(database) -> int:
    from doemee.exchange.demo import DEMO_CSV, load_demo
    from doemee.exchange.importer import ImportRejected

    if not DEMO_CSV.is_file():
        raise CliError(messages.CLI_NO_DEMO_FILE.format(path=DEMO_CSV), code=EXIT_FAILED)
    geo = _geo()
    try:
        with database.session() as session:
            report = load_demo(session, geo)
    except ImportRejected as rejected:
        raise CliError(*rejected.lines, code=EXIT_FAILED) from None
    for warning in report.warnings:
        _warn(warning)
    _say(messages.cli_demo_loaded(report.new, report.updated, report.removed))
    return EXIT_OK


def cmd_demo_remove(args: argparse.Namespace) -> int:
    from doemee.exchange.demo import remove_demo

    database = _database()
    with database.session() as session:
        removed = remove_demo(session)
    _say(messages.cli_demo_removed(removed.opportunities, removed.initiatives))
    return EXIT_OK


def cmd_geo_fetch(args: argparse.Namespace) -> int:
    from doemee.geo.download import ensure_geonames
    from doemee.settings import get_settings

    settings = get_settings()
    ensure_geonames(settings.geonames_base_url, settings.geo_dir)
    _say(messages.cli_geo_files(str(settings.geo_dir)))
    return EXIT_OK


# --- entry point -------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    lang = language()
    if lang == "nl":
        _speak_dutch_argparse()
    try:
        args = build_parser(lang).parse_args(argv)
        return args.handler(args)
    except CliError as error:
        for line in error.lines:
            _warn(line)
        return error.code
    except KeyboardInterrupt:
        _warn(messages.CLI_INTERRUPTED)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; nothing left to say.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        return EXIT_OK
    except Exception as error:  # the promise: never a traceback without DOEMEE_DEBUG
        if _is_no_centre(error):
            _warn(messages.CENTRES_NONE)
            return EXIT_BAD_INPUT
        if os.environ.get("DOEMEE_DEBUG") == "1":
            traceback.print_exc()
        _warn(_unexpected(error))
        return EXIT_FAILED


def _unexpected(error: Exception) -> str:
    """One Dutch line for an error no command expected, as specific as is safe."""
    from doemee.geo.download import GeoDownloadError

    if isinstance(error, GeoDownloadError):
        return str(error).splitlines()[0] if str(error) else messages.CLI_UNEXPECTED
    if _is_database_down(error):
        return messages.CLI_DATABASE_DOWN
    return messages.CLI_UNEXPECTED


def _is_no_centre(error: Exception) -> bool:
    """A write that needs a centre, on a database without any (the domain is imported lazily)."""
    from doemee.attribution import NoCentre

    return isinstance(error, NoCentre)


def _is_database_down(error: Exception) -> bool:
    try:
        from sqlalchemy.exc import InterfaceError, OperationalError
    except ImportError:
        return False
    return isinstance(error, (OperationalError, InterfaceError))


if __name__ == "__main__":
    sys.exit(main())
