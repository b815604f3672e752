"""What submitting a record checks and sets in motion, by form.

A handover creates the demands; minutes create or update their meeting, the
agreed steps and the demands' status; a contact record feeds the contact log.
Checks run before anything is written, so a refusal loses nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from intake.formdef import FormDefinition
from intake.formdef.model import localised
from intake.models import Account, Process, Submission
from intake.record import contact_log, demands, meetings, steps


class RecordRefused(ValueError):
    """The record cannot be submitted like this; the message says what to fix."""


def check(
    process: Process,
    form: FormDefinition,
    answers: dict[str, Any],
    now: datetime,
    *,
    submission: Submission | None = None,
    meeting_id: int | None = None,
) -> None:
    if form.dated_by and answers.get(form.dated_by):
        day = date.fromisoformat(answers[form.dated_by])
        if day > now.date():
            label = localised(form.field(form.dated_by).label, str(get_locale() or "en"))
            raise RecordRefused(str(_l("%(question)s: that day is still to come.", question=label)))
    if form.id == "handover":
        try:
            demands.check_handover(process, form, answers)
        except demands.DemandsFixed as exc:
            raise RecordRefused(str(exc)) from exc
    elif form.id == "minutes":
        problem = meetings.check_minutes(answers, now)
        own = submission is not None and submission.meeting_id is not None
        if problem is None:
            problem = meetings.check_outcome_against_meeting(
                process, answers, meeting_id or (submission.meeting_id if submission else None), own
            )
        if problem is None and answers.get("planned_date"):
            problem = steps.check_minutes_steps(
                answers, date.fromisoformat(answers["planned_date"])
            )
        if problem:
            raise RecordRefused(problem)


def after_submit(
    process: Process,
    form: FormDefinition,
    submission: Submission,
    answers: dict[str, Any],
    author: Account | None,
) -> None:
    if form.id == "handover":
        demands.after_handover(process, submission, answers)
    elif form.id == "minutes":
        if author is None:
            raise ValueError("Minutes are written by a member, never through a private link.")
        day = date.fromisoformat(answers["planned_date"])
        meetings.from_minutes(process, submission, answers, author)
        steps.steps_from_minutes(process, submission, answers, day, author)
        demands.record_statuses(process, submission, answers, day, author)
    elif form.id == "contact":
        contact_log.sync_entry(process, submission, form, answers)


def after_answers_changed(
    form: FormDefinition, submission: Submission, answers: dict[str, Any]
) -> None:
    """A submitted record's answers were saved without submitting them again (a draft
    save): what is kept beside its words must still follow them."""
    if form.id == "contact":
        contact_log.note_changed(submission, form, answers)
