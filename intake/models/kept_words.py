"""Words typed into a form whose post was refused for a reason outside the person's control."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class KeptWords(Base):
    """A refused post's form fields, sealed, until the same person opens the page again.

    Bound to exactly one owner: the account whose session it was, or the private
    link the page was opened with. A process's erasure takes them with it.
    """

    __tablename__ = "kept_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    # The page to come back to: a path inside the service, with its query.
    path: Mapped[str] = mapped_column(String(2000))
    # Why the post was refused: "signed-out" or "expired" (the form's CSRF token).
    reason: Mapped[str] = mapped_column(String(16))
    words: Mapped[bytes] = mapped_column(LargeBinary)
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    @property
    def encryption_context(self) -> str:
        owner = f"account:{self.account_id}" if self.account_id else f"link:{self.link_id}"
        return f"{owner}:kept-words"
