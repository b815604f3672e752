"""Demands: created word for word from the handover, and fixed from then on (R1)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.crypto import open_text, seal_text
from intake.extensions import db
from intake.formdef import FormDefinition
from intake.formdef.wtf import DemandItem
from intake.models import Demand, Process, Submission

HANDOVER = "handover"
DEMANDS_FIELD = "demands"
TEXT = "text"


class DemandsFixed(ValueError):
    """A handed-over demand's text cannot be changed by editing the handover."""


def demands_of(process: Process) -> list[DemandItem]:
    rows = db.session.scalars(
        sa.select(Demand).where(Demand.process_id == process.id).order_by(Demand.number)
    )
    return [DemandItem(d.id, d.number, open_text(d.text, d.encryption_context)) for d in rows]


def _texts(answers: dict[str, Any]) -> list[str]:
    return [entry[TEXT] for entry in answers.get(DEMANDS_FIELD, []) if entry.get(TEXT)]


def check_handover(process: Process, form: FormDefinition, answers: dict[str, Any]) -> None:
    """Refuse a handover edit that would change demands already handed over."""
    if form.id != HANDOVER:
        return
    existing = [d.text for d in demands_of(process)]
    if existing and _texts(answers) != existing:
        raise DemandsFixed(
            _l(
                "The demands were handed over and cannot be edited here. "
                "Keep them word for word; a change is made as an amendment."
            )
        )


def after_handover(
    process: Process, form: FormDefinition, submission: Submission, answers: dict[str, Any]
) -> None:
    """The first submitted handover creates the process's numbered demands."""
    if form.id != HANDOVER or demands_of(process):
        return
    for number, text in enumerate(_texts(answers), 1):
        demand = Demand(process_id=process.id, number=number, handover_id=submission.id, text=b"")
        demand.text = seal_text(text, f"process:{process.id}:demand")
        db.session.add(demand)
    db.session.flush()
