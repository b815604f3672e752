"""Report-backs: PDFs for the central group, frozen once released, every download logged."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, utcnow
from intake.models.demand import plain_enum


class ReportState(enum.StrEnum):
    QUEUED = "queued"  # waiting for the renderer
    RENDERING = "rendering"
    DRAFT = "draft"  # rendered, for the contact group to preview
    FAILED = "failed"
    RELEASED = "released"  # frozen; the central group may download it
    WITHDRAWN = "withdrawn"  # kept, with a reason, no longer downloadable


class ReportBack(Base):
    __tablename__ = "report_back"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    whole: Mapped[bool] = mapped_column(default=False)
    # The last report-back of a process: it covers the whole process and says it closes it.
    closing: Mapped[bool] = mapped_column(default=False)
    # Every entry of the chronology one by one, after the report (it groups the contact log).
    appendix: Mapped[bool] = mapped_column(default=False)
    since: Mapped[date]
    until: Mapped[date]
    language: Mapped[str] = mapped_column(String(8))
    state: Mapped[ReportState] = mapped_column(plain_enum(ReportState))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    sha256: Mapped[str | None] = mapped_column(String(64))
    failure: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a job took one of the render slots: a render still "being made" long after
    # this has lost its job or its child, and is marked failed.
    started_at: Mapped[datetime | None]
    rendered_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    released_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None]
    withdraw_reason: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted

    released_by: Mapped[Account | None] = relationship(foreign_keys=[released_by_id])
    withdrawn_by: Mapped[Account | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:report"


class ReportDownload(Base):
    """Who read a report-back (or a single-document PDF), and when."""

    __tablename__ = "report_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_back.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account | None] = relationship()
