"""Re-encrypt everything under a new key, so an old key can be retired."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from intake.extensions import db
from intake.models import (
    Account,
    AgreedStep,
    CheckinRound,
    Demand,
    DemandAmendment,
    FormSnapshot,
    Meeting,
    PrivateLink,
    Questionnaire,
    ReportBack,
    StepChange,
    Submission,
    SubmissionRevision,
)
from intake.security.encryption import Keyring, keyring


@dataclass(frozen=True)
class Sealed:
    """A column holding ciphertext, and how to find each row's context."""

    model: type
    column: str
    context: Callable[[object], str]


def _revision_context(row: SubmissionRevision) -> str:
    return f"process:{row.submission.process_id}:submission"


SEALED_COLUMNS: tuple[Sealed, ...] = (
    Sealed(Submission, "answers", lambda row: row.encryption_context),
    Sealed(SubmissionRevision, "answers", _revision_context),
    Sealed(Demand, "text", lambda row: row.encryption_context),
    Sealed(DemandAmendment, "text", lambda row: row.demand.encryption_context),
    Sealed(DemandAmendment, "reason", lambda row: row.demand.encryption_context),
    Sealed(AgreedStep, "what", lambda row: row.encryption_context),
    Sealed(AgreedStep, "status_reason", lambda row: row.encryption_context),
    Sealed(StepChange, "reason", lambda row: f"process:{row.step.process_id}:step"),
    Sealed(Meeting, "place", lambda row: row.encryption_context),
    Sealed(Meeting, "expected", lambda row: row.encryption_context),
    Sealed(CheckinRound, "title", lambda row: row.encryption_context),
    Sealed(CheckinRound, "intro", lambda row: row.encryption_context),
    Sealed(PrivateLink, "label", lambda row: row.encryption_context),
    Sealed(PrivateLink, "email", lambda row: row.encryption_context),
    Sealed(ReportBack, "pdf", lambda row: row.encryption_context),
    Sealed(ReportBack, "withdraw_reason", lambda row: row.encryption_context),
    Sealed(Questionnaire, "draft", lambda row: row.encryption_context),
    # Only a process's own questionnaires are sealed; built-in snapshots leave it empty.
    Sealed(FormSnapshot, "sealed", lambda row: row.encryption_context),
    Sealed(Account, "totp_secret", lambda row: f"account:{row.id}:totp"),
    Sealed(Account, "totp_pending", lambda row: f"account:{row.id}:totp"),
)


def _rows(sealed: Sealed, batch: int = 500) -> Iterator[object]:
    last = 0
    while True:
        rows = db.session.scalars(
            sa.select(sealed.model)
            .where(sealed.model.id > last)
            .order_by(sealed.model.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        db.session.flush()


def reencrypt_all(ring: Keyring | None = None) -> int:
    """Rewrite every value not under the current key; returns how many changed."""
    ring = ring or keyring()
    changed = 0
    for sealed in SEALED_COLUMNS:
        for row in _rows(sealed):
            blob: bytes = getattr(row, sealed.column)
            if not blob or Keyring.key_id_of(blob) == ring.current:
                continue
            context = sealed.context(row)
            setattr(row, sealed.column, ring.encrypt(ring.decrypt(blob, context), context))
            changed += 1
    db.session.commit()
    return changed


def keys_in_use() -> set[str]:
    used: set[str] = set()
    for sealed in SEALED_COLUMNS:
        column = getattr(sealed.model, sealed.column)
        for (blob,) in db.session.execute(sa.select(column)):
            if blob:
                used.add(Keyring.key_id_of(blob))
    return used
