"""Meetings, planned and then held or missed, and the contact log's entries."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, plain_enum, utcnow


class MeetingKind(enum.StrEnum):
    WITH_HIM = "with_him"
    AROUND_HIM = "around_him"
    INTERNAL = "internal"


class MeetingState(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Meeting(Base):
    """A meeting; a missed meeting with him stays a record, it is never deleted."""

    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_import_key", "process_id", "import_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MeetingKind] = mapped_column(plain_enum(MeetingKind))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted: a room or a link
    expected: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted: who is expected
    state: Mapped[MeetingState] = mapped_column(
        plain_enum(MeetingState), default=MeetingState.PLANNED
    )
    lock_version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the meeting came from a spreadsheet, so importing it again adds nothing,
    # even when the same file is imported twice at the same moment (unique per process).
    import_key: Mapped[str | None] = mapped_column(String(64))

    created_by: Mapped[Account | None] = relationship()

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:meeting"
