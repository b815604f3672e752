"""One-time keys of create forms: a form posted twice makes one record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class FormKey(Base):
    """A create form's key, spent by the first post that stores something.

    The key is unique, so of two posts of the same form (a double click, a
    resent request) only one can insert it; the other finds where the first
    one led and goes there instead of storing a copy.
    """

    __tablename__ = "form_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    # Where the first post led (a path inside the service), set in the same transaction.
    result: Mapped[str | None] = mapped_column(String(300))
    spent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
