"""Words of a refused post, kept sealed for the person who typed them (R6).

A post can be refused for reasons outside the person's control: the session
idled out while they wrote, or the form's CSRF token expired. What they typed is
then kept here, sealed like answers, bound to one owner (the account whose
session it was, or the private link the page was opened with) and to the page
it was typed on, for ``KEPT_FOR``. The owner's next visit of that page takes it
back once; nobody else ever gets it, and after ``KEPT_FOR`` nobody does.

Secrets are never kept: passwords, one-time codes, CSRF tokens and form keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from intake.extensions import db, rows_changed
from intake.models import KeptWords, utcnow
from intake.security.encryption import open_json, seal_json

# Long enough to sign in again and come back, short enough that words do not linger.
KEPT_FOR = timedelta(hours=2)
SIGNED_OUT = "signed-out"
EXPIRED = "expired"
RENEWED = "renewed"  # a reminder replaced the private link the page was open with
# Field names that carry a secret or a one-time value, whatever their prefix
# ("p-password", "off_code"): never worth keeping, and dangerous to store.
_SECRET = re.compile(
    r"(^|[-_])(csrf_token|form_key|password|passphrase|code|otp|totp|secret|token)($|[-_])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Owner:
    """Whose words these are: one account or one private link, never both."""

    account_id: int | None = None
    link_id: int | None = None

    def __post_init__(self) -> None:
        if (self.account_id is None) == (self.link_id is None):
            raise ValueError("kept words belong to one account or one link")


@dataclass(frozen=True)
class TakenBack:
    """Kept words on their way back into a form."""

    id: int
    formdata: MultiDict
    reason: str


def typed_words(formdata: MultiDict) -> list[tuple[str, str]]:
    """The fields worth keeping: everything but secrets, and nothing if nothing was typed."""
    pairs = [
        (key, value)
        for key, value in formdata.items(multi=True)
        if isinstance(value, str) and not _SECRET.search(key)
    ]
    # Hidden controls alone (a lock version, an action) are not words anyone typed.
    if not any(value.strip() for key, value in pairs if key not in ("lock_version", "_action")):
        return []
    return pairs


def _owned_by(owner: Owner) -> sa.ColumnElement[bool]:
    if owner.account_id is not None:
        return KeptWords.account_id == owner.account_id
    return KeptWords.link_id == owner.link_id


def keep(
    owner: Owner,
    path: str,
    words: list[tuple[str, str]],
    *,
    reason: str,
    process_id: int | None = None,
    now: datetime | None = None,
) -> KeptWords:
    """Keep these words for their owner and this page; an earlier refusal there is replaced."""
    now = now or utcnow()
    db.session.execute(sa.delete(KeptWords).where(_owned_by(owner), KeptWords.path == path))
    row = KeptWords(
        account_id=owner.account_id,
        link_id=owner.link_id,
        process_id=process_id,
        path=path,
        reason=reason,
        words=b"",
        kept_at=now,
        expires_at=now + KEPT_FOR,
    )
    row.words = seal_json([list(pair) for pair in words], row.encryption_context)
    db.session.add(row)
    return row


def take_back(owner: Owner, path: str, now: datetime | None = None) -> TakenBack | None:
    """The owner's words for this page, if any are still within their time."""
    row = db.session.scalar(
        sa.select(KeptWords)
        .where(_owned_by(owner), KeptWords.path == path, KeptWords.expires_at > (now or utcnow()))
        .order_by(KeptWords.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    pairs = open_json(row.words, row.encryption_context)
    return TakenBack(row.id, MultiDict([(key, value) for key, value in pairs]), row.reason)


def forget(kept_id: int) -> None:
    """The words are back in a form the owner sees: they are used once."""
    db.session.execute(sa.delete(KeptWords).where(KeptWords.id == kept_id))


def purge_expired(now: datetime | None = None) -> int:
    """Delete every kept form past its time; how many, for the daily run's report."""
    return rows_changed(sa.delete(KeptWords).where(KeptWords.expires_at <= (now or utcnow())))
