"""Date and time fields that read what people type, and keep dates within reason.

Digits typed on a phone or with an East Asian keyboard (full-width "２０２６－０１－０２")
are the same digits: they are normalised before parsing instead of refused. A
date far outside the life of a process ("9999-12-31") is a typing slip; it is
refused at the form, with the words kept, because such a date breaks date
arithmetic (a meeting's end, a calendar file) for as long as it is stored.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from wtforms import DateField, DateTimeLocalField, TimeField
from wtforms.validators import ValidationError

from intake.clock import today

EARLIEST = date(1990, 1, 1)
YEARS_AHEAD = 10


def latest(on: date) -> date:
    """Ten years from ``on`` (28 February when ``on`` is 29 February)."""
    try:
        return on.replace(year=on.year + YEARS_AHEAD)
    except ValueError:
        return on.replace(year=on.year + YEARS_AHEAD, day=28)


def _plain(valuelist: list[Any] | None) -> list[Any] | None:
    if not valuelist:
        return valuelist
    return [
        unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v for v in valuelist
    ]


class PlainDigits:
    """Mixin: full-width and other compatibility forms become plain digits and dashes."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(_plain(valuelist))  # type: ignore[misc]


class DayField(PlainDigits, DateField):
    pass


class MomentField(PlainDigits, DateTimeLocalField):
    pass


class TimeOfDayField(PlainDigits, TimeField):
    pass


def within_reason(form: Any, field: Any) -> None:
    """A date (or date and time) from 1990 to ten years from today."""
    value = field.data
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    last = latest(today())
    if not EARLIEST <= day <= last:
        raise ValidationError(
            _(
                "Use a date between %(first)s and %(last)s.",
                first=EARLIEST.isoformat(),
                last=last.isoformat(),
            )
        )
