"""Filled-in forms: submissions, their revisions, and the definitions they were made with."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, utcnow
from intake.models.process import Process


class FormSnapshot(Base):
    """A form definition exactly as it was when something was filled in with it.

    Old submissions are always read with their own snapshot, so editing or
    bumping a definition in ``forms/`` never breaks them.
    """

    __tablename__ = "form_snapshot"
    __table_args__ = (UniqueConstraint("form_id", "version", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    definition: Mapped[str] = mapped_column(Text)  # JSON of the YAML as written
    # A process's own questionnaire is that process's words: its definition is kept
    # sealed here instead of in ``definition`` (left empty), and goes with the process.
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    first_used_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:questionnaire"


class SubmissionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


def _status_enum() -> Enum:
    return Enum(
        SubmissionStatus,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )


class Submission(Base):
    """One filled-in form of a process: a draft until submitted, then edited by revisions."""

    __tablename__ = "submission"
    __table_args__ = (
        # A process's records by when they were last saved: a page of the records list
        # reads only its own rows, not every record of the process to sort them.
        Index("ix_submission_process_updated", "process_id", "updated_at"),
        # A process's records of one form (its handover, its check-ins) without reading
        # the thousands of contact entries beside them.
        Index("ix_submission_process_form", "process_id", "form_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    form_id: Mapped[str] = mapped_column(String(40), index=True)
    form_version: Mapped[int]
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("form_snapshot.id"))
    status: Mapped[SubmissionStatus] = mapped_column(_status_enum())
    answers: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON
    # Raised by every save; a save that started from an older number is a conflict.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # The day the record is about, when its form names one (``dated_by``): a handover
    # typed in weeks after it happened is dated by the day it happened.
    happened_on: Mapped[date | None]
    # Minutes belong to a meeting; other forms to none.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    # The contact group may share a record (e.g. minutes) with the support group.
    shared_with_support: Mapped[bool] = mapped_column(default=False)

    process: Mapped[Process] = relationship()
    snapshot: Mapped[FormSnapshot] = relationship()
    created_by: Mapped[Account | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[Account | None] = relationship(foreign_keys=[updated_by_id])
    revisions: Mapped[list[SubmissionRevision]] = relationship(
        back_populates="submission",
        order_by="SubmissionRevision.number",
        cascade="all, delete-orphan",
    )

    @property
    def is_draft(self) -> bool:
        return self.status is SubmissionStatus.DRAFT

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:submission"


class SubmissionRevision(Base):
    """Every save of a submission, kept: edits never overwrite what was there."""

    __tablename__ = "submission_revision"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[SubmissionStatus] = mapped_column(_status_enum())
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("form_snapshot.id"))
    answers: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted JSON
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="revisions")
    snapshot: Mapped[FormSnapshot] = relationship()
    made_by: Mapped[Account | None] = relationship()
