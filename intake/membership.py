"""Processes and their members: who takes part, in which role, since and until when."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from intake.accounts import (
    AccountError,
    IssuedLink,
    create_account,
    find_account,
    issue_setup_link,
)
from intake.extensions import db
from intake.models import Account, Membership, Process, Role, utcnow
from intake.signin import end_sessions_of

SHORT_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")


class MembershipError(ValueError):
    """A change to a process or its members that cannot be made, in words for the person."""


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    setup: IssuedLink | None  # None when the person already has a password


def process_by_short_name(short_name: str) -> Process | None:
    return db.session.scalar(sa.select(Process).where(Process.short_name == short_name))


def create_process(
    short_name: str, pseudonym: str, *, language: str = "en", created_by: Account | None = None
) -> Process:
    short_name = short_name.strip().lower()
    if not SHORT_NAME_PATTERN.fullmatch(short_name):
        raise MembershipError(
            _l("A short name has 3 to 40 characters: lower-case letters, digits and dashes.")
        )
    if process_by_short_name(short_name) is not None:
        raise MembershipError(_l("That short name is already used by another process."))
    if not pseudonym.strip():
        raise MembershipError(_l("Give the process a pseudonym, such as “X”."))
    process = Process(
        short_name=short_name,
        pseudonym=pseudonym.strip(),
        language=language,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(process)
    db.session.flush()
    return process


def current_members(process: Process) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.process_id == process.id, Membership.left_at.is_(None))
            .options(selectinload(Membership.account))
            .order_by(Membership.role, Membership.joined_at)
        )
    )


def former_members(process: Process) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.process_id == process.id, Membership.left_at.is_not(None))
            .options(selectinload(Membership.account))
            .order_by(Membership.left_at.desc())
        )
    )


def processes_of(account: Account) -> list[Membership]:
    """The current memberships of a person, one per process."""
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.account_id == account.id, Membership.left_at.is_(None))
            .options(selectinload(Membership.process))
            .join(Process)
            .order_by(Process.short_name)
        )
    )


def invite_member(
    process: Process,
    *,
    username: str,
    display_name: str,
    role: Role,
    is_coordinator: bool = False,
    invited_by: Account | None = None,
) -> Invitation:
    """Add a person to a process, creating their account if they have none yet."""
    account = find_account(username)
    if account is None:
        try:
            account = create_account(username, display_name)
        except AccountError as exc:
            raise MembershipError(str(exc)) from exc
    elif account.is_deactivated:
        raise MembershipError(_l("That account is deactivated; ask the instance admin."))
    if any(m.account_id == account.id for m in current_members(process)):
        raise MembershipError(_l("This person is already a member of this process."))
    membership = Membership(
        process_id=process.id,
        account_id=account.id,
        role=role,
        is_coordinator=is_coordinator,
        added_by_id=invited_by.id if invited_by else None,
    )
    db.session.add(membership)
    db.session.flush()
    setup = None
    if not account.has_password:
        setup = issue_setup_link(account, created_by=invited_by)
    return Invitation(membership=membership, setup=setup)


def _other_coordinators(membership: Membership) -> list[Membership]:
    return [
        m for m in current_members(membership.process) if m.is_coordinator and m.id != membership.id
    ]


def remove_member(membership: Membership, *, removed_by: Account | None = None) -> None:
    """End a membership at once; the row stays so the record of who did what survives."""
    if membership.left_at is not None:
        raise MembershipError(_l("This person has already left the process."))
    if membership.is_coordinator and not _other_coordinators(membership):
        raise MembershipError(
            _l("A process needs at least one coordinator. Make someone else coordinator first.")
        )
    membership.left_at = utcnow()
    membership.removed_by_id = removed_by.id if removed_by else None
    # A copied cookie must stop working at once, not only for this process: the
    # person signs in again, and then reaches whatever processes they still have.
    oneself = removed_by is not None and removed_by.id == membership.account_id
    end_sessions_of(membership.account, "removed", keep_current=oneself)


def set_coordinator(membership: Membership, value: bool) -> None:
    if not value and membership.is_coordinator and not _other_coordinators(membership):
        raise MembershipError(_l("A process needs at least one coordinator."))
    membership.is_coordinator = value
