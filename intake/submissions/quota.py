"""How much a private link or an account may save, and how often.

A link needs no account, so whoever holds one could otherwise save again and
again and fill the disk. Every save (draft or answer) is counted per link and
per account, in the same shared store as the guessing throttle; and what is
stored is capped: per link in total, per account per day.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from intake.extensions import db
from intake.models import Account, PrivateLink, SubmissionRevision, SubmissionStatus, utcnow
from intake.security import throttle
from intake.security.throttle import Limit

SAVES_PER_LINK = Limit("save-link", 30, timedelta(hours=1))
SAVES_PER_ACCOUNT = Limit("save-account", 120, timedelta(hours=1))
# A whole check-in in the longest answers allowed is well under 1 MiB.
LINK_BYTES = 4 * 1024 * 1024
ACCOUNT_BYTES_PER_DAY = 64 * 1024 * 1024


class OverQuota(Exception):
    """A save refused for its rate or size; ``status`` is the HTTP answer to give."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def size_of(answers: dict[str, Any]) -> int:
    """About what a save stores: the answers as JSON (sealing adds a few bytes)."""
    return len(json.dumps(answers, ensure_ascii=False, default=str).encode())


def _too_often(limit: Limit) -> OverQuota:
    return OverQuota(
        _(
            "You saved very often in a short time. Nothing was saved this time, but your "
            "text is still in the form: wait %(minutes)d minutes, then save again.",
            minutes=throttle.retry_after(limit),
        ),
        429,
    )


def _too_much() -> OverQuota:
    return OverQuota(
        _(
            "This is more text than can be stored here. Nothing was saved, but your text is "
            "still in the form: shorten it, then save again."
        ),
        413,
    )


def _stored_bytes(*conditions: Any) -> int:
    return int(
        db.session.scalar(
            sa.select(
                sa.func.coalesce(sa.func.sum(sa.func.length(SubmissionRevision.answers)), 0)
            ).where(*conditions)
        )
        or 0
    )


def check_link(link: PrivateLink, answers: dict[str, Any]) -> None:
    """Raise OverQuota if this link saved too often, or would store too much."""
    key = f"invitation:{link.id}"
    if throttle.is_blocked(SAVES_PER_LINK, key):
        raise _too_often(SAVES_PER_LINK)
    if _link_bytes(link) + size_of(answers) > LINK_BYTES:
        raise _too_much()


def _link_bytes(link: PrivateLink) -> int:
    """What a link has stored so far, less the draft this save will replace."""
    if link.submission_id is None:
        return 0
    rows = db.session.execute(
        sa.select(SubmissionRevision.status, sa.func.length(SubmissionRevision.answers))
        .where(SubmissionRevision.submission_id == link.submission_id)
        .order_by(SubmissionRevision.number)
    ).all()
    sizes = [int(size or 0) for _status, size in rows]
    if rows and rows[-1][0] is SubmissionStatus.DRAFT:
        sizes.pop()
    return sum(sizes)


def check_account(account: Account, answers: dict[str, Any]) -> None:
    """Raise OverQuota if this account saved too often, or too much in a day."""
    key = f"account:{account.id}"
    if throttle.is_blocked(SAVES_PER_ACCOUNT, key):
        raise _too_often(SAVES_PER_ACCOUNT)
    today = _stored_bytes(
        SubmissionRevision.made_by_id == account.id,
        SubmissionRevision.made_at > utcnow() - timedelta(days=1),
    )
    if today + size_of(answers) > ACCOUNT_BYTES_PER_DAY:
        raise _too_much()


def count_link_save(link: PrivateLink) -> None:
    throttle.record(SAVES_PER_LINK, f"invitation:{link.id}")


def count_account_save(account: Account) -> None:
    throttle.record(SAVES_PER_ACCOUNT, f"account:{account.id}")
