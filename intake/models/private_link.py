"""Private links for people without an account: check-ins, and his own link."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, plain_enum, utcnow


class LinkKind(enum.StrEnum):
    CHECKIN = "checkin"  # someone around him answers a questionnaire
    HIM = "him"  # he reads the written record of what was agreed, and may reflect


class MailState(enum.StrEnum):
    """Where the mail carrying a private link stands; no row means it is not mailed."""

    WAITING = "waiting"  # queued, or waiting for its next try
    SENDING = "sending"  # a job holds it until ``mail_due_at``
    SENT = "sent"
    FAILED = "failed"


class CheckinRound(Base):
    """Check-ins sent to several people at once, with one intro text."""

    __tablename__ = "checkin_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted: free text of the group
    form_id: Mapped[str] = mapped_column(String(40))
    intro: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    links: Mapped[list[PrivateLink]] = relationship(
        back_populates="round", order_by="PrivateLink.id"
    )

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:invitation"


class PrivateLink(Base):
    """One private link: bound to one process and one form, expiring, revocable, single-use.

    Only the SHA-256 of the token is stored. A reminder gives the same
    link a fresh token, so a saved draft carries over and the old link dies.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkin_round.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[LinkKind] = mapped_column(plain_enum(LinkKind))
    form_id: Mapped[str] = mapped_column(String(40))
    label: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted, e.g. "partner"
    email: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token a reminder replaced: it opens nothing, it only tells a page still open
    # with it which link its typed words belong to (see checkins/by_link.py: renewed).
    replaced_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]
    # The mail carrying the link: its state, tries, when it may next be tried (or until
    # when a job holds it), why it failed as a short code (never an address: see
    # intake/checkins/link_mail.py), and the link itself, sealed, until it has gone out.
    mail_state: Mapped[MailState | None] = mapped_column(plain_enum(MailState))
    mail_tries: Mapped[int] = mapped_column(default=0, server_default="0")
    mail_due_at: Mapped[datetime | None]
    mail_problem: Mapped[str | None] = mapped_column(String(20))
    mail_link: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    anonymous: Mapped[bool] = mapped_column(default=False)
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    # His link: the minutes whose agreed steps he is sent, and when he confirmed receipt.
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]

    round: Mapped[CheckinRound | None] = relationship(back_populates="links")

    def state(self, now: datetime) -> str:
        if self.answered_at:
            return "answered"
        if self.revoked_at:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "open"

    def is_usable(self, now: datetime) -> bool:
        return self.state(now) == "open"

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:invitation"
