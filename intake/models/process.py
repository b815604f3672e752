"""Accountability processes and who takes part in each, in which role."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.account import Account
from intake.models.base import Base, utcnow


class Role(enum.StrEnum):
    SUPPORT = "support"
    CONTACT = "contact"
    CENTRAL = "central"


class Process(Base):
    __tablename__ = "process"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The short name appears in URLs, so it must never carry anything identifying.
    short_name: Mapped[str] = mapped_column(String(40), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    # How often the contact group means to meet him, e.g. 91 days; None if not agreed.
    meeting_cadence_days: Mapped[int | None]
    # A silence longer than this many days is marked in the chronology and on the figures.
    silence_alarm_days: Mapped[int] = mapped_column(default=60)
    # Coordinators may require every member to sign in with a second factor.
    require_second_factor: Mapped[bool] = mapped_column(default=False)
    # Where "Exit this page" leads (an https address the coordinators choose); None: the default.
    exit_url: Mapped[str | None] = mapped_column(String(300))
    # Optional retention: on this day ``intake retention`` erases the whole process.
    erase_on: Mapped[date | None]
    # When a contact-group coordinator first had a password: from then on the
    # process belongs to its members and the instance admin adds nobody.
    taken_over_at: Mapped[datetime | None]
    # Drawn anew whenever a contact entry or meeting of the process is added, changed or
    # removed (intake.record.log_version): figures counted from the log are kept until it
    # changes. Random rather than counted, so a change rolled back never reappears.
    log_version: Mapped[int] = mapped_column(BigInteger, default=lambda: secrets.randbits(62))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="process", order_by="Membership.joined_at"
    )

    def __repr__(self) -> str:
        return f"<Process {self.short_name}>"


class Membership(Base):
    """One person's role in one process.

    Leaving sets ``left_at`` instead of deleting the row, so the record of who
    did what stays readable after people move on. A membership of an account
    that existed before is pending (``accepted_at`` unset) until its owner
    accepts it, and gives no access until then.
    """

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[int] = mapped_column(ForeignKey("process.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    # True for the membership that created the account: only through it may a
    # process hand out set-up links, so no other process can take the account over.
    created_account: Mapped[bool] = mapped_column(default=False)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    process: Mapped[Process] = relationship(back_populates="memberships")
    account: Mapped[Account] = relationship(back_populates="memberships", foreign_keys=[account_id])

    @property
    def is_current(self) -> bool:
        return self.left_at is None and self.accepted_at is not None

    @property
    def is_pending(self) -> bool:
        return self.left_at is None and self.accepted_at is None
