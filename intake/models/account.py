"""People who sign in, and the links that let them set a password."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, utcnow

if TYPE_CHECKING:
    from intake.models.process import Membership


class Account(UserMixin, Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sign-in names, not emails: many members prefer not to tie the work to a mailbox.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_instance_admin: Mapped[bool] = mapped_column(default=False)
    is_deactivated: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime | None]
    # Second factor: the TOTP secret (encrypted), one being set up, and the last
    # time step used, so that a code cannot be used twice.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_pending: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_last_counter: Mapped[int | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="account", foreign_keys="Membership.account_id"
    )

    @property
    def is_active(self) -> bool:  # read by Flask-Login
        return not self.is_deactivated

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<Account {self.username}>"


class SetupLink(Base):
    """A single-use, expiring link to set (or reset) an account's password.

    Only the SHA-256 of the token is kept, so a copy of the database opens nothing.
    """

    __tablename__ = "setup_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    account: Mapped[Account] = relationship(foreign_keys=[account_id])

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class AccountSession(Base):
    """A signed-in browser, tracked on the server so that ending it really ends it."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(32))
    # A short hint ("Firefox on Linux") so a person can tell their devices apart.
    device: Mapped[str | None] = mapped_column(String(80))

    account: Mapped[Account] = relationship()


class RecoveryCode(Base):
    """One-time codes for when the phone with the authenticator is gone; stored hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
