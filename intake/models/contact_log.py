"""The contact log's countable facts: one entry per message sent or received."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, plain_enum


class Direction(enum.StrEnum):
    WE_WROTE = "we_wrote"
    HE_WROTE = "he_wrote"
    SOMEONE_ELSE = "someone_else"


class ContactEntry(Base):
    """The countable facts of one contact-log record: when, which way, answer awaited.

    The words stay encrypted in the submission; these few fields are kept
    alongside so the silence figures (R3) can be computed over years of entries
    without decrypting every one.
    """

    __tablename__ = "contact_entry"
    __table_args__ = (
        Index("ix_contact_entry_import_key", "process_id", "import_key", unique=True),
        # A process's entries in the order of their days: a page of the log, a period.
        Index("ix_contact_entry_process_day", "process_id", "on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), unique=True
    )
    on: Mapped[date] = mapped_column(index=True)
    direction: Mapped[Direction] = mapped_column(plain_enum(Direction))
    channel: Mapped[str] = mapped_column(default="other")
    awaiting_answer: Mapped[bool] = mapped_column(default=False)
    # A message of his that was only an acknowledgement ("received") is not a real answer.
    real_answer: Mapped[bool] = mapped_column(default=True)
    # Set when the entry came from a spreadsheet, so importing it again adds nothing,
    # even when the same file is imported twice at the same moment (unique per process).
    import_key: Mapped[str | None] = mapped_column(String(64))
    # Whether the record has a note for the report-back, so a report unseals only those
    # few records rather than every message of years. None is "not known": an entry
    # written before this was kept, or by a server not yet updated; a report reads
    # those records as before, so no note is ever left out.
    has_report_note: Mapped[bool | None] = mapped_column(default=None)
