"""What a report-back says, assembled from the records; only what may travel.

Nothing marked ``internal`` or ``never`` is read here, so it cannot reach a
PDF: demands and agreed steps come from report-travel fields, check-in words
only where their authors agreed to be quoted, the assessment only from its
report-travel questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import Markup

from intake.checkins.results import QuestionResult, results
from intake.clock import today
from intake.extensions import db
from intake.formdef.loader import OWN_PREFIX
from intake.formdef.model import localised
from intake.models import (
    ContactEntry,
    DemandStatus,
    DemandStatusChange,
    LinkKind,
    Meeting,
    PrivateLink,
    Process,
    StepStatus,
    Submission,
    SubmissionStatus,
)
from intake.record import demands, glance
from intake.record.chronology import STEP_CLOSED, Event, chronology, place_of
from intake.record.meetings import views as meeting_views
from intake.record.silence import Period, Silence, period
from intake.record.steps import StepView, steps_of
from intake.report import grouped, story
from intake.submissions import service


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
    closing: bool  # the last report-back: it closes the process
    made_on: date
    summary: list[str]  # sentences made from the figures, read first
    demands: list[DemandRow]
    silence: Silence  # since the start, as of the last day of the report
    period: Period  # what happened within the report's days
    silence_alarm_days: int
    timeline: Markup
    events: list[Event]
    steps: list[StepView]
    checkins_answered: int
    checkins: list[QuestionResult]
    checkins_sent: int  # invitations that went out in the period; none: no section
    # The words that may travel, printed under one event of the record they come from.
    notes: dict[int, list[str]] = field(default_factory=dict)  # by index in ``events``
    assessment: list[tuple[str, str]] = field(default_factory=list)
    # The process's own questionnaires sent by link: (title, answers, results), like the
    # built-in check-in's, with only what may travel and words only with consent.
    own_checkins: list[tuple[str, int, list[QuestionResult]]] = field(default_factory=list)
    # The chronology as printed: notable events, the contact log one line per month.
    chronicle: list[grouped.Line] = field(default_factory=list)
    # Every event one by one (``events`` with their ``notes``), after the report.
    appendix: bool = False


def _record_of(event: Event) -> int | None:
    if event.link and event.link[0] == "submissions.show":
        return event.link[1]["submission_id"]
    return None


def _place_notes(events: list[Event], by_record: dict[int, list[str]]) -> dict[int, list[str]]:
    """Each record's notes go under one event: its meeting if it has one, else its first."""
    placed: dict[int, int] = {}
    for n, event in enumerate(events):
        submission_id = _record_of(event)
        if submission_id not in by_record:
            continue
        if submission_id not in placed or (
            event.kind == "meeting" and events[placed[submission_id]].kind != "meeting"
        ):
            placed[submission_id] = n
    return {n: by_record[submission_id] for submission_id, n in placed.items()}


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
    first_happened = db.session.scalar(
        sa.select(sa.func.min(Submission.happened_on)).where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
        )
    )
    if first_happened:
        candidates.append(first_happened)
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
    closing: bool = False,
    assessment: Submission | None = None,
    made_on: date | None = None,
    appendix: bool = False,
) -> ReportContent:
    """What the report-back says, in the process's language whoever asks for it: the
    chronology's events and the picture are worded here, not in the template."""
    with force_locale(process.language):
        return _assemble(
            process,
            since,
            until,
            whole=whole,
            closing=closing,
            assessment=assessment,
            made_on=made_on,
            appendix=appendix,
        )


def _assemble(
    process: Process,
    since: date,
    until: date,
    *,
    whole: bool,
    closing: bool,
    assessment: Submission | None,
    made_on: date | None,
    appendix: bool,
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
    step_list = [s for s in steps_of(process, until) if s.agreed_on <= until]
    facts = glance.facts_of(process)
    silence = glance.silence_of(process, until)
    checkin_form = service.definition("checkin")
    answered, questions = (
        results(process, checkin_form, locale, since=since, until=until, for_report=True)
        if checkin_form
        else (0, [])
    )
    own_checkins = _own_checkins(process, locale, since, until)
    span_start = max(since, until - timedelta(days=365 * 5))
    events = [e for e in chronology(process, until, since=since, until=until) if e.kind != "report"]
    record_ids = {r for r in map(_record_of, events) if r is not None}
    numbers = {str(d.id): d.number for d in views}
    within = period(facts, since, until)
    notes = _place_notes(events, story.travel_notes(record_ids, locale, numbers))
    months = grouped.months_of_contacts(process, since, until)
    return ReportContent(
        pseudonym=process.pseudonym,
        language=locale,
        since=since,
        until=until,
        whole=whole or closing,
        closing=closing,
        made_on=made_on or today(),
        summary=story.summary(
            within,
            silence,
            [row.status_now for row in rows],
            len(step_list),
            whole=whole or closing,
        ),
        demands=rows,
        silence=silence,
        period=within,
        silence_alarm_days=process.silence_alarm_days,
        timeline=glance.timeline(process, span_start, until, meetings),
        events=events,
        steps=step_list if whole or closing else _steps_of_period(step_list, events, since),
        checkins_answered=answered,
        checkins=[q for q in questions if q.counts or q.texts],
        checkins_sent=_checkins_sent(process, since, until),
        notes=notes,
        assessment=_assessment(assessment, locale),
        own_checkins=own_checkins,
        chronicle=grouped.grouped(events, notes, months, step_list),
        appendix=appendix,
    )


def _steps_of_period(steps: list[StepView], events: list[Event], since: date) -> list[StepView]:
    """The steps a report-back of a period is about: agreed, due or closed in it, and
    every step still open. One kept and closed before the period was in an earlier
    report-back; in a process of years, listing them all again would bury the rest."""
    closed = {
        e.link[1]["step_id"]
        for e in events
        if place_of(e) == STEP_CLOSED and e.link and e.link[0] == "steps.show"
    }
    return [
        s
        for s in steps
        if s.agreed_on >= since
        or s.deadline >= since
        or s.status is StepStatus.OPEN
        or s.id in closed
    ]


def _own_checkins(
    process: Process, locale: str, since: date, until: date
) -> list[tuple[str, int, list[QuestionResult]]]:
    found = []
    for definition in service.definitions(process).values():
        if not definition.id.startswith(OWN_PREFIX) or "link" not in definition.fill:
            continue
        answered, questions = results(
            process, definition, locale, since=since, until=until, for_report=True
        )
        if answered:
            kept = [q for q in questions if q.counts or q.texts]
            found.append((localised(definition.title, locale), answered, kept))
    return found


def _checkins_sent(process: Process, since: date, until: date) -> int:
    return db.session.execute(
        sa.select(sa.func.count(PrivateLink.id)).where(
            PrivateLink.process_id == process.id,
            PrivateLink.kind == LinkKind.CHECKIN,
            PrivateLink.created_at >= datetime.combine(since, time(), tzinfo=UTC),
            PrivateLink.created_at
            < datetime.combine(until + timedelta(days=1), time(), tzinfo=UTC),
        )
    ).scalar_one()
