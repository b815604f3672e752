"""Acts that a second coordinator confirms before they happen."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, utcnow

if TYPE_CHECKING:
    from intake.models.process import Membership, Process


class ActKind(enum.StrEnum):
    """Acts that cannot be undone or that lower protection: a second coordinator confirms."""

    ERASE = "erase"
    ERASE_DATE = "erase-date"
    SECOND_FACTOR_OFF = "second-factor-off"
    # Ending another coordinator's role, or their membership: otherwise one coordinator
    # could make themselves the only one and then act alone.
    COORDINATOR_OFF = "coordinator-off"
    COORDINATOR_REMOVED = "coordinator-removed"


class ActRequest(Base):
    """One coordinator asked for an act; another confirms or declines it."""

    __tablename__ = "act_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ActKind] = mapped_column(
        Enum(ActKind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])
    )
    # The erase date asked for; None with ERASE_DATE means "keep: set no day".
    erase_on: Mapped[date | None]
    # The coordinator concerned, for COORDINATOR_OFF and COORDINATOR_REMOVED.
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE")
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    confirmed: Mapped[bool | None]

    process: Mapped[Process] = relationship()
    membership: Mapped[Membership | None] = relationship()
    requested_by: Mapped[Account | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[Account | None] = relationship(foreign_keys=[decided_by_id])
