"""Optimistic locking: a save names the version it started from, and only one save wins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from intake.converters import MAX_ID
from intake.extensions import db, rows_changed

if TYPE_CHECKING:
    from intake.models import AgreedStep, Meeting, Questionnaire, Submission


def version_from(text: str | None) -> int | None:
    """The version a form says it started from, or None if it names none a row can have.

    The field is hidden, so only a tampered or garbled form sends anything else;
    None never matches, and the person is told that the record changed meanwhile.
    """
    value = (text or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    # Versions are PostgreSQL integers, like ids.
    return number if number <= MAX_ID else None


def claim(
    model: type[Submission | AgreedStep | Meeting | Questionnaire],
    row_id: int,
    started_from: int | None,
    **values: Any,
) -> bool:
    """Raise the row's ``lock_version`` (and set ``values``) if nobody saved since.

    One conditional UPDATE, so of two people saving at once exactly one wins;
    the loser gets False and is told, instead of silently overwriting.
    """
    won = rows_changed(
        sa.update(model)
        .where(model.id == row_id, model.lock_version == started_from)
        .values(lock_version=model.lock_version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if not won:
        db.session.rollback()
    return bool(won)
