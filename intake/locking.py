"""Optimistic locking: a save names the version it started from, and only one save wins."""

import sqlalchemy as sa

from intake.extensions import db


def claim(model: type, row_id: int, started_from: int | None, **values) -> bool:
    """Raise the row's ``lock_version`` (and set ``values``) if nobody saved since.

    One conditional UPDATE, so of two people saving at once exactly one wins;
    the loser gets False and is told, instead of silently overwriting.
    """
    won = db.session.execute(
        sa.update(model)
        .where(model.id == row_id, model.lock_version == started_from)
        .values(lock_version=model.lock_version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        db.session.rollback()
    return bool(won)
