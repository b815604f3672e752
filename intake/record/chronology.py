"""One dated list of everything in a process, built from the records, never typed twice."""

from __future__ import annotations

import functools
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
    DemandStatus,
    DemandStatusChange,
    Direction,
    LinkKind,
    Meeting,
    MeetingKind,
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
    """Which events to read: beyond ``cursor`` (older, or newer when ``newer``), the
    ``size + 1`` nearest to it (all when ``size`` is None), within the period."""

    cursor: paging.Cursor | None = None
    newer: bool = False
    size: int | None = None
    since: date | None = None
    until: date | None = None


# Every place's rows come as the same columns, so that one page is one query: a
# ``UNION ALL`` of the places, each read only as far as the page (see ``_read``).
# What a column means depends on the place: ``ref`` the record an event links to,
# ``number`` a demand's number, ``word``/``word2`` a stored state, kind or channel,
# ``sealed`` a step's encrypted words.
_VALUES: dict[str, sa.types.TypeEngine[Any]] = {
    "ref": sa.Integer(),
    "number": sa.Integer(),
    "word": sa.String(),
    "word2": sa.String(),
    "sealed": sa.LargeBinary(),
}


@dataclass(frozen=True)
class _Source:
    """One place events come from: its rows, and what orders them."""

    rank: int
    query: sa.Select[Any]
    day: sa.ColumnElement[Any] | InstrumentedAttribute[Any]
    ident: sa.ColumnElement[Any] | InstrumentedAttribute[Any]


def _source(
    rank: int,
    day: sa.ColumnElement[Any] | InstrumentedAttribute[Any],
    ident: InstrumentedAttribute[Any],
    where: list[sa.ColumnElement[bool]],
    *,
    joined: sa.FromClause | None = None,
    **values: Any,
) -> _Source:
    """A place: its rows (``where``, from ``joined`` tables when more than one) as the
    union's columns, ``values`` naming what each of ``_VALUES`` holds in it."""
    columns = (
        sa.literal_column(str(rank), sa.Integer()).label("rank"),
        ident.label("ident"),
        sa.type_coerce(day, sa.Date()).label("day"),
        *(
            # Stored states come back as their stored words, the same type in every place.
            sa.type_coerce(values[name], type_).label(name)
            if name in values
            else sa.cast(sa.null(), type_).label(name)
            for name, type_ in _VALUES.items()
        ),
    )
    query = sa.select(*columns)
    if joined is not None:
        query = query.select_from(joined)
    return _Source(rank, query.where(*where), day, ident)


# A page's statement is built once for each shape of question (which kinds, which
# bounds, where the cursor lies) and asked again with these parameters: building and
# keying a union of thirteen places cost more than the database's answer.
_PROCESS = sa.bindparam("process_id", type_=sa.Integer())
_SINCE = sa.bindparam("since", type_=sa.Date())
_UNTIL = sa.bindparam("until", type_=sa.Date())
_AT_DAY = sa.bindparam("at_day", type_=sa.Date())
_AT_ID = sa.bindparam("at_id", type_=sa.BigInteger())


@dataclass(frozen=True)
class _Shape:
    """What tells one page's statement from another's; the values are parameters."""

    kinds: frozenset[str]  # empty: all
    since: bool
    until: bool
    at_rank: int | None  # the place of the cursor's event; None: no cursor
    newer: bool
    size: int | None


def _window(source: _Source, shape: _Shape) -> sa.Select[Any]:
    """The rows of one place within the window, nearest to the cursor first."""
    query, day, ident, rank = source.query, source.day, source.ident, source.rank
    if shape.since:
        query = query.where(day >= _SINCE)
    if shape.until:
        query = query.where(day <= _UNTIL)
    if shape.at_rank is not None:
        newer = shape.newer
        if rank == shape.at_rank:
            row, mark = sa.tuple_(day, ident), sa.tuple_(_AT_DAY, _AT_ID)
            query = query.where(row > mark if newer else row < mark)
        elif (rank < shape.at_rank) != newer:
            query = query.where(day >= _AT_DAY if newer else day <= _AT_DAY)
        else:
            query = query.where(day > _AT_DAY if newer else day < _AT_DAY)
    order = (day.asc(), ident.asc()) if shape.newer else (day.desc(), ident.desc())
    query = query.order_by(*order)
    if shape.size is not None:
        query = query.limit(shape.size + 1)
    return query


@functools.lru_cache(maxsize=256)
def _statement(shape: _Shape) -> sa.Select[Any] | sa.CompoundSelect | None:
    """The rows of the places of ``shape.kinds`` within the window, as one query."""
    parts = [
        _window(source, shape)
        for kind, place in _PLACES
        if not shape.kinds or kind in shape.kinds
        for source in place()
    ]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    # Each place keeps its own order and limit inside a subquery of its own (SQLite
    # takes neither on a bare part of a compound query).
    union = sa.union_all(*(sa.select(*part.subquery().c) for part in parts))
    if shape.size is not None:
        # The page's rows of all places, in the pages' order (a day, then the place's
        # rank, then the id, as ``Event.seq`` has it): only they become events.
        c = union.selected_columns
        order = (c.day, c.rank, c.ident)
        union = union.order_by(*(o.asc() if shape.newer else o.desc() for o in order))
        union = union.limit(shape.size + 1)
    return union


def _read(process: Process, kinds: set[str] | None, w: Window) -> Sequence[sa.Row]:
    """The rows of the places of ``kinds`` within the window, nearest to its cursor."""
    # A cursor comes from an address: past the last place, every place lies before it
    # alike, so no made-up cursor makes a statement of its own.
    at_rank = None if w.cursor is None else min(w.cursor[1] // _ID_SPAN, WITHDRAWN + 1)
    shape = _Shape(
        frozenset(kinds or ()), w.since is not None, w.until is not None, at_rank, w.newer, w.size
    )
    statement = _statement(shape)
    if statement is None:
        return []
    values: dict[str, Any] = {"process_id": process.id, "since": w.since, "until": w.until}
    if w.cursor is not None:
        values |= {"at_day": w.cursor[0], "at_id": w.cursor[1] % _ID_SPAN}
    return db.session.execute(statement, values).all()


def _forms(rank: int, form_ids: list[str]) -> list[_Source]:
    # The day it happened, if the form asks it; otherwise the day it was sent.
    day = sa.func.coalesce(Submission.happened_on, day_of(Submission.submitted_at))
    sent = [
        Submission.process_id == _PROCESS,
        Submission.status == SubmissionStatus.SUBMITTED,
        Submission.form_id.in_(form_ids),
        Submission.submitted_at.is_not(None),
    ]
    return [_source(rank, day, Submission.id, sent, word=Submission.form_id)]


def _handover() -> list[_Source]:
    return _forms(HANDOVER, ["handover"])


def _checkins() -> list[_Source]:
    return _forms(CHECKIN, ["checkin", "reflection"])


def _demands() -> list[_Source]:
    of_process = Demand.process_id == _PROCESS
    amendments = sa.join(DemandAmendment, Demand, Demand.id == DemandAmendment.demand_id)
    decided = sa.func.coalesce(DemandAmendment.decided_on, day_of(DemandAmendment.decided_at))
    return [
        _source(
            PROPOSED,
            day_of(DemandAmendment.proposed_at),
            DemandAmendment.id,
            [of_process],
            joined=amendments,
            number=Demand.number,
        ),
        _source(
            DECIDED,
            decided,
            DemandAmendment.id,
            [
                of_process,
                DemandAmendment.state.in_([AmendmentState.APPROVED, AmendmentState.REJECTED]),
                decided.is_not(None),
            ],
            joined=amendments,
            number=Demand.number,
            word=DemandAmendment.state,
        ),
        _source(
            DEMAND_STATUS,
            DemandStatusChange.on,
            DemandStatusChange.id,
            [of_process],
            joined=sa.join(DemandStatusChange, Demand, Demand.id == DemandStatusChange.demand_id),
            number=Demand.number,
            word=DemandStatusChange.status,
            ref=sa.func.coalesce(DemandStatusChange.minutes_id, DemandStatusChange.evidence_id),
        ),
    ]


def _contacts() -> list[_Source]:
    return [
        _source(
            CONTACT,
            ContactEntry.on,
            ContactEntry.id,
            [ContactEntry.process_id == _PROCESS],
            ref=ContactEntry.submission_id,
            word=ContactEntry.direction,
            word2=ContactEntry.channel,
        )
    ]


def _meetings() -> list[_Source]:
    """Each meeting, linked to its minutes where they were written."""
    minutes = (
        sa.select(sa.func.max(Submission.id))
        .where(
            Submission.meeting_id == Meeting.id,
            Submission.process_id == _PROCESS,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
        .scalar_subquery()
    )
    return [
        _source(
            MEETING,
            day_of(Meeting.starts_at),
            Meeting.id,
            [Meeting.process_id == _PROCESS],
            ref=minutes,
            word=Meeting.kind,
            word2=Meeting.state,
        )
    ]


def _steps() -> list[_Source]:
    of_process = AgreedStep.process_id == _PROCESS
    step: dict[str, Any] = {"word": AgreedStep.status, "sealed": AgreedStep.what}
    return [
        _source(STEP_AGREED, AgreedStep.agreed_on, AgreedStep.id, [of_process], **step),
        _source(STEP_DEADLINE, AgreedStep.deadline, AgreedStep.id, [of_process], **step),
        _source(
            STEP_CLOSED,
            sa.func.coalesce(StepChange.on, day_of(StepChange.changed_at)),
            StepChange.id,
            [of_process, StepChange.status != StepStatus.OPEN],
            joined=sa.join(StepChange, AgreedStep, AgreedStep.id == StepChange.step_id),
            ref=AgreedStep.id,
            word=StepChange.status,
            sealed=AgreedStep.what,
        ),
    ]


def _his_receipts() -> list[_Source]:
    confirmed = [
        PrivateLink.process_id == _PROCESS,
        PrivateLink.kind == LinkKind.HIM,
        PrivateLink.confirmed_at.is_not(None),
    ]
    return [
        _source(
            RECEIPT,
            day_of(PrivateLink.confirmed_at),
            PrivateLink.id,
            confirmed,
            ref=PrivateLink.minutes_id,
        )
    ]


def _reports() -> list[_Source]:
    released = [ReportBack.process_id == _PROCESS, ReportBack.released_at.is_not(None)]
    withdrawn = [*released, ReportBack.withdrawn_at.is_not(None)]
    return [
        _source(RELEASED, day_of(ReportBack.released_at), ReportBack.id, released),
        _source(WITHDRAWN, day_of(ReportBack.withdrawn_at), ReportBack.id, withdrawn),
    ]


_PLACES: tuple[tuple[str, Callable[[], list[_Source]]], ...] = (
    ("handover", _handover),
    ("demand", _demands),
    ("contact", _contacts),
    ("meeting", _meetings),
    ("step", _steps),
    ("step", _his_receipts),
    ("checkin", _checkins),
    ("report", _reports),
)


@translated_once
def _titles() -> dict[Any, str]:
    return {
        "handover": _("Handover from the support group"),
        "checkin": _("Check-in received"),
        "reflection": _("Written reflection received from him"),
        Direction.WE_WROTE: _("We wrote to him"),
        Direction.HE_WROTE: _("He answered"),
        Direction.SOMEONE_ELSE: _("Contact with someone else"),
        STEP_AGREED: _("Step agreed"),
        STEP_DEADLINE: _("Deadline of a step"),
        RECEIPT: _("He confirmed receiving the agreed steps"),
        RELEASED: _("Report-back released"),
        WITHDRAWN: _("Report-back withdrawn"),
    }


class _Events:
    """Rows of the places made into events, each word looked up once per page."""

    def __init__(self, process: Process, today: date) -> None:
        self.today = today
        self.titles = _titles()
        self.context = AgreedStep.context_for(process.id)
        self.opened: dict[int, str] = {}  # a step's words, opened once per page
        self.words: dict[tuple[Callable[[Any], str], Any], str] = {}

    def word(self, label: Callable[[Any], str], value: Any) -> str:
        key = (label, value)
        if key not in self.words:
            self.words[key] = label(value)
        return self.words[key]

    def of(self, row: sa.Row) -> Event:
        return _MAKE[row.rank](self, row)

    def form(self, row: sa.Row) -> Event:
        kind = "handover" if row.rank == HANDOVER else "checkin"
        link = ("submissions.show", {"submission_id": row.ident})
        return Event(row.day, kind, self.titles[row.word], link=link, seq=self.seq(row))

    def contact(self, row: sa.Row) -> Event:
        direction = Direction(row.word)
        return Event(
            row.day,
            "contact",
            self.titles[direction],
            detail=self.word(channel_label, row.word2),
            link=("submissions.show", {"submission_id": row.ref}),
            flag="answer" if direction is Direction.HE_WROTE else "",
            seq=self.seq(row),
        )

    def meeting(self, row: sa.Row) -> Event:
        state = MeetingState(row.word2)
        kind = self.word(meeting_kind_label, MeetingKind(row.word))
        return Event(
            row.day,
            "meeting",
            f"{kind}: {self.word(meeting_state_label, state)}",
            link=("submissions.show", {"submission_id": row.ref})
            if row.ref
            else ("meetings.index", {}),
            flag=state.value if state is not MeetingState.HELD else "",
            seq=self.seq(row),
        )

    def demand(self, row: sa.Row) -> Event:
        n = row.number
        link: tuple[str, dict[str, Any]] | None = ("demands.index", {})
        if row.rank == PROPOSED:
            title = _("Amendment to demand %(n)d proposed", n=n)
        elif row.rank == DECIDED:
            title = (
                _("Amendment to demand %(n)d approved", n=n)
                if AmendmentState(row.word) is AmendmentState.APPROVED
                else _("Amendment to demand %(n)d not approved", n=n)
            )
        else:
            status = self.word(demand_status_label, DemandStatus(row.word))
            title = _("Demand %(n)d: %(status)s", n=n, status=status)
            link = ("submissions.show", {"submission_id": row.ref}) if row.ref else None
        return Event(row.day, "demand", title, link=link, seq=self.seq(row))

    def step(self, row: sa.Row) -> Event:
        status = StepStatus(row.word)
        step_id = row.ref if row.rank == STEP_CLOSED else row.ident
        if step_id not in self.opened:
            self.opened[step_id] = open_text(row.sealed, self.context)
        if row.rank == STEP_CLOSED:
            title = self.word(_closed_title, status)
            flag = "missed" if status is StepStatus.MISSED else ""
        else:
            title = self.titles[row.rank]
            due = row.rank == STEP_DEADLINE and overdue(status, row.day, self.today)
            flag = "overdue" if due else ""
        link = ("steps.show", {"step_id": step_id})
        return Event(row.day, "step", title, self.opened[step_id], link, flag, self.seq(row))

    def receipt(self, row: sa.Row) -> Event:
        link = ("submissions.show", {"submission_id": row.ref}) if row.ref else None
        return Event(row.day, "step", self.titles[RECEIPT], link=link, seq=self.seq(row))

    def report(self, row: sa.Row) -> Event:
        link = ("reports.show", {"report_id": row.ident})
        return Event(row.day, "report", self.titles[row.rank], link=link, seq=self.seq(row))

    @staticmethod
    def seq(row: sa.Row) -> int:
        return _seq(row.rank, row.ident)


def _closed_title(status: StepStatus) -> str:
    return _("Step: %(status)s", status=step_status_label(status))


_MAKE: dict[int, Callable[[_Events, sa.Row], Event]] = {
    HANDOVER: _Events.form,
    CHECKIN: _Events.form,
    CONTACT: _Events.contact,
    MEETING: _Events.meeting,
    PROPOSED: _Events.demand,
    DECIDED: _Events.demand,
    DEMAND_STATUS: _Events.demand,
    STEP_AGREED: _Events.step,
    STEP_DEADLINE: _Events.step,
    STEP_CLOSED: _Events.step,
    RECEIPT: _Events.receipt,
    RELEASED: _Events.report,
    WITHDRAWN: _Events.report,
}


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


def _events(process: Process, today: date, kinds: set[str] | None, w: Window) -> list[Event]:
    making = _Events(process, today)
    events = [making.of(row) for row in _read(process, kinds, w)]
    if not kinds or "contact" in kinds:
        events += _silences(process, today, w)
    return events


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
