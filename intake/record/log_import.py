"""Catching up on the past: contact-log entries and meetings from a spreadsheet.

Groups often kept their log in a spreadsheet for months before using intake. A file
(CSV, or XLSX from a spreadsheet program) is checked row by row and shown before
anything is stored; if any row is wrong, nothing is imported and the row and column
are named. Importing again is safe: a row already imported is recognised and skipped.

The columns, in the first row, in any order (names and values as below):

============  ===========================================================  ==========
column        values                                                       needed for
============  ===========================================================  ==========
kind          ``contact`` or ``meeting``                                   every row
date          the day it happened, ``2023-05-31``                          every row
direction     ``we_wrote``, ``he_wrote`` or ``someone_else``                contact
channel       ``email``, ``messenger``, ``phone``, ``letter``,             (contact)
              ``in_person`` or ``other`` (empty: other)
answer        ``real`` or ``acknowledgement`` (empty: real)                 (contact)
summary       what happened, for the contact group only                    contact
note          one line that may go into a report-back                      (contact)
outcome       ``held``, ``missed`` or ``cancelled``                        meeting
meeting_kind  ``with_him``, ``around_him`` or ``internal`` (empty: with_him)  (meeting)
============  ===========================================================  ==========
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.models import Account, ContactEntry, Meeting, MeetingKind, MeetingState, Process

COLUMNS = (
    "kind",
    "date",
    "direction",
    "channel",
    "answer",
    "summary",
    "note",
    "outcome",
    "meeting_kind",
)
KINDS = ("contact", "meeting")
DIRECTIONS = ("we_wrote", "he_wrote", "someone_else")
CHANNELS = ("email", "messenger", "phone", "letter", "in_person", "other")
ANSWERS = ("real", "acknowledgement")
OUTCOMES = ("held", "missed", "cancelled")
MEETING_KINDS = ("with_him", "around_him", "internal")
MAX_ROWS = 5000
MAX_BYTES = 1024 * 1024  # what a form may carry back for the confirming step
EARLIEST = date(1990, 1, 1)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read, in words for the person."""


@dataclass
class Row:
    number: int  # as the spreadsheet counts: the header is row 1
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)
    already: bool = False

    @property
    def key(self) -> str:
        """The same row gives the same key, however often the file is imported."""
        joined = "\x1f".join(self.values.get(c, "") for c in COLUMNS)
        return hashlib.sha256(joined.encode()).hexdigest()

    @property
    def day(self) -> date:
        return date.fromisoformat(self.values["date"])


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _table(data: bytes, filename: str) -> list[list[str]]:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_l("The file is larger than 1 MB. Split it into smaller files."))
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # only this page needs it

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # a damaged or mislabelled file, in any of many ways
            raise UnreadableFile(_l("This file cannot be read as an XLSX spreadsheet.")) from exc
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _l("This file is not text in UTF-8. Save it as “CSV UTF-8” and try again.")
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def read(data: bytes, filename: str) -> list[Row]:
    """Every row of the file, each with what is wrong with it, if anything."""
    # Numbered as the spreadsheet numbers them, blank rows included.
    table = [(n, row) for n, row in enumerate(_table(data, filename), 1) if any(row)]
    if not table:
        raise UnreadableFile(_l("The file is empty."))
    header = [h.strip().lower() for h in table[0][1]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise UnreadableFile(
            _l(
                "Row 1 names columns this import does not know: %(names)s. "
                "The columns are: %(known)s.",
                names=", ".join(unknown),
                known=", ".join(COLUMNS),
            )
        )
    if "kind" not in header or "date" not in header:
        raise UnreadableFile(_l("Row 1 needs at least the columns kind and date."))
    if len(table) - 1 > MAX_ROWS:
        raise UnreadableFile(_l("At most %(n)d rows at a time.", n=MAX_ROWS))
    rows = []
    for number, cells in table[1:]:
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
        values = {c: values.get(c, "") for c in COLUMNS}
        values["date"] = _iso_day(values["date"])
        rows.append(Row(number, values))
    return rows


def _iso_day(text: str) -> str:
    """A day written the German way (31.05.2023) becomes 2023-05-31; anything else stays."""
    parts = text.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
        day, month, year = parts
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


def _one_of(row: Row, column: str, allowed: tuple[str, ...], default: str | None = None) -> None:
    value = row.values[column]
    if not value and default is not None:
        row.values[column] = default
        return
    if value not in allowed:
        row.problems.append(
            str(
                _l(
                    "Row %(n)d, column %(column)s: “%(value)s” is not one of %(allowed)s.",
                    n=row.number,
                    column=column,
                    value=value,
                    allowed=", ".join(allowed),
                )
            )
        )


def check(process: Process, rows: list[Row], today: date) -> None:
    """Note every problem of every row, and which rows were imported before."""
    for row in rows:
        _one_of(row, "kind", KINDS)
        try:
            if len(row.values["date"]) != 10:
                raise ValueError(row.values["date"])
            day = row.day
        except ValueError:
            row.problems.append(
                str(
                    _l(
                        "Row %(n)d, column date: “%(value)s” is not a day written as "
                        "2023-05-31 or 31.05.2023.",
                        n=row.number,
                        value=row.values["date"],
                    )
                )
            )
        else:
            if day > today:
                row.problems.append(
                    str(_l("Row %(n)d, column date: that day is still to come.", n=row.number))
                )
            elif day < EARLIEST:
                row.problems.append(
                    str(_l("Row %(n)d, column date: that day is before 1990.", n=row.number))
                )
        if row.values["kind"] == "contact":
            _one_of(row, "direction", DIRECTIONS)
            _one_of(row, "channel", CHANNELS, default="other")
            if row.values["direction"] == "he_wrote":
                _one_of(row, "answer", ANSWERS, default="real")
            elif row.values["answer"]:
                row.problems.append(
                    str(
                        _l(
                            "Row %(n)d, column answer: only his messages are answers; "
                            "leave it empty here.",
                            n=row.number,
                        )
                    )
                )
            if not row.values["summary"]:
                row.problems.append(
                    str(_l("Row %(n)d, column summary: say what happened.", n=row.number))
                )
        elif row.values["kind"] == "meeting":
            _one_of(row, "outcome", OUTCOMES)
            _one_of(row, "meeting_kind", MEETING_KINDS, default="with_him")
            for column in ("summary", "note"):
                if row.values[column]:
                    # Nothing typed is dropped: a meeting's words belong in its minutes.
                    row.problems.append(
                        str(
                            _l(
                                "Row %(n)d, column %(column)s: a meeting row keeps no text. "
                                "Leave it empty, and write the meeting's minutes after the "
                                "import.",
                                n=row.number,
                                column=column,
                            )
                        )
                    )
        if len(row.values["note"]) > 200:
            row.problems.append(
                str(_l("Row %(n)d, column note: keep it to 200 characters.", n=row.number))
            )
        if len(row.values["summary"]) > 20000:
            row.problems.append(
                str(_l("Row %(n)d, column summary: keep it to 20,000 characters.", n=row.number))
            )
    known = _imported_keys(process)
    for row in rows:
        row.already = row.key in known


def _imported_keys(process: Process) -> set[str]:
    contacts = sa.select(ContactEntry.import_key).where(
        ContactEntry.process_id == process.id, ContactEntry.import_key.is_not(None)
    )
    meetings = sa.select(Meeting.import_key).where(
        Meeting.process_id == process.id, Meeting.import_key.is_not(None)
    )
    found = [*db.session.scalars(contacts), *db.session.scalars(meetings)]
    return {key for key in found if key is not None}


def as_csv(rows: list[Row]) -> str:
    """The rows as checked, to carry to the confirming step unchanged."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.values[c] for c in COLUMNS])
    return out.getvalue()


def store(process: Process, rows: list[Row], by: Account) -> int:
    """Import the rows not imported before; returns how many. Call only after ``check``
    found no problem: each row goes through the same services as the pages."""
    from intake.record import meetings
    from intake.submissions import service

    contact_form = service.known_definition("contact")
    stored = 0
    for row in rows:
        if row.already or row.problems:
            continue
        v = row.values
        if v["kind"] == "contact":
            answers = {
                "date": v["date"],
                "channel": v["channel"],
                "direction": v["direction"],
                "summary": v["summary"],
            }
            if v["direction"] == "he_wrote":
                answers["answer_kind"] = v["answer"]
            if v["note"]:
                answers["report_note"] = v["note"]
            saved = service.save(process, contact_form, by, answers, submit=True)
            entry = db.session.scalars(
                sa.select(ContactEntry).where(ContactEntry.submission_id == saved.submission.id)
            ).one()
            entry.import_key = row.key
        else:
            meeting = meetings.plan(
                process,
                kind=MeetingKind(v["meeting_kind"]),
                starts_at=datetime.combine(row.day, time(12), tzinfo=UTC),
                place="",
                expected="",
                by=by,
                state=MeetingState(v["outcome"]),
            )
            meeting.import_key = row.key
        stored += 1
    db.session.flush()
    return stored
