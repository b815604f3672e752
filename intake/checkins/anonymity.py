"""Anonymous check-in answers stay unlinkable to the person who gave them.

The contact group knows whom it sent links to and sees who has answered.
An anonymous answer must not be matched to one of those people, so it carries
no time finer than the day it came in (a time of day, matched with someone's
"answered" moment, would name them), and lists put such answers in an order
that follows neither the order they came in nor their ids.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from intake.extensions import db
from intake.models import LinkKind, PrivateLink, Submission, SubmissionRevision


def anonymous_ids(process_id: int) -> set[int]:
    """The records of this process that are anonymous check-in answers."""
    return set(
        db.session.scalars(
            sa.select(PrivateLink.submission_id).where(
                PrivateLink.process_id == process_id,
                PrivateLink.kind == LinkKind.CHECKIN,
                PrivateLink.anonymous.is_(True),
                PrivateLink.submission_id.is_not(None),
            )
        )
    )


def is_anonymous(record: Submission) -> bool:
    return record.id in anonymous_ids(record.process_id)


def start_of_day(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(), tzinfo=UTC)


def day_of(moment: datetime | None) -> date | None:
    return moment.astimezone(UTC).date() if moment else None


def neutral_key(record: Submission) -> str:
    """A stable order that says nothing: the hash of the sealed answers.

    Sealing uses a fresh random nonce, so the hash neither follows the order
    of arrival nor can be computed from what anyone wrote.
    """
    return hashlib.sha256(record.answers).hexdigest()


def list_order(record: Submission, anonymous: set[int]) -> tuple:
    """Newest first by day for anonymous answers, by moment for everything else."""
    if record.id in anonymous:
        return (start_of_day(record.updated_at), neutral_key(record))
    return (record.updated_at, "")


def blur_answer(record: Submission) -> None:
    """Keep only the day of an anonymous answer, wherever a time of it is stored."""
    db.session.flush()
    revisions = db.session.scalars(
        sa.select(SubmissionRevision).where(SubmissionRevision.submission_id == record.id)
    )
    for revision in revisions:
        revision.made_at = start_of_day(revision.made_at)
    record.created_at = start_of_day(record.created_at)
    record.updated_at = start_of_day(record.updated_at)
    if record.submitted_at is not None:
        record.submitted_at = start_of_day(record.submitted_at)
