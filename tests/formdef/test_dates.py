"""Dates as typed: full-width digits are read; days outside 1990 to ten years ahead refused."""

from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import MultiDict
from wtforms import Form

from intake.clock import today
from intake.formdef.dates import (
    EARLIEST,
    DayField,
    MomentField,
    TimeOfDayField,
    latest,
    within_reason,
)


@pytest.fixture
def words() -> Flask:
    """Only what the messages need (English words), no database: the rules are pure."""
    app = Flask(__name__)
    Babel(app)
    return app


@pytest.mark.parametrize(
    ("on", "last"),
    [
        (date(2026, 1, 2), date(2036, 1, 2)),
        (date(2026, 12, 31), date(2036, 12, 31)),
        (date(2024, 2, 29), date(2034, 2, 28)),  # no 29 February in 2034
        (date(2028, 2, 29), date(2038, 2, 28)),
        (date(2026, 2, 28), date(2036, 2, 28)),
        (date(2030, 2, 28), date(2040, 2, 28)),  # 2040 has a 29th; the 28th stays the 28th
    ],
)
def test_latest_is_ten_years_ahead(on: date, last: date) -> None:
    assert latest(on) == last


class _Dates(Form):
    day = DayField(validators=[within_reason])
    moment = MomentField(validators=[within_reason])
    at = TimeOfDayField()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ({"day": "2026-01-02"}, {"day": date(2026, 1, 2)}),
        ({"day": "２０２６－０１－０２"}, {"day": date(2026, 1, 2)}),  # full-width
        ({"day": "  2026-01-02 "}, {"day": date(2026, 1, 2)}),
        ({"moment": "２０２６－０１－０２Ｔ１８：３０"}, {"moment": datetime(2026, 1, 2, 18, 30)}),
        ({"at": "１８：３０"}, {"at": time(18, 30)}),
        ({"at": "07:05"}, {"at": time(7, 5)}),
    ],
)
def test_what_is_typed_is_read(words: Flask, typed: dict, read: dict) -> None:
    with words.test_request_context():
        form = _Dates(MultiDict(typed))
        assert form.validate(), form.errors
        for name, value in read.items():
            assert form[name].data == value


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-02-30", "02.01.2026", "tomorrow", "2026"])
def test_what_is_not_a_day_is_refused(words: Flask, typed: str) -> None:
    with words.test_request_context():
        form = _Dates(MultiDict({"day": typed}))
        assert not form.validate()
        assert form.day.data is None and form.day.errors


def _last() -> date:
    return latest(today())


@pytest.mark.parametrize(
    ("field", "value", "taken"),
    [
        ("day", lambda: EARLIEST, True),
        ("day", lambda: EARLIEST - timedelta(days=1), False),
        ("day", lambda: date(1, 1, 1), False),
        ("day", _last, True),
        ("day", lambda: _last() + timedelta(days=1), False),
        ("day", lambda: date(9999, 12, 31), False),
        ("moment", lambda: datetime.combine(EARLIEST, time(0, 0)), True),
        ("moment", lambda: datetime.combine(EARLIEST, time(0, 0)) - timedelta(minutes=1), False),
        ("moment", lambda: datetime.combine(_last(), time(23, 59)), True),
        ("moment", lambda: datetime.combine(_last() + timedelta(days=1), time(0, 0)), False),
    ],
    ids=[
        "first day",
        "day before the first",
        "year one",
        "last day",
        "day after the last",
        "year 9999",
        "first minute",
        "minute before the first",
        "last minute",
        "minute after the last",
    ],
)
def test_dates_within_reason(words: Flask, field: str, value, taken: bool) -> None:
    typed = value()
    text = typed.isoformat() if field == "day" else typed.strftime("%Y-%m-%dT%H:%M")
    with words.test_request_context():
        form = _Dates(MultiDict({field: text}))
        assert form.validate() is taken, form.errors
        if not taken:
            message = f"Use a date between 1990-01-01 and {_last().isoformat()}."
            assert form[field].errors == [message]
