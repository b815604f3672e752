"""Processes and their members: who takes part, in which role, since and until when.

Who may add whom is decided here, once:

- Until a coordinator of the contact group has a password, the instance admin
  adds the first members of a process, of any group. From then on the process
  belongs to its members and the admin adds nobody (``taken_over``).
- A coordinator adds members, and coordinators, to their own group only. The
  contact group's coordinators may also add members of the central group while
  it has no coordinator (the central group reads only report-backs the contact
  group releases, so this gives nobody more than they have).
- A group left without a coordinator gets one from the instance's command line
  (``intake process member``), which the process's audit log shows.
- The instance admin's account is never a member of any process.
- An account that existed before joins only when its owner accepts; only the
  membership that created an account may hand out set-up links for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from intake.extensions import db, rows_changed
from intake.models import Account, Membership, Process, Role, utcnow
from intake.people.accounts import (
    AccountError,
    IssuedLink,
    create_account,
    find_account,
    issue_setup_link,
)

SHORT_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")


class MembershipError(ValueError):
    """A change to a process or its members that cannot be made, in words for the person."""


class NameNeeded(MembershipError):
    """A new account needs the name the group knows the person by."""


@dataclass(frozen=True)
class Addition:
    membership: Membership
    setup: IssuedLink | None  # None when the account existed before

    @property
    def is_pending(self) -> bool:
        return self.membership.is_pending


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


def _members(process: Process, *conditions: sa.ColumnElement[bool]) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.process_id == process.id, *conditions)
            .options(selectinload(Membership.account))
            .order_by(Membership.role, Membership.joined_at)
        )
    )


def current_members(process: Process) -> list[Membership]:
    return _members(process, Membership.left_at.is_(None), Membership.accepted_at.is_not(None))


def pending_members(process: Process) -> list[Membership]:
    """People asked to join who have not accepted yet; they have no access."""
    return _members(process, Membership.left_at.is_(None), Membership.accepted_at.is_(None))


def former_members(process: Process) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.process_id == process.id, Membership.left_at.is_not(None))
            .options(selectinload(Membership.account))
            .order_by(Membership.left_at.desc())
        )
    )


def _memberships_of(account: Account, *, accepted: bool) -> list[Membership]:
    if account.is_instance_admin:
        return []  # never a member, whatever a row says
    accepted_at = Membership.accepted_at
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.account_id == account.id,
                Membership.left_at.is_(None),
                accepted_at.is_not(None) if accepted else accepted_at.is_(None),
            )
            .options(selectinload(Membership.process))
            .join(Process)
            .order_by(Process.short_name)
        )
    )


def processes_of(account: Account) -> list[Membership]:
    """The current memberships of a person, one per process."""
    return _memberships_of(account, accepted=True)


def asked_to_join(account: Account) -> list[Membership]:
    """Processes this person is asked to join, waiting for them to accept or decline."""
    return _memberships_of(account, accepted=False)


def taken_over(process: Process) -> bool:
    """Whether a contact-group coordinator has (or had) a password here; never undone."""
    if process.taken_over_at is not None:
        return True
    owner = db.session.scalar(
        sa.select(Membership.id)
        .join(Account, Account.id == Membership.account_id)
        .where(
            Membership.process_id == process.id,
            Membership.role == Role.CONTACT,
            Membership.is_coordinator.is_(True),
            Membership.accepted_at.is_not(None),
            Account.password_hash.is_not(None),
        )
        .limit(1)
    )
    if owner is None:
        return False
    process.taken_over_at = utcnow()
    return True


def _coordinators(process: Process, role: Role) -> list[Membership]:
    return [m for m in current_members(process) if m.role is role and m.is_coordinator]


def addable_roles(process: Process, by: Account | None) -> list[Role]:
    """The groups this person may add members to (``None``: the command line)."""
    return [role for role in Role if _refusal(process, by, role) is None]


def _refusal(process: Process, by: Account | None, role: Role) -> str | None:
    if by is None:
        return None
    if by.is_instance_admin:
        if taken_over(process):
            return _l(
                "This process belongs to its members now: its contact group's coordinators "
                "add people. The instance admin adds only the first members."
            )
        return None
    adder = next((m for m in current_members(process) if m.account_id == by.id), None)
    if adder is None or not adder.is_coordinator:
        return _l("Only coordinators add members.")
    if role is adder.role:
        return None
    if adder.role is Role.CONTACT and role is Role.CENTRAL and not _coordinators(process, role):
        return None
    return _l("Coordinators add members to their own group only.")


def invite_member(
    process: Process,
    *,
    username: str,
    display_name: str,
    role: Role,
    is_coordinator: bool = False,
    invited_by: Account | None = None,
) -> Addition:
    """Add a person to a process, creating their account if they have none yet.

    ``invited_by=None`` is the instance's command line. A new account joins at
    once and gets a set-up link; an existing one is asked and joins when its
    owner accepts, and nothing about it (its name, its sessions) is touched.
    """
    refusal = _refusal(process, invited_by, role)
    if refusal is not None:
        raise MembershipError(refusal)
    account = find_account(username)
    if account is not None and account.is_instance_admin:
        raise MembershipError(_l("The instance admin cannot be a member of any process."))
    if account is not None and account.is_deactivated:
        raise MembershipError(_l("That account is deactivated; ask the instance admin."))
    if account is not None and any(
        m.account_id == account.id for m in current_members(process) + pending_members(process)
    ):
        raise MembershipError(_l("This person is already a member of this process, or asked."))
    created = account is None
    if account is None and not display_name.strip():
        raise NameNeeded(
            _l("There is no account with this sign-in name yet: give the name shown to the group.")
        )
    if account is None:
        try:
            account = create_account(username, display_name)
        except AccountError as exc:
            raise MembershipError(str(exc)) from exc
    now = utcnow()
    membership = Membership(
        process_id=process.id,
        account_id=account.id,
        role=role,
        is_coordinator=is_coordinator,
        added_by_id=invited_by.id if invited_by else None,
        joined_at=now,
        accepted_at=now if created else None,
        created_account=created,
    )
    db.session.add(membership)
    db.session.flush()
    setup = issue_setup_link(account, created_by=invited_by) if created else None
    return Addition(membership=membership, setup=setup)


def accept(membership: Membership, account: Account) -> None:
    """The invited person joins; from now on the membership gives access."""
    if membership.account_id != account.id or not membership.is_pending:
        raise MembershipError(_l("This invitation is no longer open."))
    if account.is_instance_admin:
        raise MembershipError(_l("The instance admin cannot be a member of any process."))
    # One conditional UPDATE: two tabs accepting at once join once.
    now = utcnow()
    joined = rows_changed(
        sa.update(Membership)
        .where(
            Membership.id == membership.id,
            Membership.accepted_at.is_(None),
            Membership.left_at.is_(None),
        )
        .values(accepted_at=now, joined_at=now)
    )
    if not joined:
        raise MembershipError(_l("This invitation is no longer open."))
    db.session.refresh(membership)


def decline(membership: Membership, account: Account) -> None:
    """The invited person says no; a membership that never began leaves nothing behind."""
    if membership.account_id != account.id or not membership.is_pending:
        raise MembershipError(_l("This invitation is no longer open."))
    db.session.delete(membership)


def withdraw(membership: Membership) -> None:
    """A coordinator takes back an invitation that has not been accepted."""
    if not membership.is_pending:
        raise MembershipError(_l("This invitation is no longer open."))
    db.session.delete(membership)


def may_manage(by: Membership, target: Membership) -> bool:
    """A coordinator manages the members of their own group; anyone may leave."""
    if by.id == target.id:
        return True
    if not by.is_coordinator:
        return False
    if target.role is by.role:
        return True
    # The contact group looks after a central group that has no coordinator yet. Read from
    # the process's memberships, loaded once, since the members page asks for every row.
    return (
        by.role is Role.CONTACT
        and target.role is Role.CENTRAL
        and not any(
            m.is_current and m.role is Role.CENTRAL and m.is_coordinator
            for m in by.process.memberships
        )
    )


def may_issue_setup_link(membership: Membership) -> bool:
    """Only through the membership that created the account, before it has a password."""
    account = membership.account
    return (
        membership.created_account
        and membership.is_current
        and not account.has_password
        and not account.is_deactivated
    )


def may_send_setup_link(by: Membership, target: Membership) -> bool:
    """Whoever manages the person, or added them, may hand them a fresh set-up link."""
    return may_issue_setup_link(target) and (
        may_manage(by, target) or target.added_by_id == by.account_id
    )


def _last_coordinator_of_group(membership: Membership) -> bool:
    if not membership.is_coordinator:
        return False
    group = [m for m in current_members(membership.process) if m.role is membership.role]
    others = [m for m in group if m.id != membership.id]
    return bool(others) and not any(m.is_coordinator for m in others)


def remove_member(membership: Membership, *, removed_by: Account | None = None) -> None:
    """End a membership at once; the row stays so the record of who did what survives.

    Access to this process ends with the next request (every request checks the
    membership); the person stays signed in for their other processes.
    """
    if membership.left_at is not None:
        raise MembershipError(_l("This person has already left the process."))
    # Noted before a change: a process once taken over by its contact group stays so.
    taken_over(membership.process)
    if _last_coordinator_of_group(membership):
        raise MembershipError(
            _l(
                "A group needs at least one coordinator while it has members. "
                "Make someone else coordinator first."
            )
        )
    membership.left_at = utcnow()
    membership.removed_by_id = removed_by.id if removed_by else None


def set_coordinator(membership: Membership, value: bool) -> None:
    if not value and _last_coordinator_of_group(membership):
        raise MembershipError(_l("A group needs at least one coordinator while it has members."))
    # Noted before a change: a process once taken over by its contact group stays so.
    taken_over(membership.process)
    membership.is_coordinator = value
