"""Accounts and the set-up links that let a person choose their own password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.models import Account, SetupLink, utcnow
from intake.security.passwords import hash_password, needs_rehash, verify_password
from intake.security.tokens import hash_token, new_token

SETUP_LINK_LIFETIME = timedelta(days=7)
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


class AccountError(ValueError):
    """A request about an account that cannot be carried out, in words for the person."""


@dataclass(frozen=True)
class IssuedLink:
    """A set-up link as created: the token exists only here, never in the database."""

    token: str
    link: SetupLink


def normalise_username(username: str) -> str:
    return username.strip().lower()


def valid_username(username: str) -> bool:
    return bool(USERNAME_PATTERN.fullmatch(username))


def find_account(username: str) -> Account | None:
    return db.session.scalar(
        sa.select(Account).where(Account.username == normalise_username(username))
    )


def create_account(username: str, display_name: str, *, is_instance_admin: bool = False) -> Account:
    username = normalise_username(username)
    if not valid_username(username):
        raise AccountError(
            _l("Use 2 to 63 characters: lower-case letters, digits, dot, dash, underscore.")
        )
    if find_account(username) is not None:
        raise AccountError(_l("That sign-in name is taken."))
    account = Account(
        username=username,
        display_name=display_name.strip() or username,
        is_instance_admin=is_instance_admin,
    )
    db.session.add(account)
    db.session.flush()
    return account


def authenticate(username: str, password: str) -> Account | None:
    """The account for these credentials, or None; unknown names cost the same time."""
    account = find_account(username)
    stored = account.password_hash if account is not None else None
    ok = verify_password(stored, password)
    if not ok or account is None or account.is_deactivated:
        return None
    if needs_rehash(account.password_hash or ""):
        account.password_hash = hash_password(password)
    return account


def set_password(account: Account, password: str, *, now: datetime | None = None) -> None:
    account.password_hash = hash_password(password)
    account.password_changed_at = now or utcnow()


def issue_setup_link(
    account: Account,
    *,
    created_by: Account | None = None,
    lifetime: timedelta = SETUP_LINK_LIFETIME,
    now: datetime | None = None,
) -> IssuedLink:
    """A fresh link for this account; earlier unused links stop working."""
    now = now or utcnow()
    revoke_setup_links(account, now=now)
    token = new_token()
    link = SetupLink(
        account_id=account.id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + lifetime,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(token=token, link=link)


def revoke_setup_links(account: Account, *, now: datetime | None = None) -> None:
    db.session.execute(
        sa.update(SetupLink)
        .where(
            SetupLink.account_id == account.id,
            SetupLink.used_at.is_(None),
            SetupLink.revoked_at.is_(None),
        )
        .values(revoked_at=now or utcnow())
    )


def usable_setup_link(token: str, *, now: datetime | None = None) -> SetupLink | None:
    link = db.session.scalar(sa.select(SetupLink).where(SetupLink.token_hash == hash_token(token)))
    if link is None or not link.is_usable(now or utcnow()) or link.account.is_deactivated:
        return None
    return link


def redeem_setup_link(token: str, password: str, *, now: datetime | None = None) -> Account | None:
    """Set the password through a link and spend it; None if the link does not work."""
    now = now or utcnow()
    # Mark the link used in one conditional UPDATE, so two tabs racing on the
    # same link cannot both succeed.
    spent = db.session.execute(
        sa.update(SetupLink)
        .where(
            SetupLink.token_hash == hash_token(token),
            SetupLink.used_at.is_(None),
            SetupLink.revoked_at.is_(None),
            SetupLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(SetupLink.account_id)
    ).scalar_one_or_none()
    if spent is None:
        return None
    account = db.session.get(Account, spent)
    if account is None or account.is_deactivated:
        db.session.rollback()
        return None
    set_password(account, password, now=now)
    return account
