"""The report's chronology as the central group reads it: the notable things one by one,
the routine of the contact log as one line per month.

A whole process has thousands of contact-log entries; the reader needs what they
add up to, not each of them. Every entry of a month is counted in that month's
line ("We wrote to him 7 times; he did not answer."), with the words the summary
uses for the same facts. An event is *notable*, and listed on its own day, when
it changes where the process stands or carries words for the reader:

- a contact-log entry with a note that may travel (the group wrote it for the
  report-back), and a silence longer than the group's limit (R3);
- meetings, held, missed or otherwise; demand statuses and amendments; the
  handover, check-ins and his reflections; his confirmations;
- each agreed step, once, on the day it was agreed, with its deadline and how it
  stands (overdue and missed in red, R2). Its deadline and its outcome are not
  repeated as lines of their own: three lines per step would bury the rest. Where
  the step was agreed before the period, they stay on their own day (an outcome,
  or a deadline still not kept).

Every event, one by one, is in the optional appendix. Nothing here reads a
record's words: the notes are those the report already took through the travel
rules (``story.travel_notes``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from intake.extensions import db
from intake.labels import format_day
from intake.models import ContactEntry, Direction, Process
from intake.record.chronology import STEP_AGREED, STEP_CLOSED, STEP_DEADLINE, Event, place_of
from intake.record.steps import StepView
from intake.report.story import answered_words

Month = tuple[int, int]


@dataclass(frozen=True)
class MonthOfContacts:
    """Every contact-log entry of one month, counted."""

    first: date  # the month's first day, to name it
    we_wrote: int
    he_wrote: int
    real_answers: int
    someone_else: int

    @property
    def words(self) -> str:
        return month_words(self)


@dataclass(frozen=True)
class Line:
    """One line of the chronology: a notable event with its notes, or a month."""

    event: Event | None = None
    notes: tuple[str, ...] = ()
    month: MonthOfContacts | None = None
    step: StepView | None = None  # an agreed step's line: how it stands now


def month_words(m: MonthOfContacts) -> str:
    """The month in the summary's own words for messages and answers."""
    parts = []
    if m.we_wrote or m.he_wrote:
        parts.append(
            ngettext("We wrote to him once", "We wrote to him %(num)d times", m.we_wrote)
            if m.we_wrote
            else _("We did not write to him")
        )
        if not m.he_wrote:
            parts.append(_("he did not answer"))
        else:
            parts.append(answered_words(m.he_wrote, m.real_answers))
    if m.someone_else:
        parts.append(
            ngettext(
                "%(num)d contact with someone else",
                "%(num)d contacts with someone else",
                m.someone_else,
            )
        )
    return "; ".join(parts) + "."


def month_name(m: MonthOfContacts) -> str:
    # Abbreviated like the days around it ("Sep 2022"), so it fits the date column.
    return format_day(m.first, "LLL y")


def _step_id(event: Event) -> int | None:
    if event.link and event.link[0] == "steps.show":
        return event.link[1]["step_id"]
    return None


def is_notable(event: Event, has_notes: bool, agreed_here: set[int]) -> bool:
    """Whether the reader sees this event on its own line (see the module's words).

    ``agreed_here``: the steps whose agreement is a line of this chronology.
    """
    if event.kind == "contact":
        return has_notes or event.flag == "silence"
    place = place_of(event)
    if place in (STEP_DEADLINE, STEP_CLOSED) and _step_id(event) in agreed_here:
        return False
    if place == STEP_DEADLINE:
        return event.flag == "overdue"
    return True


def months_of_contacts(process: Process, since: date, until: date) -> dict[Month, MonthOfContacts]:
    """Each month's contact-log entries within the period, counted in one pass."""
    counts: Counter[tuple[Month, str]] = Counter()
    rows = db.session.execute(
        sa.select(ContactEntry.on, ContactEntry.direction, ContactEntry.real_answer).where(
            ContactEntry.process_id == process.id,
            ContactEntry.on >= sa.literal(since, sa.Date),
            ContactEntry.on <= sa.literal(until, sa.Date),
        )
    )
    for on, direction, real in rows:
        month = (on.year, on.month)
        counts[month, direction.value] += 1
        if direction is Direction.HE_WROTE and real:
            counts[month, "real"] += 1
    months = {month for month, _what in counts}
    return {
        month: MonthOfContacts(
            date(month[0], month[1], 1),
            we_wrote=counts[month, Direction.WE_WROTE.value],
            he_wrote=counts[month, Direction.HE_WROTE.value],
            real_answers=counts[month, "real"],
            someone_else=counts[month, Direction.SOMEONE_ELSE.value],
        )
        for month in months
    }


def grouped(
    events: list[Event],
    notes: dict[int, list[str]],
    months: dict[Month, MonthOfContacts],
    steps: Iterable[StepView] = (),
) -> list[Line]:
    """The chronology, oldest first: each month opens with its line of contacts, then
    the month's notable events. ``notes`` are by index in ``events``."""
    by_id = {step.id: step for step in steps}
    agreed_here = {
        step_id
        for event in events
        if place_of(event) == STEP_AGREED and (step_id := _step_id(event)) in by_id
    }
    by_month: dict[Month, list[Line]] = {month: [] for month in months}
    for n, event in enumerate(events):
        if is_notable(event, bool(notes.get(n)), agreed_here):
            step_id = _step_id(event) if place_of(event) == STEP_AGREED else None
            line = Line(
                event=event,
                notes=tuple(notes.get(n, ())),
                step=by_id.get(step_id) if step_id is not None else None,
            )
            by_month.setdefault((event.on.year, event.on.month), []).append(line)
    lines = []
    for month in sorted(by_month):
        if month in months:
            lines.append(Line(month=months[month]))
        lines.extend(by_month[month])
    return lines
