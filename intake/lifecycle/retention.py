"""Retention: a process may set the day it is erased, and everyone is warned beforehand.

Members have no email addresses here, so warnings are shown in the app: on
every page of the process from ``WARN_DAYS`` before the day, with a link for
coordinators to export or move the date. ``intake retention``, run daily by
the operator, erases what is due and lists what comes next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.lifecycle.erase import erase_process
from intake.models import Process
from intake.security import audit

WARN_DAYS = 30
LATEST = 100  # years ahead; a date beyond that is a typing mistake


class RetentionError(ValueError):
    """A date that cannot be an erase date; the message says what to choose."""


@dataclass(frozen=True)
class Notice:
    on: date
    days_left: int

    @property
    def is_warning(self) -> bool:
        return self.days_left <= WARN_DAYS

    @property
    def is_due(self) -> bool:
        """The day has come, and the daily ``intake retention`` has not run yet."""
        return self.days_left <= 0


def notice(process: Process, today: date) -> Notice | None:
    if process.erase_on is None:
        return None
    return Notice(process.erase_on, (process.erase_on - today).days)


def check_erase_date(on: date | None, today: date) -> None:
    """Refuse a day that cannot be an erase date, saying which to choose."""
    if on is not None and on <= today:
        raise RetentionError(_l("Choose a day after today."))
    if on is not None and on.year > today.year + LATEST:
        raise RetentionError(_l("Choose a day within the next hundred years."))


def set_erase_date(process: Process, on: date | None, today: date) -> None:
    """Set or clear the day the process is erased; the change is audited."""
    check_erase_date(on, today)
    process.erase_on = on
    audit.record("retention-changed", process=process, subject=on.isoformat() if on else "none")


def due(today: date) -> list[Process]:
    return list(
        db.session.scalars(
            sa.select(Process).where(Process.erase_on <= today).order_by(Process.erase_on)
        )
    )


def coming(today: date, within: int = WARN_DAYS) -> list[Process]:
    """Processes to be erased after today and within ``within`` days, soonest first."""
    return list(
        db.session.scalars(
            sa.select(Process)
            .where(Process.erase_on > today, Process.erase_on <= today + timedelta(days=within))
            .order_by(Process.erase_on, Process.short_name)
        )
    )


def erase_due(today: date) -> list[str]:
    """Erase every process whose day has come; their short names, for the operator."""
    erased = []
    for process in due(today):
        # An instance event: the process's own log goes with it.
        erased.append(process.short_name)
        erase_process(process, how=" retention")
    return erased
