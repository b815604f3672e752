"""Agreed steps: what was agreed, by when, by whom, and every change since (R2)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, plain_enum, utcnow

if TYPE_CHECKING:
    from intake.models.demand import Demand


class StepOwner(enum.StrEnum):
    HIM = "him"
    CONTACT_GROUP = "contact_group"
    AROUND_HIM = "around_him"


class StepStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    MISSED = "missed"
    DROPPED = "dropped"


def overdue(status: StepStatus, deadline: date, today: date) -> bool:
    """A step is overdue while it is open past its deadline (R2: shown in red everywhere)."""
    return status is StepStatus.OPEN and deadline < today


class AgreedStep(Base):
    """What was agreed, who does it and by when (R2); it sits under a demand, never replaces it."""

    __tablename__ = "agreed_step"
    __table_args__ = (
        UniqueConstraint("minutes_id", "minutes_entry"),
        # A page of the chronology reads a process's newest steps agreed and due, not
        # all its steps to sort them.
        Index("ix_agreed_step_process_agreed", "process_id", "agreed_on"),
        Index("ix_agreed_step_process_deadline", "process_id", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    what: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    owner: Mapped[StepOwner] = mapped_column(plain_enum(StepOwner))
    agreed_on: Mapped[date]
    deadline: Mapped[date] = mapped_column(index=True)
    demand_id: Mapped[int | None] = mapped_column(ForeignKey("demand.id", ondelete="SET NULL"))
    status: Mapped[StepStatus] = mapped_column(plain_enum(StepStatus), default=StepStatus.OPEN)
    status_reason: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    status_on: Mapped[date | None]
    # Where it was agreed: an entry of a minutes record, or added by hand.
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    minutes_entry: Mapped[int | None]
    lock_version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    demand: Mapped[Demand | None] = relationship()
    updated_by: Mapped[Account | None] = relationship(foreign_keys=[updated_by_id])

    def is_overdue(self, today: date) -> bool:
        return overdue(self.status, self.deadline, today)

    @property
    def encryption_context(self) -> str:
        return self.context_for(self.process_id)

    @staticmethod
    def context_for(process_id: int) -> str:
        """The encryption context of a process's steps, for rows read as columns."""
        return f"process:{process_id}:step"


class StepChange(Base):
    """Each change of a step's state, kept so the record shows who changed what and when."""

    __tablename__ = "step_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(
        ForeignKey("agreed_step.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[StepStatus] = mapped_column(plain_enum(StepStatus))
    deadline: Mapped[date]
    reason: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    # The day it happened; ``changed_at`` is when it was entered.
    on: Mapped[date | None]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    changed_by: Mapped[Account | None] = relationship()
    step: Mapped[AgreedStep] = relationship()
