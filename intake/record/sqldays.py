"""Days in SQL, the same on SQLite and PostgreSQL, so that figures and pages can be
counted in the database instead of by loading years of rows into Python.

Times are stored in UTC (``intake.models.base.UTCDateTime``); the day of a time is
its UTC day, as ``datetime.date()`` gives it in Python.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class day_of(FunctionElement):
    """The UTC day of a stored time."""

    type = sa.Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_of_default(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"DATE({compiler.process(element.clauses, **kw)})"


@compiles(day_of, "postgresql")
def _day_of_postgresql(element: day_of, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


class days_between(FunctionElement):
    """Whole days from the first day to the second (negative when it lies before)."""

    type = sa.Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    return (
        f"CAST(ROUND(JULIANDAY({compiler.process(end, **kw)}) "
        f"- JULIANDAY({compiler.process(start, **kw)})) AS INTEGER)"
    )


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    start, end = list(element.clauses)
    end_day, start_day = compiler.process(end, **kw), compiler.process(start, **kw)
    return f"(CAST({end_day} AS DATE) - CAST({start_day} AS DATE))"
