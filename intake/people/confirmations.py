"""Acts a second coordinator confirms: erasing a process, setting its erase date, no longer
requiring a second factor, and ending another coordinator's role or membership.

Each of these cannot be undone or lowers a protection, so one coordinator asks and another
confirms. The last two are here so that nobody can make themselves the only coordinator and
then act alone: the coordinator concerned may confirm too (they agree to step down).

A group with a single coordinator who can sign in cannot do that; there the act happens at
once, and the page says so beside the button. A coordinator whose account is deactivated,
or who has not chosen a password yet, does not count: they could never confirm. (The
instance admin deactivates an account that is gone for good, from the command line.)

Who may ask and confirm:
- erasing and the erase date: the contact group's coordinators;
- the second factor: any coordinator;
- another coordinator's role or membership: the coordinators of that person's group.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db, rows_changed
from intake.lifecycle import retention
from intake.models import Account, ActKind, ActRequest, Membership, Process, Role, utcnow
from intake.people.membership import current_members, remove_member, set_coordinator
from intake.security import audit

# A request nobody answered in two weeks is stale: circumstances change.
OPEN_FOR = timedelta(days=14)
# How long the one who asked sees the answer on the page where the act lives.
ANSWER_SHOWN_FOR = timedelta(days=7)
ERASING = (ActKind.ERASE, ActKind.ERASE_DATE)
ABOUT_COORDINATORS = (ActKind.COORDINATOR_OFF, ActKind.COORDINATOR_REMOVED)


class ConfirmationError(ValueError):
    """A confirmation that cannot be given, in words for the person."""


def confirmers(
    process: Process, kind: ActKind, concerning: Membership | None = None
) -> list[Membership]:
    """The members who may ask for this act, and confirm another's request."""
    coordinators = [
        m
        for m in current_members(process)
        # An account is None when an erase removed it while this request was reading.
        if m.is_coordinator
        and m.account is not None
        and m.account.has_password
        and not m.account.is_deactivated
    ]
    if kind in ERASING:
        return [m for m in coordinators if m.role is Role.CONTACT]
    if kind in ABOUT_COORDINATORS and concerning is not None:
        return [m for m in coordinators if m.role is concerning.role]
    return coordinators


def needs_second(process: Process, kind: ActKind, concerning: Membership | None = None) -> bool:
    return len(confirmers(process, kind, concerning)) > 1


def may_answer(request: ActRequest, membership: Membership) -> bool:
    allowed = confirmers(request.process, request.kind, request.membership)
    return any(m.id == membership.id for m in allowed)


def open_requests(process: Process, now: datetime | None = None) -> list[ActRequest]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            sa.select(ActRequest)
            .where(
                ActRequest.process_id == process.id,
                ActRequest.decided_at.is_(None),
                ActRequest.requested_at > now - OPEN_FOR,
            )
            .order_by(ActRequest.requested_at)
        )
    )


def requests_for(process: Process, membership: Membership) -> list[ActRequest]:
    """The open requests this member may answer, or asked for themselves."""
    return [
        r
        for r in open_requests(process)
        if r.requested_by_id == membership.account_id or may_answer(r, membership)
    ]


def answers_for(process: Process, account: Account, kinds: tuple[ActKind, ...]) -> list[ActRequest]:
    """What others recently answered to this person's requests, to show where the act lives."""
    return list(
        db.session.scalars(
            sa.select(ActRequest).where(
                ActRequest.process_id == process.id,
                ActRequest.requested_by_id == account.id,
                ActRequest.decided_by_id != account.id,
                ActRequest.confirmed.is_not(None),
                ActRequest.decided_at > utcnow() - ANSWER_SHOWN_FOR,
                ActRequest.kind.in_(kinds),
            )
        )
    )


def _still_open(kind: ActKind, concerning: Membership | None):
    same = [ActRequest.kind == kind, ActRequest.decided_at.is_(None)]
    if concerning is not None:
        same.append(ActRequest.membership_id == concerning.id)
    return same


def ask(
    process: Process,
    kind: ActKind,
    by: Account,
    *,
    erase_on: date | None = None,
    concerning: Membership | None = None,
) -> ActRequest:
    """Ask the other coordinators; an earlier open request of the same kind is replaced."""
    settle(process, kind, by, concerning=concerning)
    request = ActRequest(
        process_id=process.id,
        kind=kind,
        erase_on=erase_on,
        membership_id=concerning.id if concerning else None,
        requested_by_id=by.id,
    )
    db.session.add(request)
    db.session.flush()
    audit.record("act-requested", process=process, subject=f"{kind.value}:{request.id}")
    return request


def settle(
    process: Process, kind: ActKind, by: Account, *, concerning: Membership | None = None
) -> None:
    """Close open requests of a kind once the matter is decided another way."""
    db.session.execute(
        sa.update(ActRequest)
        .where(ActRequest.process_id == process.id, *_still_open(kind, concerning))
        .values(decided_at=utcnow(), decided_by_id=by.id, confirmed=None)
    )


def decide(request: ActRequest, by: Membership, *, confirm: bool) -> None:
    """Confirm or decline a request; the one who asked may only take it back.

    One conditional UPDATE, so two coordinators answering at once decide once.
    """
    asked_it = by.account_id == request.requested_by_id
    if not asked_it and not may_answer(request, by):
        raise ConfirmationError(_l("Only a coordinator who may do this can answer the request."))
    if confirm and asked_it:
        raise ConfirmationError(_l("Another coordinator has to confirm what you asked for."))
    now = utcnow()
    decided = rows_changed(
        sa.update(ActRequest)
        .where(
            ActRequest.id == request.id,
            ActRequest.decided_at.is_(None),
            ActRequest.requested_at > now - OPEN_FOR,
        )
        .values(decided_at=now, decided_by_id=by.account_id, confirmed=confirm)
    )
    if not decided:
        raise ConfirmationError(_l("This request has already been answered, or has lapsed."))
    db.session.refresh(request)
    action = "act-confirmed" if confirm else "act-declined"
    audit.record(action, process=request.process, subject=f"{request.kind.value}:{request.id}")


def carry_out(asked: ActRequest, today: date) -> None:
    """Do what a second coordinator confirmed; erasing has its own path (it ends the process).

    The caller commits, so that the answer and the act are stored together or not at all.
    """
    process = asked.process
    if asked.kind is ActKind.ERASE_DATE:
        retention.set_erase_date(process, asked.erase_on, today)
    elif asked.kind is ActKind.SECOND_FACTOR_OFF:
        process.require_second_factor = False
        audit.record("second-factor-required", process=process)
    elif asked.kind is ActKind.COORDINATOR_OFF and asked.membership and asked.membership.is_current:
        set_coordinator(asked.membership, False)
        audit.record(
            "coordinator-changed", process=process, subject=f"membership:{asked.membership_id}"
        )
    elif (
        asked.kind is ActKind.COORDINATOR_REMOVED
        and asked.membership
        and asked.membership.is_current
    ):
        remove_member(asked.membership, removed_by=asked.requested_by)
        audit.record("member-removed", process=process, subject=f"membership:{asked.membership_id}")
