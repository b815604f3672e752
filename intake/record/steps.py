"""Agreed steps: written, dated and owned (R2); overdue ones are flagged wherever they appear."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.formdef.locking import claim
from intake.models import (
    Account,
    AgreedStep,
    Demand,
    Process,
    StepChange,
    StepOwner,
    StepStatus,
    Submission,
    utcnow,
)
from intake.models.step import overdue
from intake.record import paging
from intake.security.encryption import open_text, seal_text

# Closed steps per page, below the open ones (which are all shown).
CLOSED_PAGE_SIZE = 50
# Steps listed at a glance: the figures above it count them all, the steps page lists them.
AT_A_GLANCE = 10


class StepError(ValueError):
    """A step change that cannot be made, in words for the person."""


class StepConflict(StepError):
    """The step changed since the person opened it."""


class StepDayError(StepError):
    """The day a change happened cannot be right: in the future, or before the agreement."""


@dataclass(frozen=True)
class StepView:
    id: int
    what: str
    owner: StepOwner
    agreed_on: date
    deadline: date
    demand_number: int | None
    status: StepStatus
    reason: str
    overdue: bool
    minutes_id: int | None
    lock_version: int


def view(step: AgreedStep | sa.Row, today: date, numbers: dict[int, int]) -> StepView:
    """A step as pages show it, from the step or from its row of ``_LISTED`` columns."""
    context = AgreedStep.context_for(step.process_id)
    return StepView(
        id=step.id,
        what=open_text(step.what, context),
        owner=step.owner,
        agreed_on=step.agreed_on,
        deadline=step.deadline,
        demand_number=numbers.get(step.demand_id) if step.demand_id else None,
        status=step.status,
        reason=open_text(step.status_reason, context) if step.status_reason else "",
        overdue=overdue(step.status, step.deadline, today),
        minutes_id=step.minutes_id,
        lock_version=step.lock_version,
    )


# What a list of steps shows: read as columns, not as whole steps, for the hundreds of
# open steps of an old process.
_LISTED = (
    AgreedStep.id,
    AgreedStep.process_id,
    AgreedStep.what,
    AgreedStep.owner,
    AgreedStep.agreed_on,
    AgreedStep.deadline,
    AgreedStep.demand_id,
    AgreedStep.status,
    AgreedStep.status_reason,
    AgreedStep.minutes_id,
    AgreedStep.lock_version,
)


def demand_numbers(process: Process) -> dict[int, int]:
    """Each demand's number by its id, as a step names the demand it serves; read once
    for a page that lists steps in more than one place."""
    return dict(
        db.session.execute(
            sa.select(Demand.id, Demand.number).where(Demand.process_id == process.id)
        )
        .tuples()
        .all()
    )


def steps_of(
    process: Process,
    today: date,
    statuses: tuple[StepStatus, ...] | None = None,
    numbers: dict[int, int] | None = None,
) -> list[StepView]:
    """The agreed steps by deadline; only those of ``statuses`` when given (read and
    unsealed only those: a five-year process has hundreds of kept steps)."""
    query = sa.select(*_LISTED).where(AgreedStep.process_id == process.id)
    if statuses is not None:
        query = query.where(AgreedStep.status.in_(statuses))
    numbers = demand_numbers(process) if numbers is None else numbers
    rows = db.session.execute(query.order_by(AgreedStep.deadline, AgreedStep.id))
    return [view(s, today, numbers) for s in rows]


def open_first(process: Process, today: date, numbers: dict[int, int]) -> list[StepView]:
    """Every open step by deadline, so the overdue ones (an open step past its deadline)
    come first: what the group still has to follow up is never behind a page link, however
    many steps were closed over the years."""
    return steps_of(process, today, (StepStatus.OPEN,), numbers)


@dataclass(frozen=True)
class Pressing:
    """The first steps of the at-a-glance page, and how many are open or missed in all."""

    steps: list[StepView]
    open: int
    missed: int

    @property
    def total(self) -> int:
        return self.open + self.missed

    @property
    def more(self) -> int:
        return self.total - len(self.steps)


def standing() -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """How many of a process's steps are open, and how many missed: columns of a question
    about its steps (``pressing``'s counts), to be asked with others in one."""
    return (
        sa.func.count(AgreedStep.id).filter(AgreedStep.status == StepStatus.OPEN),
        sa.func.count(AgreedStep.id).filter(AgreedStep.status == StepStatus.MISSED),
    )


def pressing(
    process: Process,
    today: date,
    size: int = AT_A_GLANCE,
    *,
    counts: tuple[int, int],
    numbers: dict[int, int],
) -> Pressing:
    """What the at-a-glance page lists: open steps as the steps page begins (by deadline,
    so the overdue ones first), then the latest missed ones, at most ``size``; only those
    are read and unsealed. The page says how many more there are and links to them all.
    ``counts``: how many are open and missed in all (``standing``, asked with the
    page's other counts); ``numbers``: ``demand_numbers``, from the page's demands."""
    of_process = sa.select(AgreedStep).where(AgreedStep.process_id == process.id)
    rows = list(
        db.session.scalars(
            of_process.where(AgreedStep.status == StepStatus.OPEN)
            .order_by(AgreedStep.deadline, AgreedStep.id)
            .limit(size)
        )
    )
    if len(rows) < size:
        rows += db.session.scalars(
            of_process.where(AgreedStep.status == StepStatus.MISSED)
            .order_by(AgreedStep.deadline.desc(), AgreedStep.id.desc())
            .limit(size - len(rows))
        )
    return Pressing([view(s, today, numbers) for s in rows], open=counts[0], missed=counts[1])


def closed_page(
    process: Process,
    today: date,
    *,
    before: paging.Cursor | None = None,
    after: paging.Cursor | None = None,
    size: int = CLOSED_PAGE_SIZE,
    numbers: dict[int, int],
) -> paging.Page:
    """One page of the steps no longer open (done, missed, dropped), latest deadline first;
    only that page's steps are read and unsealed. ``numbers``: ``demand_numbers``."""
    page = paging.newest_first(
        sa.select(AgreedStep).where(
            AgreedStep.process_id == process.id, AgreedStep.status != StepStatus.OPEN
        ),
        AgreedStep.deadline,
        AgreedStep.id,
        before=before,
        after=after,
        size=size,
        key=lambda s: (s.deadline, s.id),
    )
    return replace(page, items=[view(s, today, numbers) for s in page.items])


def _demand_id(process: Process, number: Any) -> int | None:
    try:
        wanted = int(str(number).strip().lstrip("#"))
    except (TypeError, ValueError):
        return None
    return _demand_numbers_inverse(process).get(wanted)


def _demand_numbers_inverse(process: Process) -> dict[int, int]:
    return {number: demand_id for demand_id, number in demand_numbers(process).items()}


def add_step(
    process: Process,
    *,
    what: str,
    owner: StepOwner,
    deadline: date,
    agreed_on: date,
    by: Account,
    demand_id: int | None = None,
    minutes: Submission | None = None,
    minutes_entry: int | None = None,
) -> AgreedStep:
    if deadline < agreed_on:
        raise StepError(_l("The deadline is before the day it was agreed. Check both dates."))
    if demand_id is not None:
        demand = db.session.get(Demand, demand_id)
        if demand is None or demand.process_id != process.id:
            raise StepError(_l("That demand does not belong to this process."))
    step = AgreedStep(
        process_id=process.id,
        what=b"",
        owner=owner,
        agreed_on=agreed_on,
        deadline=deadline,
        demand_id=demand_id,
        minutes_id=minutes.id if minutes else None,
        minutes_entry=minutes_entry,
        created_by_id=by.id,
        updated_by_id=by.id,
    )
    step.what = seal_text(what.strip(), f"process:{process.id}:step")
    db.session.add(step)
    db.session.flush()
    db.session.add(
        StepChange(step_id=step.id, status=step.status, deadline=deadline, changed_by_id=by.id)
    )
    return step


def steps_from_minutes(
    process: Process, minutes: Submission, answers: dict[str, Any], agreed_on: date, by: Account
) -> list[AgreedStep]:
    """Every agreed step of a minutes record becomes a step, once per entry."""
    existing = set(
        db.session.scalars(
            sa.select(AgreedStep.minutes_entry).where(AgreedStep.minutes_id == minutes.id)
        )
    )
    made = []
    for index, entry in enumerate(answers.get("steps") or []):
        if index in existing or not entry.get("what") or not entry.get("deadline"):
            continue
        deadline = date.fromisoformat(entry["deadline"])
        made.append(
            add_step(
                process,
                what=entry["what"],
                owner=StepOwner(entry.get("owner") or StepOwner.HIM.value),
                deadline=deadline,
                agreed_on=min(agreed_on, deadline),
                by=by,
                demand_id=_demand_id(process, entry.get("demand")),
                minutes=minutes,
                minutes_entry=index,
            )
        )
    return made


def check_minutes_steps(answers: dict[str, Any], agreed_on: date) -> str | None:
    """A message if a deadline in the minutes lies before the meeting, else None."""
    for n, entry in enumerate(answers.get("steps") or [], 1):
        if entry.get("deadline") and date.fromisoformat(entry["deadline"]) < agreed_on:
            return str(
                _l(
                    "Step %(n)d: the deadline is before the meeting at which it was agreed.",
                    n=n,
                )
            )
    return None


def change_step(
    step: AgreedStep,
    *,
    status: StepStatus,
    deadline: date,
    reason: str,
    started_from: int | None,
    by: Account,
    on: date | None = None,
    today: date | None = None,
) -> None:
    """Change a step's state or deadline, as of the day it happened (``on``, default today);
    refused if someone changed it meanwhile."""
    today = today or utcnow().date()
    on = on or today
    if status is StepStatus.DROPPED and not reason.strip():
        raise StepError(_l("Say why the step is dropped."))
    if on > today:
        raise StepDayError(_l("That day is still to come: give the day it happened."))
    if on < step.agreed_on:
        raise StepDayError(_l("That day is before the step was agreed. Check the date."))
    if deadline < step.agreed_on:
        raise StepError(_l("The deadline is before the day it was agreed. Check both dates."))
    if not claim(AgreedStep, step.id, started_from):
        raise StepConflict(
            _l("Someone changed this step while you were looking at it. Check it and try again.")
        )
    db.session.refresh(step)
    context = step.encryption_context
    sealed_reason = seal_text(reason.strip(), context) if reason.strip() else None
    step.status = status
    step.deadline = deadline
    step.status_reason = sealed_reason
    step.status_on = on if status is not StepStatus.OPEN else None
    step.updated_by_id = by.id
    step.updated_at = utcnow()
    db.session.add(
        StepChange(
            step_id=step.id,
            status=status,
            deadline=deadline,
            reason=sealed_reason,
            on=on,
            changed_by_id=by.id,
        )
    )
    db.session.flush()


@dataclass(frozen=True)
class StepChangeView:
    status: StepStatus
    deadline: date
    reason: str
    by: str
    at: datetime  # when it was entered
    on: date  # the day it happened


def history_of(step: AgreedStep) -> list[StepChangeView]:
    """Every state the step has been in, oldest first."""
    rows = db.session.scalars(
        sa.select(StepChange).where(StepChange.step_id == step.id).order_by(StepChange.id)
    )
    context = step.encryption_context
    return [
        StepChangeView(
            c.status,
            c.deadline,
            open_text(c.reason, context) if c.reason else "",
            c.changed_by.display_name if c.changed_by else "",
            c.changed_at,
            c.on or c.changed_at.date(),
        )
        for c in rows
    ]
