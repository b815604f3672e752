"""Meetings: planned, then held or missed; the cadence says when the next one is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.formdef.locking import claim
from intake.labels import meeting_state_label
from intake.models import Account, Meeting, MeetingKind, MeetingState, Process, Submission, utcnow
from intake.record import log_version, paging
from intake.record.sqldays import day_of
from intake.security.encryption import open_text, seal_text

# Past meetings per page: a meeting is a few lines with its links, so fewer than the
# contact log's table rows; 25 are a year of meeting every two weeks.
PAST_PAGE_SIZE = 25


class MeetingError(ValueError):
    """A meeting change that cannot be made, in words for the person."""


class MeetingConflict(MeetingError):
    pass


@dataclass(frozen=True)
class MeetingView:
    id: int
    kind: MeetingKind
    starts_at: datetime
    place: str
    expected: str
    state: MeetingState
    minutes_id: int | None
    lock_version: int


@dataclass(frozen=True)
class Cadence:
    """When the next meeting with him is due, by the agreed rhythm."""

    every_days: int | None
    last_held: date | None
    next_planned: datetime | None
    due_on: date | None
    overdue: bool


def _open(blob: bytes | None, context: str) -> str:
    return open_text(blob, context) if blob else ""


def views(process: Process) -> list[MeetingView]:
    """Every meeting of the process, oldest first (the archive, the calendar file)."""
    rows = db.session.scalars(
        sa.select(Meeting).where(Meeting.process_id == process.id).order_by(Meeting.starts_at)
    ).all()
    return _views_of(process, rows, None)


def _views_of(
    process: Process, rows: Sequence[Meeting], ids: list[int] | None
) -> list[MeetingView]:
    """``rows`` as pages show them; the minutes looked up for ``ids`` only (all if None)."""
    query = sa.select(Submission.meeting_id, Submission.id).where(
        Submission.process_id == process.id,
        Submission.meeting_id.is_not(None),
        Submission.form_id == "minutes",
    )
    if ids is not None:
        if not ids:
            return []
        query = query.where(Submission.meeting_id.in_(ids))
    minutes = dict(db.session.execute(query).tuples().all())
    return [
        MeetingView(
            m.id,
            m.kind,
            m.starts_at,
            _open(m.place, m.encryption_context),
            _open(m.expected, m.encryption_context),
            m.state,
            minutes.get(m.id),
            m.lock_version,
        )
        for m in rows
    ]


@dataclass(frozen=True)
class InSight:
    """The meetings a meetings page shows whatever page of the past it is on."""

    upcoming: list[MeetingView]  # every meeting still to come, soonest first
    # Past meetings still only planned, latest first: whether they were held is still to
    # be recorded, so they stay in sight however old they are.
    awaiting_outcome: list[MeetingView]


def in_sight(process: Process, now: datetime, *, awaiting: bool) -> InSight:
    """The meetings to come and (if ``awaiting``) those awaiting their outcome, read in
    one question and their minutes in one more: each is a round trip to the database."""
    to_come = Meeting.starts_at >= now
    shown = sa.or_(to_come, Meeting.state == MeetingState.PLANNED) if awaiting else to_come
    rows = db.session.execute(
        sa.select(Meeting, to_come.label("to_come"))
        .where(Meeting.process_id == process.id, shown)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    found = _views_of(process, [m for m, _later in rows], [m.id for m, _later in rows])
    upcoming: list[MeetingView] = []
    waiting: list[MeetingView] = []
    for view, (_meeting, later) in zip(found, rows, strict=True):
        (upcoming if later else waiting).append(view)
    return InSight(upcoming=upcoming, awaiting_outcome=waiting[::-1])  # latest first


def past_page(
    process: Process,
    now: datetime,
    *,
    before: paging.Cursor | None = None,
    after: paging.Cursor | None = None,
    size: int = PAST_PAGE_SIZE,
) -> paging.Page:
    """One page of the past meetings whose outcome is recorded (held, missed, cancelled),
    latest day first; only that page's meetings are read and unsealed."""
    page = paging.newest_first(
        sa.select(Meeting).where(
            Meeting.process_id == process.id,
            Meeting.starts_at < now,
            Meeting.state != MeetingState.PLANNED,
        ),
        day_of(Meeting.starts_at),
        Meeting.id,
        before=before,
        after=after,
        size=size,
        key=lambda m: (m.starts_at.date(), m.id),
    )
    return replace(page, items=_views_of(process, page.items, [m.id for m in page.items]))


def days_with_him(process: Process, start: date, end: date) -> list[tuple[date, MeetingState]]:
    """The days of the meetings with him held or missed from ``start`` to ``end``."""
    day = day_of(Meeting.starts_at)
    rows = db.session.execute(
        sa.select(day, Meeting.state).where(
            Meeting.process_id == process.id,
            Meeting.kind == MeetingKind.WITH_HIM,
            Meeting.state.in_([MeetingState.HELD, MeetingState.MISSED]),
            day >= start,
            day <= end,
        )
    ).all()
    return [(d, state) for d, state in rows]


def plan(
    process: Process,
    *,
    kind: MeetingKind,
    starts_at: datetime,
    place: str,
    expected: str,
    by: Account,
    state: MeetingState = MeetingState.PLANNED,
    now: datetime | None = None,
) -> Meeting:
    check_state(state, starts_at, now or utcnow())
    meeting = Meeting(
        process_id=process.id,
        kind=kind,
        starts_at=starts_at,
        state=state,
        created_by_id=by.id,
    )
    context = f"process:{process.id}:meeting"
    meeting.place = seal_text(place.strip(), context) if place.strip() else None
    meeting.expected = seal_text(expected.strip(), context) if expected.strip() else None
    db.session.add(meeting)
    db.session.flush()
    return meeting


def check_state(state: MeetingState, starts_at: datetime, now: datetime) -> None:
    if state in (MeetingState.HELD, MeetingState.MISSED) and starts_at > now:
        raise MeetingError(
            _l("A meeting in the future cannot have been held or missed yet. Check the date.")
        )


def record_outcome(
    meeting: Meeting, state: MeetingState, started_from: int | None, now: datetime | None = None
) -> None:
    check_state(state, meeting.starts_at, now or utcnow())
    if not claim(Meeting, meeting.id, started_from, state=state):
        raise MeetingConflict(_l("Someone changed this meeting meanwhile. Check it and try again."))
    log_version.changed(db.session(), {meeting.process_id})  # a plain UPDATE: no flush saw it
    db.session.expire(meeting)


def _as_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def meeting_of_minutes(
    process: Process, answers: dict[str, Any], meeting_id: int | None
) -> Meeting | None:
    """The meeting minutes are for: the one they were written for, or else the meeting of
    the same kind on the same day that has no minutes yet (one meeting, never two)."""
    if meeting_id is not None:
        return db.session.get(Meeting, meeting_id)
    if not answers.get("planned_date"):
        return None
    day = date.fromisoformat(answers["planned_date"])
    kind = MeetingKind(answers.get("kind") or MeetingKind.WITH_HIM.value)
    has_minutes = sa.select(Submission.meeting_id).where(
        Submission.meeting_id.is_not(None), Submission.process_id == process.id
    )
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.process_id == process.id,
            Meeting.kind == kind,
            Meeting.starts_at >= datetime.combine(day, time(), tzinfo=UTC),
            Meeting.starts_at < datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC),
            Meeting.id.not_in(has_minutes),
        )
        .order_by(Meeting.id)
        .limit(1)
    )


def check_outcome_against_meeting(
    process: Process, answers: dict[str, Any], meeting_id: int | None, own: bool
) -> str | None:
    """Minutes never overwrite what is recorded of a meeting without saying so.

    ``own``: these minutes already belong to the meeting (an edit), so their outcome is
    the meeting's own record and may be corrected.
    """
    meeting = meeting_of_minutes(process, answers, meeting_id)
    outcome = answers.get("outcome")
    if meeting is None or own or not outcome or meeting.state is MeetingState.PLANNED:
        return None
    if meeting.state.value == outcome:
        return None
    return str(
        _l(
            "The meeting on %(date)s is already recorded as %(state)s, but these minutes say "
            "%(outcome)s. Choose the same outcome here, or change the meeting on the meetings "
            "page first.",
            date=format_date(meeting.starts_at, "medium"),
            state=meeting_state_label(meeting.state),
            outcome=meeting_state_label(MeetingState(outcome)),
        )
    )


def from_minutes(
    process: Process, minutes: Submission, answers: dict[str, Any], by: Account
) -> Meeting:
    """Minutes always belong to a meeting: their outcome becomes the meeting's state."""
    state = MeetingState(answers.get("outcome") or MeetingState.HELD.value)
    day = date.fromisoformat(answers["planned_date"])
    meeting = meeting_of_minutes(process, answers, minutes.meeting_id)
    if meeting is not None:
        minutes.meeting_id = meeting.id
    if meeting is None:
        # A meeting is stored at noon of its day; minutes of this morning's meeting
        # are judged by their day, as check_minutes judged them, not by that hour.
        now = utcnow()
        if day <= now.date():
            now = max(now, _as_start(day))
        meeting = plan(
            process,
            kind=MeetingKind(answers.get("kind") or MeetingKind.WITH_HIM.value),
            starts_at=_as_start(day),
            place="",
            expected="",
            by=by,
            state=state,
            now=now,
        )
        minutes.meeting_id = meeting.id
    else:
        meeting.state = state
        meeting.kind = MeetingKind(answers.get("kind") or meeting.kind.value)
        meeting.lock_version += 1
    db.session.flush()
    return meeting


def check_minutes(answers: dict[str, Any], now: datetime) -> str | None:
    if not answers.get("planned_date"):
        return None
    try:
        check_state(
            MeetingState(answers.get("outcome") or "planned"),
            _as_start(date.fromisoformat(answers["planned_date"])) - timedelta(hours=12),
            now,
        )
    except MeetingError as exc:
        return str(exc)
    return None


def cadence(process: Process, meetings: list[MeetingView], today: date) -> Cadence:
    with_him = [m for m in meetings if m.kind is MeetingKind.WITH_HIM]
    held = [m.starts_at.date() for m in with_him if m.state is MeetingState.HELD]
    to_come = [
        m.starts_at
        for m in with_him
        if m.state is MeetingState.PLANNED and m.starts_at.date() >= today
    ]
    return _cadence(process, max(held) if held else None, min(to_come) if to_come else None, today)


def cadence_of(process: Process, today: date) -> Cadence:
    """``cadence`` of all the process's meetings, found by the database in one query."""
    with_him = sa.and_(Meeting.process_id == process.id, Meeting.kind == MeetingKind.WITH_HIM)
    last_held = (
        sa.select(sa.func.max(Meeting.starts_at))
        .where(with_him, Meeting.state == MeetingState.HELD)
        .scalar_subquery()
    )
    next_planned = (
        sa.select(sa.func.min(Meeting.starts_at))
        .where(with_him, Meeting.state == MeetingState.PLANNED, day_of(Meeting.starts_at) >= today)
        .scalar_subquery()
    )
    held, planned = db.session.execute(sa.select(last_held, next_planned)).one()
    return _cadence(process, held.date() if held else None, planned, today)


def _cadence(
    process: Process, last_held: date | None, next_planned: datetime | None, today: date
) -> Cadence:
    every = process.meeting_cadence_days
    due_on = last_held + timedelta(days=every) if every and last_held else None
    overdue = bool(due_on and due_on < today and next_planned is None)
    return Cadence(every, last_held, next_planned, due_on, overdue)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_moment(moment: datetime) -> str:
    # Written out by hand: strftime leaves years before 1000 unpadded on some systems.
    m = moment.astimezone(UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"


def _an_hour_after(start: datetime) -> datetime | None:
    """The end of a meeting, or None when the calendar has no hour after it.

    Forms refuse such dates, but a meeting stored earlier (or typed into minutes)
    must not break the calendar file: without an end, an event lasts no time."""
    try:
        return start + timedelta(hours=1)
    except OverflowError:
        return None


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " "
        current += char
    return [*out, current]


def ical(process: Process, meetings: list[MeetingView], host: str, titles: dict[str, str]) -> str:
    """Upcoming meetings as an iCalendar file; nothing about the survivor goes into it."""
    stamp = _ics_moment(utcnow())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//intake//meetings//EN",
        "CALSCALE:GREGORIAN",
    ]
    for m in meetings:
        if m.state is not MeetingState.PLANNED:
            continue
        start = m.starts_at.astimezone(UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_moment(start)}",
        ]
        end = _an_hour_after(start)
        if end is not None:
            lines.append(f"DTEND:{_ics_moment(end)}")
        lines.append(f"SUMMARY:{_ics_text(titles[m.kind.value])}")
        if m.place:
            lines.append(f"LOCATION:{_ics_text(m.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
