"""Saving filled-in forms: drafts, submissions, revisions and conflicts (R6).

Every save writes a revision, so nothing typed is ever overwritten. A save
names the version it started from; if someone else saved in between, the save
is refused as a conflict and the person sees both versions.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from intake.extensions import db
from intake.formdef import FormDefinition, parse_definition
from intake.formdef.loader import OWN_PREFIX
from intake.formdef.locking import claim
from intake.models import (
    Account,
    FormSnapshot,
    Process,
    Submission,
    SubmissionRevision,
    SubmissionStatus,
    utcnow,
)
from intake.questionnaires import store
from intake.security.encryption import open_json, seal_json
from intake.submissions import rules

DRAFT_KEY = "_draft"


class Conflict(Exception):
    """Someone else saved this record after the person opened it."""

    def __init__(self, submission: Submission) -> None:
        super().__init__("conflict")
        self.submission = submission


@dataclass(frozen=True)
class Saved:
    submission: Submission
    revision: SubmissionRevision


def definitions(process: Process | None = None) -> dict[str, FormDefinition]:
    """The built-in forms, and with a process, that process's own published questionnaires."""
    built_in: dict[str, FormDefinition] = current_app.extensions["intake.forms"]
    if process is None:
        return built_in
    return {**built_in, **store.published(process)}


def definition(form_id: str, process: Process | None = None) -> FormDefinition | None:
    """A built-in form, or the current version of one of this process's own questionnaires."""
    found = current_app.extensions["intake.forms"].get(form_id)
    if found is not None or process is None or not form_id.startswith(OWN_PREFIX):
        return found
    questionnaire = store.by_form_id(process, form_id)
    return store.latest(questionnaire) if questionnaire else None


def known_definition(form_id: str, process: Process | None = None) -> FormDefinition:
    """A form that is there for sure: a built-in one, or one that a stored row names."""
    found = definition(form_id, process)
    if found is None:
        raise KeyError(form_id)
    return found


@lru_cache(maxsize=256)
def _parse_snapshot(snapshot_id: int, text: str) -> FormDefinition:
    return parse_definition(json.loads(text), f"stored definition {snapshot_id}")


def definition_of(submission: Submission | SubmissionRevision) -> FormDefinition:
    """The definition a record was made with, even if forms/ has moved on since."""
    snapshot = submission.snapshot
    if snapshot.sealed is not None:
        text = json.dumps(open_json(snapshot.sealed, snapshot.encryption_context))
        return _parse_snapshot(snapshot.id, text)
    return _parse_snapshot(snapshot.id, snapshot.definition)


def snapshot_for(form: FormDefinition, process: Process | None = None) -> FormSnapshot:
    if form.id.startswith(OWN_PREFIX) and process is not None:
        # A process's own questionnaire was sealed into its snapshot when published.
        return store.snapshot_of(process.id, form.id, form.version)
    text = json.dumps(form.raw, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()
    same = sa.select(FormSnapshot).where(
        FormSnapshot.form_id == form.id,
        FormSnapshot.version == form.version,
        FormSnapshot.sha256 == digest,
    )
    found = db.session.scalar(same)
    if found is None:
        # Two first saves of a form at the same moment both find nothing: the insert that
        # comes second does nothing (it waits for the first on the unique index), and
        # both then read the one row instead of one of them failing.
        values = {"form_id": form.id, "version": form.version, "sha256": digest, "definition": text}
        db.session.execute(_insert(FormSnapshot).values(values).on_conflict_do_nothing())
        found = db.session.scalars(same).one()
    return found


def _insert(model: type[FormSnapshot]) -> Any:
    """This database's INSERT that can skip a row already there (SQLite or PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def answers_of(record: Submission | SubmissionRevision) -> dict[str, Any]:
    context = (
        record.encryption_context
        if isinstance(record, Submission)
        else record.submission.encryption_context
    )
    return open_json(record.answers, context)


def draft_formdata(answers: dict[str, Any]) -> list[list[str]] | None:
    return answers.get(DRAFT_KEY)


def save(
    process: Process,
    form: FormDefinition,
    author: Account | None,
    answers: dict[str, Any],
    *,
    submission: Submission | None = None,
    started_from: int | None = None,
    submit: bool,
    meeting_id: int | None = None,
) -> Saved:
    """Write a draft or a submission as a new revision; raises Conflict or RecordRefused."""
    now = utcnow()
    if submit:
        rules.check(process, form, answers, now, submission=submission, meeting_id=meeting_id)
    snapshot = snapshot_for(form, process)
    status = SubmissionStatus.SUBMITTED if submit else SubmissionStatus.DRAFT
    if submission is None:
        submission = Submission(
            process_id=process.id,
            form_id=form.id,
            form_version=form.version,
            snapshot_id=snapshot.id,
            status=status,
            answers=b"",
            lock_version=1,
            created_by_id=author.id if author else None,
            created_at=now,
            meeting_id=meeting_id,
        )
        db.session.add(submission)
        db.session.flush()
    else:
        if not claim(Submission, submission.id, started_from):
            db.session.refresh(submission)
            raise Conflict(submission)
        db.session.refresh(submission, ["lock_version"])
    sealed = seal_json(answers, submission.encryption_context)
    was_submitted = submission.status is SubmissionStatus.SUBMITTED
    submission.answers = sealed
    submission.status = SubmissionStatus.SUBMITTED if was_submitted else status
    submission.snapshot_id = snapshot.id
    submission.form_version = form.version
    submission.updated_by_id = author.id if author else None
    submission.updated_at = now
    if submit and submission.submitted_at is None:
        submission.submitted_at = now
    if submit and form.dated_by:
        day = answers.get(form.dated_by)
        submission.happened_on = date.fromisoformat(day) if day else None
    revision = _draft_to_replace(submission, author, submit)
    if revision is None:
        revision = SubmissionRevision(submission_id=submission.id, number=_next_number(submission))
        db.session.add(revision)
    revision.status = submission.status
    revision.snapshot_id = snapshot.id
    revision.answers = sealed
    revision.made_by_id = author.id if author else None
    revision.made_at = now
    db.session.flush()
    if submit:
        rules.after_submit(process, form, submission, answers, author)
    elif was_submitted:
        rules.after_answers_changed(form, submission, answers)
    return Saved(submission, revision)


def _latest_revision(submission: Submission) -> SubmissionRevision | None:
    return db.session.scalar(
        sa.select(SubmissionRevision)
        .where(SubmissionRevision.submission_id == submission.id)
        .order_by(SubmissionRevision.number.desc())
        .limit(1)
    )


def _next_number(submission: Submission) -> int:
    latest = _latest_revision(submission)
    return latest.number + 1 if latest else 1


def _draft_to_replace(
    submission: Submission, author: Account | None, submit: bool
) -> SubmissionRevision | None:
    """The draft revision this save overwrites, if any.

    Saving a draft again replaces the same person's latest draft instead of
    stacking full copies (a link could otherwise fill the disk). Another
    person's draft is never replaced: that is their work. A link's answer,
    once sent, replaces its draft too: nobody but the link holder could ever
    read that draft, and the link holder cannot come back to it.
    """
    latest = _latest_revision(submission)
    if latest is None or latest.status is not SubmissionStatus.DRAFT:
        return None
    if latest.made_by_id != (author.id if author else None):
        return None
    if submit and author is not None:
        return None
    return latest


def submissions_of(process: Process, form_ids: list[str]) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.process_id == process.id, Submission.form_id.in_(form_ids))
            .order_by(Submission.updated_at.desc())
        )
    )


def first_of(process: Process, form_id: str) -> Submission | None:
    return db.session.scalar(
        sa.select(Submission)
        .where(Submission.process_id == process.id, Submission.form_id == form_id)
        .order_by(Submission.id)
        .limit(1)
    )
