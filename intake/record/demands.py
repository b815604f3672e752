"""Demands: created word for word from the handover, then fixed (R1).

A demand's wording changes only through an amendment that a support-group
member approves; the original words and every amendment stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from intake.extensions import db, rows_changed
from intake.formdef import FormDefinition
from intake.formdef.wtf import DemandItem
from intake.labels import direction_label
from intake.models import (
    Account,
    AmendmentState,
    ContactEntry,
    Demand,
    DemandAmendment,
    DemandStatus,
    DemandStatusChange,
    Process,
    Submission,
    SubmissionStatus,
    utcnow,
)
from intake.security.encryption import open_text, seal_text

HANDOVER = "handover"
# Records that can show why a demand's status changed outside a meeting's review.
EVIDENCE_FORMS = ("contact", "checkin", "minutes", "reflection")
DEMANDS_FIELD = "demands"
TEXT = "text"


class DemandsFixed(ValueError):
    """A handed-over demand's text cannot be changed by editing the handover."""


class AmendmentConflict(ValueError):
    """The amendment was decided by someone else meanwhile."""


class AmendmentDayError(ValueError):
    """The day given for a decision cannot be right."""


class StatusError(ValueError):
    """A status change that cannot be recorded, in words for the person."""


@dataclass(frozen=True)
class AmendmentView:
    id: int
    text: str
    reason: str
    state: AmendmentState
    proposed_by: str
    proposed_at: Any
    decided_by: str
    decided_at: Any  # when it was entered
    decided_on: date | None = None  # the day it was decided


@dataclass(frozen=True)
class DemandView:
    """A demand as its pages show it: current words, original words, amendments, status."""

    id: int
    number: int
    original: str
    current: str
    status: DemandStatus
    amendments: list[AmendmentView]
    status_changes: list[DemandStatusChange]

    @property
    def amended(self) -> bool:
        return self.current != self.original


def _name(account: Account | None) -> str:
    return account.display_name if account else ""


def _decided(amendment: DemandAmendment) -> tuple[date, datetime]:
    """When a decided amendment was decided: the day given, then the moment entered."""
    entered = amendment.decided_at
    if entered is None:  # every decision sets it
        raise ValueError(f"amendment {amendment.id} has no decision")
    return (amendment.decided_on or entered.date(), entered)


def _current_text(demand: Demand) -> str:
    approved = [a for a in demand.amendments if a.state is AmendmentState.APPROVED]
    if approved:
        latest = max(approved, key=_decided)
        return open_text(latest.text, demand.encryption_context)
    return open_text(demand.text, demand.encryption_context)


def _rows(process: Process, *, words_only: bool = False) -> list[Demand]:
    """The demands with their amendments; unless ``words_only``, also who proposed and
    decided each and the history of their status. Each of those is a question of its
    own to the database, and only the demands page and the at-a-glance page show them."""
    loads = (
        [selectinload(Demand.amendments)]
        if words_only
        else [
            selectinload(Demand.amendments).selectinload(DemandAmendment.proposed_by),
            selectinload(Demand.amendments).selectinload(DemandAmendment.decided_by),
            selectinload(Demand.status_changes).selectinload(DemandStatusChange.set_by),
        ]
    )
    return list(
        db.session.scalars(
            sa.select(Demand)
            .where(Demand.process_id == process.id)
            .options(*loads)
            .order_by(Demand.number)
        )
    )


def demands_of(process: Process) -> list[DemandItem]:
    """Each demand with its words as they stand now."""
    return [DemandItem(d.id, d.number, _current_text(d)) for d in _rows(process, words_only=True)]


def words_of(process: Process) -> list[tuple[int, str, str]]:
    """Each demand's number, its words as they stand now and as they were handed over."""
    return [
        (d.number, _current_text(d), open_text(d.text, d.encryption_context))
        for d in _rows(process, words_only=True)
    ]


def demand_views(process: Process) -> list[DemandView]:
    views = []
    for d in _rows(process):
        context = d.encryption_context
        views.append(
            DemandView(
                id=d.id,
                number=d.number,
                original=open_text(d.text, context),
                current=_current_text(d),
                status=d.status,
                amendments=[
                    AmendmentView(
                        a.id,
                        open_text(a.text, context),
                        open_text(a.reason, context),
                        a.state,
                        _name(a.proposed_by),
                        a.proposed_at,
                        _name(a.decided_by),
                        a.decided_at,
                        a.decided_on or (a.decided_at.date() if a.decided_at else None),
                    )
                    for a in d.amendments
                ],
                status_changes=list(d.status_changes),
            )
        )
    return views


def _texts(answers: dict[str, Any]) -> list[str]:
    return [entry[TEXT] for entry in answers.get(DEMANDS_FIELD, []) if entry.get(TEXT)]


def _original_texts(process: Process) -> list[str]:
    return [open_text(d.text, d.encryption_context) for d in _rows(process, words_only=True)]


def check_handover(process: Process, form: FormDefinition, answers: dict[str, Any]) -> None:
    """Refuse a handover edit that would change demands already handed over."""
    if form.id != HANDOVER:
        return
    existing = _original_texts(process)
    if existing and _texts(answers) != existing:
        raise DemandsFixed(
            _l(
                "The demands were handed over and cannot be edited here. "
                "Keep them word for word; a change is made as an amendment."
            )
        )


def after_handover(process: Process, submission: Submission, answers: dict[str, Any]) -> None:
    """The first submitted handover creates the process's numbered demands."""
    if _rows(process):
        return
    for number, text in enumerate(_texts(answers), 1):
        demand = Demand(process_id=process.id, number=number, handover_id=submission.id, text=b"")
        demand.text = seal_text(text, f"process:{process.id}:demand")
        db.session.add(demand)
    db.session.flush()


def propose_amendment(demand: Demand, text: str, reason: str, by: Account) -> DemandAmendment:
    context = demand.encryption_context
    amendment = DemandAmendment(
        demand_id=demand.id,
        text=seal_text(text.strip(), context),
        reason=seal_text(reason.strip(), context),
        proposed_by_id=by.id,
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def decide_amendment(
    amendment: DemandAmendment,
    approve: bool,
    by: Account,
    *,
    on: date | None = None,
    today: date | None = None,
) -> None:
    """Approve or reject once, as of the day the support group decided (``on``, default
    today); a second decision, by anyone, is a conflict."""
    today = today or utcnow().date()
    on = on or today
    if on > today:
        raise AmendmentDayError(_l("That day is still to come: give the day you decided."))
    if on < amendment.proposed_at.date() - timedelta(days=366):
        raise AmendmentDayError(_l("That day is long before the change was proposed."))
    state = AmendmentState.APPROVED if approve else AmendmentState.REJECTED
    decided = rows_changed(
        sa.update(DemandAmendment)
        .where(
            DemandAmendment.id == amendment.id,
            DemandAmendment.state == AmendmentState.PROPOSED,
        )
        .values(state=state, decided_by_id=by.id, decided_at=utcnow(), decided_on=on)
        .execution_options(synchronize_session=False)
    )
    if not decided:
        db.session.rollback()
        raise AmendmentConflict(_l("This amendment was already decided; nothing was changed."))
    db.session.expire(amendment)


def _restatus(demand: Demand) -> None:
    """The status is the one of the latest day, however late each change was entered."""
    db.session.flush()
    db.session.refresh(demand, ["status_changes"])
    latest = demand.status_changes[-1] if demand.status_changes else None
    demand.status = latest.status if latest else DemandStatus.NOT_STARTED


def evidence_choices(process: Process, limit: int = 200) -> list[tuple[int, str, date, str]]:
    """Records that may show why a status changed: (id, form, day, what), newest day first."""
    rows = db.session.execute(
        sa.select(
            Submission.id,
            Submission.form_id,
            Submission.submitted_at,
            Submission.happened_on,
            ContactEntry.on,
            ContactEntry.direction,
        )
        .outerjoin(ContactEntry, ContactEntry.submission_id == Submission.id)
        .where(
            Submission.process_id == process.id,
            Submission.status == SubmissionStatus.SUBMITTED,
            Submission.form_id.in_(EVIDENCE_FORMS),
        )
    ).all()
    choices = [
        (rid, form_id, on or happened or at.date(), direction_label(direction) if direction else "")
        for rid, form_id, at, happened, on, direction in rows
    ]
    return sorted(choices, key=lambda c: (c[2], c[0]), reverse=True)[:limit]


def record_status_change(
    demand: Demand,
    status: DemandStatus,
    on: date,
    *,
    by: Account,
    today: date,
    first_day: date,
    evidence: Submission | None = None,
    reason: str = "",
) -> DemandStatusChange:
    """A status change outside a meeting (his refusal by e-mail, a check-in), with its evidence."""
    if on > today:
        raise StatusError(_l("That day is still to come: give the day the status changed."))
    if on < first_day:
        raise StatusError(
            _l("That day is before the process began, on %(date)s.", date=first_day.isoformat())
        )
    if evidence is None and not reason.strip():
        raise StatusError(_l("Say why: choose the record that shows it, or write the reason."))
    if evidence is not None and (
        evidence.process_id != demand.process_id or evidence.form_id not in EVIDENCE_FORMS
    ):
        raise StatusError(_l("Choose one of the records offered."))
    change = DemandStatusChange(
        demand_id=demand.id,
        status=status,
        on=on,
        evidence_id=evidence.id if evidence else None,
        reason=seal_text(reason.strip(), demand.encryption_context) if reason.strip() else None,
        set_by_id=by.id,
    )
    db.session.add(change)
    _restatus(demand)
    return change


def reason_of(change: DemandStatusChange) -> str:
    return open_text(change.reason, change.demand.encryption_context) if change.reason else ""


def record_statuses(
    process: Process, minutes: Submission, answers: dict[str, Any], on: date, by: Account
) -> None:
    """Take each demand's status from a minutes review, when it changed."""
    reviews = answers.get("review") or {}
    for demand in _rows(process):
        value = (reviews.get(str(demand.id)) or {}).get("status")
        if not value or value == demand.status.value:
            continue
        db.session.add(
            DemandStatusChange(
                demand_id=demand.id,
                status=DemandStatus(value),
                on=on,
                minutes_id=minutes.id,
                set_by_id=by.id,
            )
        )
        _restatus(demand)
    db.session.flush()
