"""Counted attempts (wrong links, failed sign-ins), shared by every worker and server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class ThrottleEvent(Base):
    """A counted attempt (a wrong link, a failed sign-in), shared by every worker."""

    __tablename__ = "throttle_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
