"""The silence figures counted in the database: a few aggregate rows, whatever the age
of the log.

The rules are those of ``intake.record.silence`` (the pure function ``figures`` is
the definition; ``tests/record/test_silence_db.py`` checks over random logs that
both give the same figures). Here they are written as SQL so that a page never
loads years of contact entries into Python to show eight numbers.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from intake.extensions import db
from intake.models import ContactEntry, Direction, Meeting, MeetingKind, MeetingState, Process
from intake.record.silence import Fact, Gap, Silence
from intake.record.sqldays import day_of, days_between


def _facts(process_id: int, today: date | None) -> sa.CTE:
    """The calls on him and his answers (up to ``today``): (day, his, real, meeting).

    The one place that says which entries and meetings count: the figures, the
    silences of the chronology and the report-back's periods all read it.
    """
    messages = sa.select(
        ContactEntry.on.label("day"),
        sa.case((ContactEntry.direction == Direction.HE_WROTE, 1), else_=0).label("his"),
        sa.case((ContactEntry.real_answer, 1), else_=0).label("real"),
        sa.literal_column("0").label("meeting"),
    ).where(
        ContactEntry.process_id == process_id,
        ContactEntry.direction != Direction.SOMEONE_ELSE,
        ContactEntry.on <= today if today else sa.true(),
    )
    meeting_day = day_of(Meeting.starts_at)
    meetings = sa.select(
        meeting_day.label("day"),
        sa.case((Meeting.state == MeetingState.HELD, 1), else_=0).label("his"),
        sa.literal_column("1").label("real"),
        sa.literal_column("1").label("meeting"),
    ).where(
        Meeting.process_id == process_id,
        Meeting.kind == MeetingKind.WITH_HIM,
        Meeting.state.in_([MeetingState.HELD, MeetingState.MISSED]),
        meeting_day <= today if today else sa.true(),
    )
    return sa.union_all(messages, meetings).cte("facts")


def _gaps(facts: sa.CTE) -> sa.CTE:
    """Each silence as (start, end); ``end`` is NULL while it lasts.

    In the order of the pure rules (by day, his answers before our calls on the
    same day), a call waits for the answer that follows it: counting his answers
    before each call groups the calls that wait for the same answer; the earliest
    of a group starts the silence, and the next answer in order ends it.
    """
    seen = (
        sa.func.sum(facts.c.his)
        .over(order_by=(facts.c.day, facts.c.his.desc()), rows=(None, 0))
        .label("seen")
    )
    ordered = sa.select(facts.c.day, facts.c.his, seen).cte("ordered")
    starts = (
        sa.select(ordered.c.seen, sa.func.min(ordered.c.day).label("start"))
        .where(ordered.c.his == 0)
        .group_by(ordered.c.seen)
        .cte("starts")
    )
    answers = (
        sa.select(facts.c.day, sa.func.row_number().over(order_by=facts.c.day).label("number"))
        .where(facts.c.his == 1)
        .cte("answers")
    )
    return (
        sa.select(starts.c.start, answers.c.day.label("end"))
        .select_from(starts.outerjoin(answers, answers.c.number == starts.c.seen + 1))
        .cte("gaps")
    )


def facts(process: Process) -> list[Fact]:
    """Every fact of the log, for counting a period in Python (the report-back)."""
    rows = db.session.execute(sa.select(_facts(process.id, None))).all()
    return [
        Fact(day, his == 1, meeting=meeting == 1, real=real == 1)
        for day, his, real, meeting in rows
    ]


def figures_in_db(
    process: Process, today: date, *, steps_missed: int = 0, steps_overdue: int = 0
) -> Silence:
    """``silence.figures`` of the process's log as of ``today``, counted by the database."""
    facts = _facts(process.id, today)
    call, answer = facts.c.his == 0, facts.c.his == 1
    meeting = facts.c.meeting == 1
    firsts = sa.select(
        sa.func.max(facts.c.day).filter(answer).label("last_answer"),
        sa.func.min(facts.c.day).filter(call).label("first_any_call"),
        sa.func.min(facts.c.day).filter(call, sa.not_(meeting)).label("first_call"),
        sa.func.count().filter(answer, meeting).label("held"),
        sa.func.count().filter(call, meeting).label("missed"),
    ).cte("firsts")
    last_answer = sa.select(firsts.c.last_answer).scalar_subquery()
    first_call = sa.select(firsts.c.first_call).scalar_subquery()
    after_first_call = facts.c.day >= first_call
    thens = sa.select(
        sa.func.count()
        .filter(call, sa.or_(last_answer.is_(None), facts.c.day >= last_answer))
        .label("unanswered"),
        sa.func.min(facts.c.day)
        .filter(answer, after_first_call, sa.or_(meeting, facts.c.real == 1))
        .label("first_real"),
        sa.func.min(facts.c.day).filter(answer, meeting, after_first_call).label("first_meeting"),
    ).cte("thens")
    gaps = _gaps(facts)
    length = days_between(gaps.c.start, sa.func.coalesce(gaps.c.end, sa.literal(today, sa.Date)))
    ended = gaps.c.end.is_not(None)
    waits = sa.select(
        sa.func.max(length).label("longest"),
        sa.func.sum(length).filter(ended).label("waited"),
        sa.func.count().filter(ended).label("ended"),
    ).cte("waits")
    # Three one-row results side by side.
    both = firsts.join(thens, sa.true()).join(waits, sa.true())
    row = db.session.execute(sa.select(firsts, thens, waits).select_from(both)).one()
    start = row.last_answer or row.first_any_call
    return Silence(
        days_since_last_answer=(today - start).days if start else None,
        ever_answered=row.last_answer is not None,
        unanswered_since_last_answer=row.unanswered,
        longest_silence_days=row.longest or 0,
        average_days_to_answer=round(row.waited / row.ended, 1) if row.ended else None,
        days_to_first_real_answer=(row.first_real - row.first_call).days
        if row.first_real and row.first_call
        else None,
        days_to_first_meeting=(row.first_meeting - row.first_call).days
        if row.first_meeting and row.first_call
        else None,
        meetings_held=row.held,
        meetings_missed=row.missed,
        steps_missed=steps_missed,
        steps_overdue=steps_overdue,
    )


def silences_longer_than(process: Process, today: date, days: int) -> list[Gap]:
    """``silence.gaps`` of the log as of ``today`` that lasted more than ``days``, oldest
    first: the silences the group marks, found without reading the log into Python."""
    gaps = _gaps(_facts(process.id, today))
    end = sa.func.coalesce(gaps.c.end, sa.literal(today, sa.Date))
    rows = db.session.execute(
        sa.select(gaps.c.start, gaps.c.end)
        .where(days_between(gaps.c.start, end) > days)
        .order_by(gaps.c.start)
    ).all()
    return [Gap(start, end or today, ongoing=end is None) for start, end in rows]
