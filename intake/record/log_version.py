"""The log's version: figures counted from years of a process's log are kept until the
log changes.

Every flush that adds, changes or removes a contact entry or a meeting draws a new
``Process.log_version`` for its process, in the same transaction as the change; so does
``changed`` for the one place that changes a meeting with a plain UPDATE (an outcome,
``intake.formdef.locking.claim``). The silence figures of a process are kept, in each
worker, under its id, its version and the day they are counted for
(``intake.record.glance.silence_of``): a request that reads the process after a change
was committed sees the new version and counts again. The version is random, not
counted up, so that a change rolled back never comes back as a version already kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from intake.models import ContactEntry, Meeting, Process

T = TypeVar("T")
_WATCHED = (ContactEntry, Meeting)
_PENDING = "intake.log_version.changed"
KEPT = 512  # figures kept per worker: a few days of every process of an instance


def changed(session: Session, process_ids: set[int]) -> None:
    """Draw a new version for these processes (their log changed in this transaction)."""
    _draw(session, process_ids)
    _expire(session, process_ids)


def _draw(session: Session, process_ids: set[int]) -> None:
    for process_id in sorted(process_ids):  # one order, so two writers never wait in a ring
        session.execute(
            sa.update(Process)
            .where(Process.id == process_id)
            .values(log_version=secrets.randbits(62))
            .execution_options(synchronize_session=False)
        )


def _expire(session: Session, process_ids: set[int]) -> None:
    # The process as loaded by this request still carries the old version.
    for process_id in process_ids:
        process = session.identity_map.get(identity_key(Process, process_id))
        if process is not None:
            session.expire(process, ["log_version"])


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    touched = {
        obj.process_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, _WATCHED)
        and (obj in session.new or obj in session.deleted or session.is_modified(obj))
    }
    touched.discard(None)  # a row not yet given to a process
    _draw(session, touched)
    if touched:
        session.info.setdefault(_PENDING, set()).update(touched)


@event.listens_for(Session, "after_flush_postexec")
def _after_flush_postexec(session: Session, _context: Any) -> None:
    # Expiring is not allowed while the flush runs; it is, once it is done.
    _expire(session, session.info.pop(_PENDING, set()))


def kept(key: Hashable, count: Callable[[], T]) -> T:
    """``count()``, kept in this app under ``key`` (which must name a ``log_version``)."""
    store: dict[Hashable, Any] = current_app.extensions.setdefault("intake.log_figures", {})
    found = store.get(key)
    if found is None:
        if len(store) >= KEPT:
            store.clear()
        found = store[key] = count()
    return found
