"""The audit log: who did what, when; never what anyone wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, utcnow


class AuditEvent(Base):
    """Append-only: rows are written once and never changed (erasing a process aside)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int | None] = mapped_column(
        ForeignKey("process.id", ondelete="CASCADE"), index=True
    )  # None: an instance-level event
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[Account | None] = relationship()


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(*_args) -> None:
    raise RuntimeError("Audit events are never changed.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(*_args) -> None:
    raise RuntimeError("Audit events are never deleted one by one.")
