"""A form posted twice stores once (R6): every create form carries a one-time key.

A double click, or a browser resending a post, must not make two contact-log
entries: duplicates would feed the silence figures. The first post that stores
something spends the form's key in the same transaction as the record; the key
is unique in the database, so a second post of the same form cannot spend it
again and is sent where the first one led.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import request
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from intake.extensions import db
from intake.models import FormKey, utcnow

FIELD = "form_key"
# Long enough for a double click, a slow connection and a resent post.
KEPT_FOR = timedelta(days=2)
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


class AlreadyStored(Exception):
    """This form was stored by an earlier post; ``path`` is where that post led."""

    def __init__(self, path: str | None) -> None:
        super().__init__("already stored")
        self.path = path


def key_from(formdata: MultiDict) -> str | None:
    """The form's key as posted, or None if it sent none a key can be."""
    value = formdata.get(FIELD, "")
    return value if _SHAPE.fullmatch(value) else None


def hidden_field() -> Markup:
    """The key for a create form; a form shown again after a refusal keeps its key."""
    key = key_from(request.form) if request.method == "POST" else None
    key = key or secrets.token_urlsafe(24)
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, key)


def spend(key: str | None, account_id: int | None) -> FormKey | None:
    """Spend the key before anything is stored; raises AlreadyStored if it was spent.

    Must be the first write of the transaction: on a duplicate the whole
    transaction is rolled back. The unique index makes the second post wait
    until the first commits (or rolls back, leaving the key free again).
    """
    if key is None:
        return None
    claim = FormKey(key=key, account_id=account_id, spent_at=utcnow())
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyStored(_result_of(key, account_id)) from None
    db.session.execute(sa.delete(FormKey).where(FormKey.spent_at < utcnow() - KEPT_FOR))
    return claim


def spend_posted(account_id: int | None) -> FormKey | None:
    """Spend the key the current post carries; raises AlreadyStored if it was spent."""
    return spend(key_from(request.form), account_id)


def settle(claim: FormKey | None, path: str) -> None:
    """Say where the post that spent the key led; committed with the record."""
    if claim is not None:
        claim.result = path


def _result_of(key: str, account_id: int | None) -> str | None:
    # Another person's key leads nowhere: the post simply stores nothing.
    return db.session.scalar(
        sa.select(FormKey.result).where(FormKey.key == key, FormKey.account_id == account_id)
    )
