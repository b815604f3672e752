"""What a report-back says, assembled from the records; only what may travel.

Nothing marked ``internal`` or ``never`` is read here, so it cannot reach a
PDF: demands and agreed steps come from report-travel fields, check-in words
only where their authors agreed to be quoted, the assessment only from its
report-travel questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup

from intake import demands, glance
from intake.checkin_results import QuestionResult, results
from intake.chronology import Event, chronology
from intake.contact_log import entries_of
from intake.extensions import db
from intake.formdef.model import localised
from intake.meetings import views as meeting_views
from intake.models import (
    ContactEntry,
    DemandStatus,
    DemandStatusChange,
    Meeting,
    MeetingKind,
    MeetingState,
    Process,
    Submission,
    SubmissionStatus,
)
from intake.records import service
from intake.silence import Silence, figures
from intake.steps import StepView, steps_of


@dataclass(frozen=True)
class DemandRow:
    number: int
    text: str
    original: str
    status_now: DemandStatus
    status_at_start: DemandStatus
    amendments: list[demands.AmendmentView]

    @property
    def changed(self) -> bool:
        return self.status_now is not self.status_at_start


@dataclass
class ReportContent:
    pseudonym: str
    language: str
    since: date
    until: date
    whole: bool
    demands: list[DemandRow]
    silence: Silence
    timeline: Markup
    events: list[Event]
    steps: list[StepView]
    checkins_answered: int
    checkins: list[QuestionResult]
    assessment: list[tuple[str, str]] = field(default_factory=list)


def first_day(process: Process) -> date:
    """The earliest day on record: records are often entered after the fact."""
    candidates = [process.created_at.date()]
    # Drafts do not count: an unsent check-in must not even move the report's first day.
    first_record = db.session.scalar(
        sa.select(sa.func.min(Submission.created_at)).where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
    )
    first_contact = db.session.scalar(
        sa.select(sa.func.min(ContactEntry.on)).where(ContactEntry.process_id == process.id)
    )
    first_meeting = db.session.scalar(
        sa.select(sa.func.min(Meeting.starts_at)).where(Meeting.process_id == process.id)
    )
    if first_record:
        candidates.append(first_record.date())
    if first_contact:
        candidates.append(first_contact)
    if first_meeting:
        candidates.append(first_meeting.date())
    return min(candidates)


def _status_at(changes: list[DemandStatusChange], day: date) -> DemandStatus:
    before = [c for c in changes if c.on < day]
    return before[-1].status if before else DemandStatus.NOT_STARTED


def _status_until(changes: list[DemandStatusChange], day: date) -> DemandStatus:
    after = [c for c in changes if c.on <= day]
    return after[-1].status if after else DemandStatus.NOT_STARTED


def _assessment(submission: Submission | None, locale: str) -> list[tuple[str, str]]:
    if submission is None or submission.status is not SubmissionStatus.SUBMITTED:
        return []
    definition = service.definition_of(submission)
    answers: dict[str, Any] = service.answers_of(submission)
    return [
        (localised(spec.label, locale), answers[spec.id])
        for spec in definition.fields()
        if spec.travel == "report" and isinstance(answers.get(spec.id), str)
    ]


def assemble(
    process: Process,
    since: date,
    until: date,
    *,
    whole: bool = False,
    assessment: Submission | None = None,
) -> ReportContent:
    locale = process.language
    views = demands.demand_views(process)
    rows = [
        DemandRow(
            d.number,
            d.current,
            d.original,
            _status_until(d.status_changes, until),
            _status_at(d.status_changes, since),
            [a for a in d.amendments if a.state.value == "approved"],
        )
        for d in views
    ]
    meetings = meeting_views(process)
    missed = sum(
        1
        for m in meetings
        if m.kind is MeetingKind.WITH_HIM
        and m.state is MeetingState.MISSED
        and m.starts_at.date() <= until
    )
    step_list = [s for s in steps_of(process, until) if s.agreed_on <= until]
    silence = figures(
        entries_of(process, until=until),
        until,
        meetings_missed=missed,
        steps_overdue=sum(1 for s in step_list if s.overdue),
    )
    checkin_form = service.definition("checkin")
    answered, questions = (
        results(process, checkin_form, locale, since=since, until=until, for_report=True)
        if checkin_form
        else (0, [])
    )
    span_start = max(since, until - timedelta(days=365 * 5))
    return ReportContent(
        pseudonym=process.pseudonym,
        language=locale,
        since=since,
        until=until,
        whole=whole,
        demands=rows,
        silence=silence,
        timeline=glance.timeline(process, span_start, until, meetings),
        events=[
            e for e in chronology(process, until, since=since, until=until) if e.kind != "report"
        ],
        steps=step_list,
        checkins_answered=answered,
        checkins=[q for q in questions if q.counts or q.texts],
        assessment=_assessment(assessment, locale),
    )
