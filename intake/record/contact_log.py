"""The contact log: one entry per message sent or received, kept countable."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from intake.extensions import db
from intake.models import ContactEntry, Direction, Process, Submission


def sync_entry(process: Process, submission: Submission, answers: dict[str, Any]) -> ContactEntry:
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
    db.session.flush()
    return entry


def entries_of(process: Process, since: date | None = None, until: date | None = None):
    query = sa.select(ContactEntry.on, ContactEntry.direction).where(
        ContactEntry.process_id == process.id
    )
    if since:
        query = query.where(ContactEntry.on >= since)
    if until:
        query = query.where(ContactEntry.on <= until)
    return db.session.execute(query.order_by(ContactEntry.on, ContactEntry.id)).all()
