"""Facts about how the instance is reached, noticed by any app server, read by ``intake check``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from intake.models.base import Base, utcnow


class Observation(Base):
    """One named fact and when it was last seen, e.g. a request through a proxy."""

    __tablename__ = "observation"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
