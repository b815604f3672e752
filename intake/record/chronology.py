"""One dated list of everything in a process, built from the records, never typed twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

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
from intake.record.silence import gaps
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


def _handover_and_checkins(process: Process) -> list[Event]:
    rows = db.session.execute(
        sa.select(
            Submission.id, Submission.form_id, Submission.submitted_at, Submission.happened_on
        ).where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.form_id.in_(["handover", "checkin", "reflection"]),
        )
    ).all()
    titles = {
        "handover": _("Handover from the support group"),
        "checkin": _("Check-in received"),
        "reflection": _("Written reflection received from him"),
    }
    kinds = {"handover": "handover", "checkin": "checkin", "reflection": "checkin"}
    return [
        Event(
            happened_on or at.date(),  # the day it happened, if the form asks it
            kinds[form_id],
            titles[form_id],
            link=("submissions.show", {"submission_id": submission_id}),
        )
        for submission_id, form_id, at, happened_on in rows
        if at is not None
    ]


def _demands(process: Process) -> list[Event]:
    events = []
    numbers = dict(
        db.session.execute(
            sa.select(Demand.id, Demand.number).where(Demand.process_id == process.id)
        )
        .tuples()
        .all()
    )
    amendments = db.session.execute(
        sa.select(
            DemandAmendment.demand_id,
            DemandAmendment.state,
            DemandAmendment.proposed_at,
            DemandAmendment.decided_at,
            DemandAmendment.decided_on,
        ).where(DemandAmendment.demand_id.in_(numbers))
    ).all()
    for demand_id, state, proposed_at, decided_at, decided_on in amendments:
        decided_day = decided_on or (decided_at.date() if decided_at else None)
        n = numbers[demand_id]
        link: tuple[str, dict] = ("demands.index", {})
        events.append(
            Event(
                proposed_at.date(),
                "demand",
                _("Amendment to demand %(n)d proposed", n=n),
                link=link,
            )
        )
        if decided_day is None:  # not decided yet
            continue
        if state is AmendmentState.APPROVED:
            events.append(
                Event(
                    decided_day,
                    "demand",
                    _("Amendment to demand %(n)d approved", n=n),
                    link=link,
                )
            )
        elif state is AmendmentState.REJECTED:
            events.append(
                Event(
                    decided_day,
                    "demand",
                    _("Amendment to demand %(n)d not approved", n=n),
                    link=link,
                )
            )
    changes = db.session.execute(
        sa.select(
            DemandStatusChange.demand_id,
            DemandStatusChange.status,
            DemandStatusChange.on,
            DemandStatusChange.minutes_id,
            DemandStatusChange.evidence_id,
        ).where(DemandStatusChange.demand_id.in_(numbers))
    ).all()

    for demand_id, status, on, minutes_id, evidence_id in changes:
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
            )
        )
    return events


def _contacts(process: Process) -> list[Event]:
    titles = {
        Direction.WE_WROTE: _("We wrote to him"),
        Direction.HE_WROTE: _("He answered"),
        Direction.SOMEONE_ELSE: _("Contact with someone else"),
    }
    rows = db.session.execute(
        sa.select(
            ContactEntry.on,
            ContactEntry.direction,
            ContactEntry.channel,
            ContactEntry.submission_id,
        ).where(ContactEntry.process_id == process.id)
    ).all()
    return [
        Event(
            on,
            "contact",
            titles[direction],
            detail=channel_label(channel),
            link=("submissions.show", {"submission_id": submission_id}),
            flag="answer" if direction is Direction.HE_WROTE else "",
        )
        for on, direction, channel, submission_id in rows
    ]


def _meetings(process: Process) -> list[Event]:
    """Each meeting, linked to its minutes where they were written."""
    minutes = dict(
        db.session.execute(
            sa.select(Submission.meeting_id, Submission.id).where(
                Submission.process_id == process.id,
                Submission.meeting_id.is_not(None),
                Submission.status == SubmissionStatus.SUBMITTED,
            )
        )
        .tuples()
        .all()
    )
    rows = db.session.execute(
        sa.select(Meeting.id, Meeting.kind, Meeting.starts_at, Meeting.state).where(
            Meeting.process_id == process.id
        )
    ).all()
    return [
        Event(
            starts_at.date(),
            "meeting",
            f"{meeting_kind_label(kind)}: {meeting_state_label(state)}",
            link=("submissions.show", {"submission_id": minutes[meeting_id]})
            if meeting_id in minutes
            else ("meetings.index", {}),
            flag=state.value if state is not MeetingState.HELD else "",
        )
        for meeting_id, kind, starts_at, state in rows
    ]


def _steps(process: Process, today: date) -> list[Event]:
    events = []
    rows = db.session.scalars(
        sa.select(AgreedStep).where(AgreedStep.process_id == process.id)
    ).all()
    what = {s.id: open_text(s.what, s.encryption_context) for s in rows}
    for step in rows:
        link = ("steps.show", {"step_id": step.id})
        events.append(Event(step.agreed_on, "step", _("Step agreed"), what[step.id], link))
        events.append(
            Event(
                step.deadline,
                "step",
                _("Deadline of a step"),
                what[step.id],
                link,
                flag="overdue" if step.is_overdue(today) else "",
            )
        )
    closed = db.session.execute(
        sa.select(StepChange.step_id, StepChange.status, StepChange.on, StepChange.changed_at)
        .join(AgreedStep, AgreedStep.id == StepChange.step_id)
        .where(AgreedStep.process_id == process.id, StepChange.status != StepStatus.OPEN)
    ).all()
    for step_id, status, on, at in closed:
        events.append(
            Event(
                on or at.date(),
                "step",
                _("Step: %(status)s", status=step_status_label(status)),
                what[step_id],
                ("steps.show", {"step_id": step_id}),
                flag="missed" if status is StepStatus.MISSED else "",
            )
        )
    return events


def _silences(process: Process, today: date) -> list[Event]:
    """Silences longer than the group's limit, marked where they began."""
    from intake.record.glance import facts_of  # the figures' own facts, counted the same way

    limit = process.silence_alarm_days
    return [
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
        )
        for gap in gaps(facts_of(process), today)
        if gap.days > limit
    ]


def _his_receipts(process: Process) -> list[Event]:
    rows = db.session.execute(
        sa.select(PrivateLink.confirmed_at, PrivateLink.minutes_id).where(
            PrivateLink.process_id == process.id,
            PrivateLink.kind == LinkKind.HIM,
            PrivateLink.confirmed_at.is_not(None),
        )
    ).all()
    return [
        Event(
            at.date(),
            "step",
            _("He confirmed receiving the agreed steps"),
            link=("submissions.show", {"submission_id": minutes_id}) if minutes_id else None,
        )
        for at, minutes_id in rows
    ]


def _reports(process: Process) -> list[Event]:
    rows = db.session.execute(
        sa.select(ReportBack.id, ReportBack.released_at, ReportBack.withdrawn_at).where(
            ReportBack.process_id == process.id, ReportBack.released_at.is_not(None)
        )
    ).all()
    events = []
    for report_id, released_at, withdrawn_at in rows:
        link = ("reports.show", {"report_id": report_id})
        events.append(Event(released_at.date(), "report", _("Report-back released"), link=link))
        if withdrawn_at:
            events.append(
                Event(withdrawn_at.date(), "report", _("Report-back withdrawn"), link=link)
            )
    return events


def chronology(
    process: Process,
    today: date,
    *,
    kinds: set[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Event]:
    """Every event of the process, oldest first, optionally only some kinds or a period."""
    events = [
        *_handover_and_checkins(process),
        *_demands(process),
        *_contacts(process),
        *_silences(process, today),
        *_meetings(process),
        *_steps(process, today),
        *_his_receipts(process),
        *_reports(process),
    ]
    if kinds:
        events = [e for e in events if e.kind in kinds]
    if since:
        events = [e for e in events if e.on >= since]
    if until:
        events = [e for e in events if e.on <= until]
    return sorted(events, key=lambda e: (e.on, KINDS.index(e.kind)))
