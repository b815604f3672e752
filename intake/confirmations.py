"""Acts a second coordinator confirms: erasing a process, setting its erase date, and no
longer requiring a second factor.

Each of these cannot be undone or lowers a protection, so one coordinator asks and another
confirms. A group with a single coordinator cannot do that; there the act happens at once,
and the page says so beside the button. Who may ask and confirm is the group that may do the
act: the contact group's coordinators for erasing, any coordinator for the second factor.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake import audit
from intake.extensions import db
from intake.membership import current_members
from intake.models import Account, ActKind, ActRequest, Membership, Process, Role, utcnow

# A request nobody answered in two weeks is stale: circumstances change.
OPEN_FOR = timedelta(days=14)


class ConfirmationError(ValueError):
    """A confirmation that cannot be given, in words for the person."""


def confirmers(process: Process, kind: ActKind) -> list[Membership]:
    """The members who may ask for this act, and confirm another's request."""
    coordinators = [m for m in current_members(process) if m.is_coordinator]
    if kind is ActKind.SECOND_FACTOR_OFF:
        return coordinators
    return [m for m in coordinators if m.role is Role.CONTACT]


def needs_second(process: Process, kind: ActKind) -> bool:
    return len(confirmers(process, kind)) > 1


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


def ask(
    process: Process, kind: ActKind, by: Account, *, erase_on: date | None = None
) -> ActRequest:
    """Ask the other coordinators; an earlier open request of the same kind is replaced."""
    now = utcnow()
    for earlier in open_requests(process, now):
        if earlier.kind is kind:
            earlier.decided_at, earlier.decided_by_id, earlier.confirmed = now, by.id, False
    request = ActRequest(process_id=process.id, kind=kind, erase_on=erase_on, requested_by_id=by.id)
    db.session.add(request)
    db.session.flush()
    audit.record("act-requested", process=process, subject=f"{kind.value}:{request.id}")
    return request


def decide(request: ActRequest, by: Account, *, confirm: bool) -> None:
    """Confirm or decline a request; the one who asked may only take it back.

    One conditional UPDATE, so two coordinators answering at once decide once.
    """
    process = request.process
    allowed = {m.account_id for m in confirmers(process, request.kind)}
    if by.id not in allowed:
        raise ConfirmationError(_l("Only a coordinator who may do this can answer the request."))
    if confirm and by.id == request.requested_by_id:
        raise ConfirmationError(_l("Another coordinator has to confirm what you asked for."))
    now = utcnow()
    decided = db.session.execute(
        sa.update(ActRequest)
        .where(
            ActRequest.id == request.id,
            ActRequest.decided_at.is_(None),
            ActRequest.requested_at > now - OPEN_FOR,
        )
        .values(decided_at=now, decided_by_id=by.id, confirmed=confirm)
    ).rowcount
    if not decided:
        raise ConfirmationError(_l("This request has already been answered, or has lapsed."))
    db.session.refresh(request)
    action = "act-confirmed" if confirm else "act-declined"
    audit.record(action, process=process, subject=f"{request.kind.value}:{request.id}")
