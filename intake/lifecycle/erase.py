"""Erasing a process: one function for the page, the command line and the retention day.

The audit entry is written and committed first: the erasing account may itself
go with the process, and the entry is what remains to say that it happened.
"""

from __future__ import annotations

import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, Membership, Process
from intake.security import audit


def erase_process(process: Process, *, how: str = "") -> int:
    """Audit, commit, then erase the process; returns how many accounts went with it.

    ``how`` is added to the audit entry's subject (``" retention"`` on its erase day).
    """
    audit.record("process-erased", subject=f"process:{process.id}{how}")
    db.session.commit()
    return _delete(process)


def _delete(process: Process) -> int:
    """Delete a process and everything of it, and the accounts that belonged only to it.

    Only accounts this process created go with it: an account that existed before and
    was merely asked to join belongs to whoever made it.
    """
    member_ids = set(
        db.session.scalars(
            sa.select(Membership.account_id).where(
                Membership.process_id == process.id, Membership.created_account.is_(True)
            )
        )
    )
    elsewhere = set(
        db.session.scalars(
            sa.select(Membership.account_id).where(
                Membership.process_id != process.id, Membership.account_id.in_(member_ids)
            )
        )
    )
    admins = set(db.session.scalars(sa.select(Account.id).where(Account.is_instance_admin)))
    only_here = member_ids - elsewhere - admins
    # The database's ON DELETE CASCADE removes every record of the process.
    db.session.execute(sa.delete(Process).where(Process.id == process.id))
    db.session.execute(sa.delete(Account).where(Account.id.in_(only_here)))
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        # secure_delete overwrote the freed pages; move the WAL into the file and truncate it.
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
    return len(only_here)
