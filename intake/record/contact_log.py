"""The contact log: one entry per message sent or received, kept countable."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from intake.extensions import db, rows_changed
from intake.formdef import FormDefinition
from intake.formdef.travel import words_travel
from intake.models import ContactEntry, Direction, Process, Submission


def sync_entry(
    process: Process, submission: Submission, form: FormDefinition, answers: dict[str, Any]
) -> ContactEntry:
    """Keep the countable facts of a contact record in step with its latest answers."""
    entry = db.session.scalar(
        sa.select(ContactEntry).where(ContactEntry.submission_id == submission.id)
    )
    if entry is None:
        entry = ContactEntry(process_id=process.id, submission_id=submission.id)
        db.session.add(entry)
    entry.on = date.fromisoformat(answers["date"])
    entry.direction = Direction(answers["direction"])
    entry.channel = answers.get("channel") or "other"
    entry.awaiting_answer = answers.get("awaiting_answer") == "yes"
    entry.real_answer = answers.get("answer_kind") != "acknowledgement"
    entry.has_report_note = words_travel(form, answers)
    db.session.flush()
    return entry


def note_changed(submission: Submission, form: FormDefinition, answers: dict[str, Any]) -> None:
    """A record already in the log got new answers without being submitted again: its
    note for the report-back may have come or gone all the same."""
    entry = db.session.scalar(
        sa.select(ContactEntry).where(ContactEntry.submission_id == submission.id)
    )
    if entry is not None:
        entry.has_report_note = words_travel(form, answers)
        db.session.flush()


def entries_of(process: Process, since: date | None = None, until: date | None = None):
    query = sa.select(ContactEntry.on, ContactEntry.direction).where(
        ContactEntry.process_id == process.id
    )
    if since:
        query = query.where(ContactEntry.on >= since)
    if until:
        query = query.where(ContactEntry.on <= until)
    return db.session.execute(query.order_by(ContactEntry.on, ContactEntry.id)).all()


def fill_in_report_notes(batch: int = 200) -> int:
    """Say for each entry written before it was kept whether its record has a note for
    the report-back; returns how many. Committed batch by batch, so the service keeps
    answering; an entry a worker saved meanwhile already says it and is left alone.
    Done by ``intake keys rotate``, which opens every record anyway."""
    from intake.submissions import service

    filled = 0
    last = 0
    while True:
        rows = db.session.execute(
            sa.select(ContactEntry.id, Submission)
            .join(Submission, Submission.id == ContactEntry.submission_id)
            .where(ContactEntry.id > last, ContactEntry.has_report_note.is_(None))
            .order_by(ContactEntry.id)
            .limit(batch)
        ).all()
        if not rows:
            return filled
        last = rows[-1][0]
        found: dict[bool, list[int]] = {True: [], False: []}
        for entry_id, submission in rows:
            try:
                answers = service.answers_of(submission)
                found[words_travel(service.definition_of(submission), answers)].append(entry_id)
            except Exception as exc:
                # Any record that cannot be read, for any reason, stays unknown, so a
                # report still reads it; `intake check` says why. Only the kind of error
                # is logged: its text could quote the record.
                current_app.logger.warning(
                    "Contact entry %d left unknown: %s", entry_id, type(exc).__name__
                )
                continue
        for note, ids in found.items():
            if ids:
                filled += rows_changed(
                    sa.update(ContactEntry)
                    .where(ContactEntry.id.in_(ids), ContactEntry.has_report_note.is_(None))
                    .values(has_report_note=note)
                    .execution_options(synchronize_session=False)
                )
        db.session.commit()
        db.session.expunge_all()
