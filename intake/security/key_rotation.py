"""Re-encrypt everything under a new key, so an old key can be retired, while the service runs.

Workers keep writing during a rotation. Each value is rewritten only if it is
still the one that was read (a conditional update), so an answer saved in the
meantime is never overwritten with older words; and a key is deleted only once
no value sealed with it is left, counted in the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from intake.extensions import db, rows_changed
from intake.models import (
    Account,
    AgreedStep,
    CheckinRound,
    Demand,
    DemandAmendment,
    DemandStatusChange,
    FormSnapshot,
    KeptWords,
    Meeting,
    PrivateLink,
    Questionnaire,
    ReportBack,
    StepChange,
    Submission,
    SubmissionRevision,
)
from intake.models.base import Base
from intake.security.encryption import FORMAT, KEY_ID_LENGTH, Keyring, KeyringError, keyring

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class Sealed(Generic[M]):
    """A column holding ciphertext, and how to find each row's context."""

    model: type[M]
    column: str
    context: Callable[[M], str]

    @property
    def kind(self) -> str:
        """How a command names this kind of sealed data, e.g. ``submission.answers``."""
        return f"{self.model.__tablename__}.{self.column}"


def _revision_context(row: SubmissionRevision) -> str:
    return f"process:{row.submission.process_id}:submission"


SEALED_COLUMNS: tuple[Sealed[Any], ...] = (
    Sealed(Submission, "answers", lambda row: row.encryption_context),
    Sealed(SubmissionRevision, "answers", _revision_context),
    Sealed(Demand, "text", lambda row: row.encryption_context),
    Sealed(DemandAmendment, "text", lambda row: row.demand.encryption_context),
    Sealed(DemandAmendment, "reason", lambda row: row.demand.encryption_context),
    Sealed(DemandStatusChange, "reason", lambda row: row.demand.encryption_context),
    Sealed(AgreedStep, "what", lambda row: row.encryption_context),
    Sealed(AgreedStep, "status_reason", lambda row: row.encryption_context),
    Sealed(StepChange, "reason", lambda row: f"process:{row.step.process_id}:step"),
    Sealed(Meeting, "place", lambda row: row.encryption_context),
    Sealed(Meeting, "expected", lambda row: row.encryption_context),
    Sealed(CheckinRound, "title", lambda row: row.encryption_context),
    Sealed(CheckinRound, "intro", lambda row: row.encryption_context),
    Sealed(PrivateLink, "label", lambda row: row.encryption_context),
    Sealed(PrivateLink, "email", lambda row: row.encryption_context),
    Sealed(PrivateLink, "mail_link", lambda row: row.encryption_context),
    Sealed(ReportBack, "pdf", lambda row: row.encryption_context),
    Sealed(ReportBack, "withdraw_reason", lambda row: row.encryption_context),
    Sealed(Questionnaire, "draft", lambda row: row.encryption_context),
    # Only a process's own questionnaires are sealed; built-in snapshots leave it empty.
    Sealed(FormSnapshot, "sealed", lambda row: row.encryption_context),
    Sealed(Account, "totp_secret", lambda row: f"account:{row.id}:totp"),
    Sealed(Account, "totp_pending", lambda row: f"account:{row.id}:totp"),
    Sealed(KeptWords, "words", lambda row: row.encryption_context),
)


def _batches(sealed: Sealed[Any], size: int = 200) -> Iterator[Sequence[Any]]:
    last = 0
    while True:
        rows = db.session.scalars(
            sa.select(sealed.model)
            .where(sealed.model.id > last)
            .order_by(sealed.model.id)
            .limit(size)
        ).all()
        if not rows:
            return
        last = rows[-1].id  # read before the caller commits and lets the rows go
        yield rows


@dataclass
class Pass:
    """One pass over every sealed value: how many were rewritten, and which could not be."""

    changed: int = 0
    unreadable: dict[str, int] = field(default_factory=dict)


def reencrypt_all(ring: Keyring | None = None) -> Pass:
    """Rewrite every value not under the current key, committing batch by batch.

    Short transactions keep the service answering; a value changed by a worker
    since it was read is left alone (the worker sealed it with the current key,
    or the next pass finds it).
    """
    ring = ring or keyring()
    result = Pass()
    for sealed in SEALED_COLUMNS:
        table = sealed.model.__table__
        column = table.c[sealed.column]
        for rows in _batches(sealed):
            for row in rows:
                blob: bytes | None = getattr(row, sealed.column)
                if not blob or Keyring.key_id_of(blob) == ring.current:
                    continue
                context = sealed.context(row)
                try:
                    fresh = ring.encrypt(ring.decrypt(blob, context), context)
                except KeyringError:
                    result.unreadable[sealed.kind] = result.unreadable.get(sealed.kind, 0) + 1
                    continue
                result.changed += rows_changed(
                    sa.update(table)
                    .where(table.c.id == row.id, column == blob)
                    .values({sealed.column: fresh})
                )
            db.session.commit()
            db.session.expunge_all()
    return result


def _key_id(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.substr(column, len(FORMAT) + 1, KEY_ID_LENGTH)


def sealed_under(key_ids: set[str] | None = None) -> dict[str, dict[str, int]]:
    """How many values each key seals, per kind: {key id: {kind: count}}.

    Counted by the database from each value's key id, so no value is read out.
    """
    found: dict[str, dict[str, int]] = {}
    for sealed in SEALED_COLUMNS:
        column = getattr(sealed.model, sealed.column)
        key_id = _key_id(column)
        query = (
            sa.select(key_id, sa.func.count())
            .where(column.is_not(None), sa.func.length(column) > len(FORMAT) + KEY_ID_LENGTH)
            .group_by(key_id)
        )
        for raw, count in db.session.execute(query):
            name = bytes(raw).decode(errors="replace") if not isinstance(raw, str) else raw
            if key_ids is None or name in key_ids:
                found.setdefault(name, {})[sealed.kind] = count
    return found


def keys_in_use() -> set[str]:
    return set(sealed_under())


@dataclass
class Rotation:
    new_key: str
    changed: int = 0
    unreadable: dict[str, int] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    # Keys --retire left in place, with what each still seals: {key id: {kind: count}}.
    still_used: dict[str, dict[str, int]] = field(default_factory=dict)


# A worker that sealed a value just before the switch may commit it after the
# first pass: a few more passes pick such values up.
PASSES = 3


def rotate(retire: bool = False, ring: Keyring | None = None, to: str | None = None) -> Rotation:
    """Make a new key current (or ``to``, a key already in the folder), re-encrypt
    everything under it, and retire the old keys only if nothing sealed with them is left.

    ``to`` is for several servers: the key was added on one, copied to all and made
    current on each (``intake keys add``, ``intake keys use``) before this runs.
    """
    ring = ring or keyring()
    if to is not None:
        ring.use(to)
    old = set(ring.keys) - {to}
    done = Rotation(new_key=to or ring.new_key())
    for _ in range(PASSES):
        result = reencrypt_all(ring)
        done.changed += result.changed
        done.unreadable = result.unreadable
        if not result.changed:
            break
    if not retire:
        return done
    done.still_used = sealed_under(old)
    retiring = {key_id: ring.keys[key_id] for key_id in sorted(old - set(done.still_used))}
    for key_id in retiring:
        ring.retire(key_id)
    # A value sealed with an old key that committed between the count and the
    # deletion would be lost for good: put its key back and say so.
    late = sealed_under(set(retiring))
    for key_id, key in retiring.items():
        if key_id in late:
            ring.put_back(key_id, key)
            done.still_used[key_id] = late[key_id]
        else:
            done.retired.append(key_id)
    return done


def describe(kinds: dict[str, int]) -> str:
    """``submission.answers: 3, meeting.place: 1``"""
    return ", ".join(f"{kind}: {count}" for kind, count in sorted(kinds.items()))


@dataclass(frozen=True)
class Unreadable:
    kind: str
    key_id: str
    failed: int
    tried: int
    total: int


def open_a_sample(per_key: int = 20) -> tuple[int, list[Unreadable]]:
    """Open the newest ``per_key`` values of every kind under every key they name.

    Returns how many were tried and, per kind and key, those that would not
    open: a missing key, or values moved or damaged. The newest are tried
    because they are the ones written while keys last changed.
    """
    ring = keyring()
    tried = 0
    found: list[Unreadable] = []
    totals = sealed_under()
    for sealed in SEALED_COLUMNS:
        column = getattr(sealed.model, sealed.column)
        for key_id, kinds in sorted(totals.items()):
            if sealed.kind not in kinds:
                continue
            rows = db.session.scalars(
                sa.select(sealed.model)
                .where(_key_id(column) == sa.literal(key_id.encode(), sa.LargeBinary))
                .order_by(sealed.model.id.desc())
                .limit(per_key)
            ).all()
            failed = 0
            for row in rows:
                try:
                    ring.decrypt(getattr(row, sealed.column), sealed.context(row))
                except KeyringError:
                    failed += 1
            tried += len(rows)
            if failed:
                found.append(Unreadable(sealed.kind, key_id, failed, len(rows), kinds[sealed.kind]))
            db.session.expunge_all()
    return tried, found
