"""The records list in pages, newest first by the moment each was last saved.

Which records a member sees is decided in the query (the policy's rule, as a
condition), so that a page holds a page of what the person may read, whatever
else the process holds. Records saved at the same moment are never split between
two pages: anonymous check-in answers all carry the start of their day
(``intake.checkins.anonymity``), and a page boundary drawn between two of them by
id would tell the order they came in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from intake.extensions import db
from intake.formdef import FormDefinition
from intake.models import Membership, Process, Submission
from intake.record import paging
from intake.security import policy
from intake.submissions import service


def _moment(cursor: paging.Cursor) -> datetime:
    day, microseconds = cursor
    return datetime.combine(day, time(), tzinfo=UTC) + timedelta(microseconds=microseconds)


def _cursor(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    start = datetime.combine(moment.date(), time(), tzinfo=UTC)
    return paging.cursor_text((moment.date(), (moment - start) // timedelta(microseconds=1)))


def records_page(
    process: Process,
    membership: Membership,
    *,
    before: paging.Cursor | None = None,
    after: paging.Cursor | None = None,
    size: int = paging.PAGE_SIZE,
    forms: Iterable[FormDefinition] | None = None,
) -> paging.Page:
    """One page of the records this member may see, newest first; ``forms``: the
    process's forms, when the caller has them already."""
    if forms is None:
        forms = service.definitions(process).values()
    query = (
        sa.select(Submission)
        # Who saved each: one join, not a second round trip (a record has one such person).
        .options(joinedload(Submission.updated_by))
        .where(
            Submission.process_id == process.id,
            policy.readable_submissions(membership, forms),
        )
    )
    if after is not None:
        rows = _rows(query, Submission.updated_at > _moment(after), newer=True, size=size)
        if rows:
            items, more = _whole_moments(query, rows, size, newer=True)
            items.reverse()
            newer = _cursor(items[0].updated_at) if more else None
            return paging.Page(items, older=_cursor(items[-1].updated_at), newer=newer)
        before = None  # nothing newer (any longer): the newest page
    older_than = Submission.updated_at < _moment(before) if before is not None else sa.true()
    rows = _rows(query, older_than, newer=False, size=size)
    items, more = _whole_moments(query, rows, size, newer=False)
    older = _cursor(items[-1].updated_at) if more else None
    newer = _cursor(items[0].updated_at) if before is not None and items else None
    return paging.Page(items, older=older, newer=newer)


def _rows(
    query: sa.Select, beyond: sa.ColumnElement[bool], *, newer: bool, size: int
) -> list[Submission]:
    order = Submission.updated_at.asc() if newer else Submission.updated_at.desc()
    return list(db.session.scalars(query.where(beyond).order_by(order).limit(size + 1)))


def _whole_moments(
    query: sa.Select, rows: list[Submission], size: int, *, newer: bool
) -> tuple[list[Submission], bool]:
    """The first ``size`` rows, and every other row of the last one's moment; and
    whether rows lie beyond them."""
    if len(rows) <= size:
        return rows, False
    last = rows[size - 1].updated_at
    if rows[size].updated_at != last:
        return rows[:size], True
    same = db.session.scalars(query.where(Submission.updated_at == last)).all()
    items = [r for r in rows[:size] if r.updated_at != last] + list(same)
    beyond = Submission.updated_at > last if newer else Submission.updated_at < last
    return items, bool(db.session.scalar(sa.select(query.where(beyond).exists())))
