"""One dated list of everything in a process, built from the records, never typed twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from intake.extensions import db
from intake.labels import (
    channel_label,
    demand_status_label,
    format_day,
    meeting_kind_label,
    meeting_state_label,
    step_status_label,
    translated_once,
)
from intake.models import (
    AgreedStep,
    AmendmentState,
    ContactEntry,
    Demand,
    DemandAmendment,
    DemandStatusChange,
    Direction,
    LinkKind,
    Meeting,
    MeetingState,
    PrivateLink,
    Process,
    ReportBack,
    StepChange,
    StepStatus,
    Submission,
    SubmissionStatus,
)
from intake.models.step import overdue
from intake.record import log_version, paging
from intake.record.silence import Gap
from intake.record.silence_db import silences_longer_than
from intake.record.sqldays import day_of
from intake.security.encryption import open_text

# On one day: what happened with him first, then what followed from it.
KINDS = ("handover", "contact", "meeting", "demand", "step", "checkin", "report")


@translated_once
def _kind_words() -> dict[str, str]:
    return {
        "handover": _("Handover"),
        "demand": _("Demands"),
        "contact": _("Contacts"),
        "meeting": _("Meetings"),
        "step": _("Agreed steps"),
        "checkin": _("Check-ins"),
        "report": _("Report-backs"),
    }


def kind_label(kind: str) -> str:
    return _kind_words()[kind]


@dataclass(frozen=True)
class Event:
    on: date
    kind: str
    title: str
    detail: str = ""
    link: tuple[str, dict] | None = None  # endpoint and its values
    flag: str = ""  # e.g. "missed", "overdue", "silence"
    # Its place among the events of one day: the kind's order, then the record's id
    # (see ``_seq``); with ``on`` the key of the pages.
    seq: int = 0


# Each place events come from has a rank; on one day, events are ordered by it, so the
# kinds keep the order of KINDS. An event's ``seq`` is its rank and its row's id.
_ID_SPAN = 10**12
HANDOVER, CONTACT, SILENCE, MEETING = 0, 10, 11, 20
PROPOSED, DECIDED, DEMAND_STATUS = 30, 31, 32
STEP_AGREED, STEP_DEADLINE, STEP_CLOSED, RECEIPT = 40, 41, 42, 43
CHECKIN, RELEASED, WITHDRAWN = 50, 60, 61


def _seq(rank: int, ident: int) -> int:
    return rank * _ID_SPAN + ident


def place_of(event: Event) -> int:
    """The rank of the place an event came from (``STEP_DEADLINE``, ``CONTACT``, …)."""
    return event.seq // _ID_SPAN


@dataclass(frozen=True)
class Window:
    """Which events to read: beyond ``cursor`` (older, or newer when ``newer``), at most
    ``size + 1`` from each place (all when ``size`` is None), within the period."""

    cursor: paging.Cursor | None = None
    newer: bool = False
    size: int | None = None
    since: date | None = None
    until: date | None = None


def _window(
    query: sa.Select[Any],
    day: sa.ColumnElement[Any] | InstrumentedAttribute[Any],
    ident: sa.ColumnElement[Any] | InstrumentedAttribute[Any],
    rank: int,
    w: Window,
) -> Sequence[sa.Row]:
    """The rows of one place within the window, nearest to the cursor first."""
    if w.since is not None:
        query = query.where(day >= sa.literal(w.since, sa.Date))
    if w.until is not None:
        query = query.where(day <= sa.literal(w.until, sa.Date))
    if w.cursor is not None:
        at = sa.literal(w.cursor[0], sa.Date)
        at_rank, at_id = divmod(w.cursor[1], _ID_SPAN)
        if rank == at_rank:
            row, mark = sa.tuple_(day, ident), sa.tuple_(at, sa.literal(at_id))
            query = query.where(row > mark if w.newer else row < mark)
        elif (rank < at_rank) != w.newer:
            query = query.where(day >= at if w.newer else day <= at)
        else:
            query = query.where(day > at if w.newer else day < at)
    order = (day.asc(), ident.asc()) if w.newer else (day.desc(), ident.desc())
    query = query.order_by(*order)
    if w.size is not None:
        query = query.limit(w.size + 1)
    return db.session.execute(query).all()


_FORM_TITLES = {
    "handover": lambda: _("Handover from the support group"),
    "checkin": lambda: _("Check-in received"),
    "reflection": lambda: _("Written reflection received from him"),
}


def _forms(process: Process, w: Window, rank: int, form_ids: list[str], kind: str) -> list[Event]:
    day = sa.func.coalesce(Submission.happened_on, day_of(Submission.submitted_at))
    rows = _window(
        sa.select(Submission.id, Submission.form_id, day.label("day")).where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.form_id.in_(form_ids),
            Submission.submitted_at.is_not(None),
        ),
        day,
        Submission.id,
        rank,
        w,
    )
    # The day it happened, if the form asks it; otherwise the day it was sent.
    return [
        Event(
            on,
            kind,
            _FORM_TITLES[form_id](),
            link=("submissions.show", {"submission_id": record_id}),
            seq=_seq(rank, record_id),
        )
        for record_id, form_id, on in rows
    ]


def _handover(process: Process, today: date, w: Window) -> list[Event]:
    return _forms(process, w, HANDOVER, ["handover"], "handover")


def _checkins(process: Process, today: date, w: Window) -> list[Event]:
    return _forms(process, w, CHECKIN, ["checkin", "reflection"], "checkin")


def _demands(process: Process, today: date, w: Window) -> list[Event]:
    events = []
    numbers = dict(
        db.session.execute(
            sa.select(Demand.id, Demand.number).where(Demand.process_id == process.id)
        )
        .tuples()
        .all()
    )
    link: tuple[str, dict[str, Any]] = ("demands.index", {})
    of_process = DemandAmendment.demand_id.in_(numbers)
    proposed = day_of(DemandAmendment.proposed_at)
    for ident, demand_id, on in _window(
        sa.select(DemandAmendment.id, DemandAmendment.demand_id, proposed).where(of_process),
        proposed,
        DemandAmendment.id,
        PROPOSED,
        w,
    ):
        title = _("Amendment to demand %(n)d proposed", n=numbers[demand_id])
        events.append(Event(on, "demand", title, link=link, seq=_seq(PROPOSED, ident)))
    decided = sa.func.coalesce(DemandAmendment.decided_on, day_of(DemandAmendment.decided_at))
    for ident, demand_id, state, on in _window(
        sa.select(DemandAmendment.id, DemandAmendment.demand_id, DemandAmendment.state, decided)
        .where(of_process)
        .where(DemandAmendment.state.in_([AmendmentState.APPROVED, AmendmentState.REJECTED]))
        .where(decided.is_not(None)),
        decided,
        DemandAmendment.id,
        DECIDED,
        w,
    ):
        n = numbers[demand_id]
        title = (
            _("Amendment to demand %(n)d approved", n=n)
            if state is AmendmentState.APPROVED
            else _("Amendment to demand %(n)d not approved", n=n)
        )
        events.append(Event(on, "demand", title, link=link, seq=_seq(DECIDED, ident)))
    for ident, demand_id, status, on, minutes_id, evidence_id in _window(
        sa.select(
            DemandStatusChange.id,
            DemandStatusChange.demand_id,
            DemandStatusChange.status,
            DemandStatusChange.on,
            DemandStatusChange.minutes_id,
            DemandStatusChange.evidence_id,
        ).where(DemandStatusChange.demand_id.in_(numbers)),
        DemandStatusChange.on,
        DemandStatusChange.id,
        DEMAND_STATUS,
        w,
    ):
        shown_by = minutes_id or evidence_id
        events.append(
            Event(
                on,
                "demand",
                _(
                    "Demand %(n)d: %(status)s",
                    n=numbers[demand_id],
                    status=demand_status_label(status),
                ),
                link=("submissions.show", {"submission_id": shown_by}) if shown_by else None,
                seq=_seq(DEMAND_STATUS, ident),
            )
        )
    return events


def _contacts(process: Process, today: date, w: Window) -> list[Event]:
    titles = {
        Direction.WE_WROTE: _("We wrote to him"),
        Direction.HE_WROTE: _("He answered"),
        Direction.SOMEONE_ELSE: _("Contact with someone else"),
    }
    rows = _window(
        sa.select(
            ContactEntry.id,
            ContactEntry.on,
            ContactEntry.direction,
            ContactEntry.channel,
            ContactEntry.submission_id,
        ).where(ContactEntry.process_id == process.id),
        ContactEntry.on,
        ContactEntry.id,
        CONTACT,
        w,
    )
    # Looked up once per channel, not once per entry: years of entries use a handful.
    channels = {channel: channel_label(channel) for channel in {row.channel for row in rows}}
    return [
        Event(
            on,
            "contact",
            titles[direction],
            detail=channels[channel],
            link=("submissions.show", {"submission_id": submission_id}),
            flag="answer" if direction is Direction.HE_WROTE else "",
            seq=_seq(CONTACT, ident),
        )
        for ident, on, direction, channel, submission_id in rows
    ]


def _meetings(process: Process, today: date, w: Window) -> list[Event]:
    """Each meeting, linked to its minutes where they were written."""
    day = day_of(Meeting.starts_at)
    rows = _window(
        sa.select(Meeting.id, Meeting.kind, day, Meeting.state).where(
            Meeting.process_id == process.id
        ),
        day,
        Meeting.id,
        MEETING,
        w,
    )
    minutes = dict(
        db.session.execute(
            sa.select(Submission.meeting_id, Submission.id).where(
                Submission.process_id == process.id,
                Submission.meeting_id.in_([row[0] for row in rows]),
                Submission.status == SubmissionStatus.SUBMITTED,
            )
        )
        .tuples()
        .all()
    )
    # Words looked up once per kind and state, not once per meeting.
    kinds = {kind: meeting_kind_label(kind) for kind in {row[1] for row in rows}}
    states = {state: meeting_state_label(state) for state in {row[3] for row in rows}}
    return [
        Event(
            on,
            "meeting",
            f"{kinds[kind]}: {states[state]}",
            link=("submissions.show", {"submission_id": minutes[meeting_id]})
            if meeting_id in minutes
            else ("meetings.index", {}),
            flag=state.value if state is not MeetingState.HELD else "",
            seq=_seq(MEETING, meeting_id),
        )
        for meeting_id, kind, on, state in rows
    ]


def _steps(process: Process, today: date, w: Window) -> list[Event]:
    # Columns, not whole steps: a page reads up to three hundred step events.
    step_columns = (
        AgreedStep.id,
        AgreedStep.what,
        AgreedStep.agreed_on,
        AgreedStep.deadline,
        AgreedStep.status,
    )
    of_process = sa.select(*step_columns).where(AgreedStep.process_id == process.id)
    agreed = _window(of_process, AgreedStep.agreed_on, AgreedStep.id, STEP_AGREED, w)
    due = _window(of_process, AgreedStep.deadline, AgreedStep.id, STEP_DEADLINE, w)
    closed_on = sa.func.coalesce(StepChange.on, day_of(StepChange.changed_at))
    closed = _window(
        sa.select(StepChange.id, StepChange.status, closed_on, AgreedStep.id, AgreedStep.what)
        .join(AgreedStep, AgreedStep.id == StepChange.step_id)
        .where(AgreedStep.process_id == process.id, StepChange.status != StepStatus.OPEN),
        closed_on,
        StepChange.id,
        STEP_CLOSED,
        w,
    )
    context = AgreedStep(process_id=process.id).encryption_context
    what: dict[int, str] = {}

    def event(on: date, title: str, step_id: int, sealed: bytes, seq: int, flag: str = "") -> Event:
        if step_id not in what:
            what[step_id] = open_text(sealed, context)
        link = ("steps.show", {"step_id": step_id})
        return Event(on, "step", title, what[step_id], link, flag=flag, seq=seq)

    # Translated once per call, not once per event.
    agreed_title, due_title = _("Step agreed"), _("Deadline of a step")
    closed_titles = {
        status: _("Step: %(status)s", status=step_status_label(status))
        for status in {row[1] for row in closed}
    }
    events = [
        event(agreed_on, agreed_title, step_id, sealed, _seq(STEP_AGREED, step_id))
        for step_id, sealed, agreed_on, _deadline, _status in agreed
    ]
    events += [
        event(
            deadline,
            due_title,
            step_id,
            sealed,
            _seq(STEP_DEADLINE, step_id),
            flag="overdue" if overdue(status, deadline, today) else "",
        )
        for step_id, sealed, _agreed_on, deadline, status in due
    ]
    events += [
        event(
            on,
            closed_titles[status],
            step_id,
            sealed,
            _seq(STEP_CLOSED, ident),
            flag="missed" if status is StepStatus.MISSED else "",
        )
        for ident, status, on, step_id, sealed in closed
    ]
    return events


def _silences(process: Process, today: date, w: Window) -> list[Event]:
    """Silences longer than the group's limit, marked where they began.

    Counted in the database with the figures' own rules; there are few of them, so
    the window is applied here.
    """
    events = [
        Event(
            gap.start,
            "contact",
            _("No answer for %(n)d days so far", n=gap.days)
            if gap.ongoing
            else _("No answer for %(n)d days", n=gap.days),
            detail=_(
                "from %(start)s to %(end)s",
                start=format_day(gap.start, "medium"),
                end=format_day(gap.end, "medium"),
            ),
            flag="silence",
            seq=_seq(SILENCE, 0),  # at most one silence begins on a day
        )
        for gap in _longer_than_limit(process, today)
    ]
    return [e for e in events if _within(e, w)]


def _longer_than_limit(process: Process, today: date) -> tuple[Gap, ...]:
    """Counted over the whole log, so kept until the log changes (``log_version``)."""
    days = process.silence_alarm_days
    return log_version.kept(
        ("silences", process.id, process.log_version, today, days),
        lambda: tuple(silences_longer_than(process, today, days)),
    )


def _within(event: Event, w: Window) -> bool:
    if (w.since and event.on < w.since) or (w.until and event.on > w.until):
        return False
    if w.cursor is None:
        return True
    return (event.on, event.seq) > w.cursor if w.newer else (event.on, event.seq) < w.cursor


def _his_receipts(process: Process, today: date, w: Window) -> list[Event]:
    day = day_of(PrivateLink.confirmed_at)
    rows = _window(
        sa.select(PrivateLink.id, day, PrivateLink.minutes_id).where(
            PrivateLink.process_id == process.id,
            PrivateLink.kind == LinkKind.HIM,
            PrivateLink.confirmed_at.is_not(None),
        ),
        day,
        PrivateLink.id,
        RECEIPT,
        w,
    )
    title = _("He confirmed receiving the agreed steps")
    return [
        Event(
            on,
            "step",
            title,
            link=("submissions.show", {"submission_id": minutes_id}) if minutes_id else None,
            seq=_seq(RECEIPT, ident),
        )
        for ident, on, minutes_id in rows
    ]


def _reports(process: Process, today: date, w: Window) -> list[Event]:
    of_process = ReportBack.process_id == process.id
    released = day_of(ReportBack.released_at)
    withdrawn = day_of(ReportBack.withdrawn_at)
    events = [
        Event(
            on,
            "report",
            _("Report-back released"),
            link=("reports.show", {"report_id": ident}),
            seq=_seq(RELEASED, ident),
        )
        for ident, on in _window(
            sa.select(ReportBack.id, released).where(
                of_process, ReportBack.released_at.is_not(None)
            ),
            released,
            ReportBack.id,
            RELEASED,
            w,
        )
    ]
    events += [
        Event(
            on,
            "report",
            _("Report-back withdrawn"),
            link=("reports.show", {"report_id": ident}),
            seq=_seq(WITHDRAWN, ident),
        )
        for ident, on in _window(
            sa.select(ReportBack.id, withdrawn).where(
                of_process,
                ReportBack.released_at.is_not(None),
                ReportBack.withdrawn_at.is_not(None),
            ),
            withdrawn,
            ReportBack.id,
            WITHDRAWN,
            w,
        )
    ]
    return events


_PLACES: tuple[tuple[str, Callable[[Process, date, Window], list[Event]]], ...] = (
    ("handover", _handover),
    ("demand", _demands),
    ("contact", _contacts),
    ("contact", _silences),
    ("meeting", _meetings),
    ("step", _steps),
    ("step", _his_receipts),
    ("checkin", _checkins),
    ("report", _reports),
)


def _events(process: Process, today: date, kinds: set[str] | None, w: Window) -> list[Event]:
    return [
        event
        for kind, place in _PLACES
        if not kinds or kind in kinds
        for event in place(process, today, w)
    ]


def _key(event: Event) -> paging.Cursor:
    return (event.on, event.seq)


def chronology(
    process: Process,
    today: date,
    *,
    kinds: set[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Event]:
    """Every event of the process, oldest first, optionally only some kinds or a period."""
    return sorted(_events(process, today, kinds, Window(since=since, until=until)), key=_key)


def newest_events(
    process: Process,
    today: date,
    *,
    kinds: set[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    before: paging.Cursor | None = None,
    after: paging.Cursor | None = None,
    size: int = paging.PAGE_SIZE,
) -> paging.Page:
    """One page of the chronology, newest first; no place is read past the page."""

    def fetch(cursor: paging.Cursor | None, newer: bool) -> list[Event]:
        window = Window(cursor, newer, size, since, until)
        return _events(process, today, kinds, window)

    return paging.newest_page(fetch, _key, before=before, after=after, size=size)
