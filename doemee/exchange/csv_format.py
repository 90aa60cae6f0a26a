"""The CSV format of CONTRACT section 4: reading, checking and cell escaping.

Reading never raises for a bad file: every problem becomes a Dutch line
with the line number as a text editor shows it, so a volunteer centre can
fix the file itself.

Spreadsheet formula injection: a cell that starts with = + - @ (or a tab or
carriage return) can run as a formula when the file is opened in a
spreadsheet. Export prefixes such a value with one apostrophe, the
convention spreadsheets themselves use for "this is text"; import removes
exactly one apostrophe in front of such a character. A raw cell that starts
with one of those characters is refused on import with a Dutch reason,
so a file never smuggles a formula in and every value still round-trips.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from doemee import messages
from doemee.opportunities import Geography, OpportunityInput, Problem, validate

COLUMNS: tuple[str, ...] = (
    "external_id", "initiative_name", "initiative_website", "title", "description", "category",
    "postcode", "place", "time_commitment", "day_parts", "remote", "contact_email", "valid_until",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "external_id", "initiative_name", "title", "description", "category", "postcode",
    "time_commitment", "contact_email",
)
MAX_FILE_BYTES = 50 * 1024 * 1024
FORMULA_STARTS = "=+-@\t\r"
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def escape_cell(value: str) -> str:
    """A value safe to open in a spreadsheet; `unescape_cell` undoes it exactly."""
    return "'" + value if _NEEDS_ESCAPE.match(value) else value


def unescape_cell(value: str) -> str:
    return value[1:] if _ESCAPED.match(value) else value


@dataclass(frozen=True)
class RowProblem:
    line: int
    problem: Problem

    def text(self) -> str:
        return messages.csv_row_problem(self.line, self.problem.column, self.problem.reason)


@dataclass
class ParsedFile:
    """What a file holds: valid rows, or why it cannot be imported."""

    items: list[OpportunityInput] = field(default_factory=list)
    fatal: str | None = None  # the file as a whole is unusable
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.problems

    def error_lines(self) -> list[str]:
        """The Dutch lines to show: a summary first, then every bad row."""
        first = self.fatal if self.fatal is not None else messages.csv_rejected(len(self.problems), self._bad_rows())
        return [first] + [p.text() for p in self.problems]

    def _bad_rows(self) -> int:
        return len({p.line for p in self.problems})


def read_file(path: Path, geo: Geography) -> ParsedFile:
    try:
        if path.is_dir():
            return ParsedFile(fatal=messages.csv_file_unreadable(str(path)))
        if path.stat().st_size > MAX_FILE_BYTES:
            return ParsedFile(fatal=messages.csv_too_big(MAX_FILE_BYTES // (1024 * 1024)))
        data = path.read_bytes()
    except FileNotFoundError:
        return ParsedFile(fatal=messages.csv_file_not_found(str(path)))
    except OSError:
        return ParsedFile(fatal=messages.csv_file_unreadable(str(path)))
    return read_bytes(data, geo)


def read_bytes(data: bytes, geo: Geography) -> ParsedFile:
    if len(data) > MAX_FILE_BYTES:
        return ParsedFile(fatal=messages.csv_too_big(MAX_FILE_BYTES // (1024 * 1024)))
    if b"\x00" in data:
        return ParsedFile(fatal=messages.CSV_BINARY)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return ParsedFile(fatal=messages.csv_not_utf8(data[: error.start].count(b"\n") + 1))
    if not text.strip():
        return ParsedFile(fatal=messages.CSV_EMPTY)
    return _read_text(text, geo)


def _read_text(text: str, geo: Geography) -> ParsedFile:
    parsed = ParsedFile()
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    seen_ids: dict[str, int] = {}
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            line = previous_end + 1
            too_big = "field limit" in str(error)
            parsed.fatal = messages.csv_field_too_big(line, csv.field_size_limit()) if too_big else messages.csv_broken(line)
            return parsed
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header_error = _check_header(row, parsed)
            if header_error:
                parsed.fatal = header_error
                return parsed
            header = [cell.strip().lower() for cell in row]
            continue
        item = _read_row(header, row, line, parsed, geo)
        if item is None:
            continue
        first = seen_ids.get(item.external_id)
        if first is not None:
            parsed.problems.append(RowProblem(line, Problem("external_id", messages.duplicate_external_id(item.external_id, first))))
            continue
        seen_ids[item.external_id] = line
        parsed.items.append(item)
    if header is None:
        parsed.fatal = messages.CSV_EMPTY
    return parsed


def _check_header(row: list[str], parsed: ParsedFile) -> str | None:
    names = [cell.strip().lower() for cell in row]
    known = [n for n in names if n in COLUMNS]
    if not known:
        joined = ",".join(row)
        if joined.count(";") >= 2:
            return messages.CSV_SEMICOLONS
        if joined.count("\t") >= 2:
            return messages.CSV_TABS
        return messages.CSV_NO_HEADER
    for name in known:
        if names.count(name) > 1:
            return messages.csv_duplicate_column(name)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        return messages.csv_missing_columns(missing)
    for position, name in enumerate(names, start=1):
        if not name:
            parsed.warnings.append(messages.csv_nameless_column(position))
        elif name not in COLUMNS:
            parsed.warnings.append(messages.csv_unknown_column(name))
    return None


def _read_row(header: list[str], row: list[str], line: int, parsed: ParsedFile, geo: Geography) -> OpportunityInput | None:
    if len(row) < len(header):
        parsed.problems.append(RowProblem(line, Problem("", messages.too_few_fields(len(row), len(header)))))
        return None
    if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
        parsed.problems.append(RowProblem(line, Problem("", messages.too_many_fields(len(row), len(header)))))
        return None
    raw = {name: cell.strip() for name, cell in zip(header, row) if name in COLUMNS}
    problems: list[Problem] = []
    values: dict[str, str] = {}
    for column in COLUMNS:
        value = raw.get(column, "")
        if value and value[0] in FORMULA_STARTS:
            problems.append(Problem(column, messages.formula_like(value[0])))
        values[column] = unescape_cell(value)
    item = _typed(values, problems)
    taken = {p.column for p in problems}
    problems += [p for p in validate(item, geo) if p.column not in taken]
    if problems:
        order = {c: i for i, c in enumerate(COLUMNS)}
        problems.sort(key=lambda p: order.get(p.column, -1))
        parsed.problems.extend(RowProblem(line, p) for p in problems)
        return None
    return item


def _typed(values: Mapping[str, str], problems: list[Problem]) -> OpportunityInput:
    """The typed input; a value that cannot be typed becomes a problem and a neutral default."""
    remote_text = values["remote"].lower()
    if remote_text not in ("", "ja", "nee"):
        problems.append(Problem("remote", messages.bad_remote(values["remote"])))
    valid_until: date | None = None
    if values["valid_until"]:
        try:
            if not _DATE.fullmatch(values["valid_until"]):
                raise ValueError(values["valid_until"])
            valid_until = date.fromisoformat(values["valid_until"])
        except ValueError:
            problems.append(Problem("valid_until", messages.bad_date(values["valid_until"])))
    day_parts = tuple(dict.fromkeys(p.strip().lower() for p in values["day_parts"].split(";") if p.strip()))
    return OpportunityInput(
        external_id=values["external_id"],
        initiative_name=values["initiative_name"],
        initiative_website=values["initiative_website"] or None,
        title=values["title"],
        description=values["description"],
        category=values["category"].lower(),
        postcode=values["postcode"],
        place=values["place"] or None,
        time_commitment=values["time_commitment"].lower(),
        day_parts=day_parts,
        remote=remote_text == "ja",
        contact_email=values["contact_email"],
        valid_until=valid_until,
    )


def format_row(values: Mapping[str, str]) -> list[str]:
    """One exported row, in contract column order, safe for spreadsheets."""
    return [escape_cell(values.get(column, "")) for column in COLUMNS]


def write_rows(stream: io.TextIOBase, rows: Sequence[Mapping[str, str]]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for values in rows:
        writer.writerow(format_row(values))
