"""Demands, their amendments and their status over time (R1)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, plain_enum, utcnow


class DemandStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PARTLY_MET = "partly_met"
    MET = "met"
    REFUSED = "refused"


class Demand(Base):
    """A demand, numbered and fixed once handed over; only approved amendments change it."""

    __tablename__ = "demand"
    __table_args__ = (UniqueConstraint("process_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted, the original words
    handed_over_at: Mapped[datetime] = mapped_column(default=utcnow)
    handover_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    status: Mapped[DemandStatus] = mapped_column(
        plain_enum(DemandStatus), default=DemandStatus.NOT_STARTED
    )

    amendments: Mapped[list[DemandAmendment]] = relationship(
        back_populates="demand", order_by="DemandAmendment.proposed_at"
    )
    status_changes: Mapped[list[DemandStatusChange]] = relationship(
        back_populates="demand",
        # By the day it happened; on one day, in the order it was entered.
        order_by=lambda: (DemandStatusChange.on, DemandStatusChange.set_at),
    )

    @property
    def encryption_context(self) -> str:
        return f"process:{self.process_id}:demand"


class AmendmentState(enum.StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class DemandAmendment(Base):
    """A proposed new wording, with a reason; it takes effect once the support group approves."""

    __tablename__ = "demand_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    text: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    reason: Mapped[bytes] = mapped_column(LargeBinary)  # encrypted
    state: Mapped[AmendmentState] = mapped_column(
        plain_enum(AmendmentState), default=AmendmentState.PROPOSED
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]  # when it was entered
    decided_on: Mapped[date | None]  # the day the support group decided

    demand: Mapped[Demand] = relationship(back_populates="amendments")
    proposed_by: Mapped[Account | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Account | None] = relationship(foreign_keys=[decided_by_id])


class DemandStatusChange(Base):
    """A demand's status as the contact group assessed it, on the day it changed, and why:
    the minutes of a meeting, another record (a contact, a check-in), or a written reason."""

    __tablename__ = "demand_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demand.id", ondelete="CASCADE"), index=True)
    status: Mapped[DemandStatus] = mapped_column(plain_enum(DemandStatus))
    on: Mapped[date]
    minutes_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"))
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL")
    )
    reason: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)

    demand: Mapped[Demand] = relationship(back_populates="status_changes")
    set_by: Mapped[Account | None] = relationship()
