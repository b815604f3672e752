"""The figures the database counts are the figures of the pure rules, for any log."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.extensions import db
from intake.models import (
    ContactEntry,
    Direction,
    Meeting,
    MeetingKind,
    MeetingState,
    Role,
    Submission,
)
from intake.record import glance
from intake.record.glance import facts_of
from intake.record.silence import Fact, figures, gaps
from intake.record.silence_db import figures_in_db, silences_longer_than
from intake.submissions import service
from tests import factories

TODAY = date(2026, 6, 30)
FIRST = TODAY - timedelta(days=120)

days = st.integers(min_value=0, max_value=40)  # narrow: many days hold several facts
days = days.map(lambda n: FIRST + timedelta(days=n))
messages = st.lists(st.tuples(days, st.sampled_from(list(Direction)), st.booleans()), max_size=25)
meetings = st.lists(
    st.tuples(
        days,
        st.sampled_from([time(0, 0), time(12, 0), time(23, 59)]),  # the UTC day counts
        st.sampled_from(list(MeetingKind)),
        st.sampled_from(list(MeetingState)),
    ),
    max_size=8,
)


@pytest.fixture
def template(app):
    """A process and one stored contact record whose submission the test rows copy."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        answers = {"date": FIRST.isoformat(), "direction": "we_wrote", "summary": "s"}
        record = service.save(
            alpha, service.definition("contact"), kim, answers, submit=True
        ).submission
        db.session.commit()
        yield alpha, record


def _store(process, record: Submission, log, meets) -> None:
    db.session.execute(sa.delete(ContactEntry).where(ContactEntry.process_id == process.id))
    db.session.execute(sa.delete(Meeting).where(Meeting.process_id == process.id))
    db.session.execute(
        sa.delete(Submission).where(Submission.process_id == process.id, Submission.id != record.id)
    )
    for on, direction, real in log:
        copy = Submission(
            process_id=process.id,
            form_id="contact",
            form_version=record.form_version,
            snapshot_id=record.snapshot_id,
            status=record.status,
            answers=record.answers,
        )
        db.session.add(copy)
        db.session.flush()
        db.session.add(
            ContactEntry(
                process_id=process.id,
                submission_id=copy.id,
                on=on,
                direction=direction,
                real_answer=real,
            )
        )
    for on, at, kind, state in meets:
        db.session.add(
            Meeting(
                process_id=process.id,
                kind=kind,
                state=state,
                starts_at=datetime.combine(on, at, tzinfo=UTC),
            )
        )
    db.session.flush()


def _facts(log, meets) -> list[Fact]:
    """The facts as the rules define them, straight from what was generated."""
    return [
        *(
            Fact(on, direction is Direction.HE_WROTE, real=real)
            for on, direction, real in log
            if direction is not Direction.SOMEONE_ELSE
        ),
        *(
            Fact(on, state is MeetingState.HELD, meeting=True)
            for on, _at, kind, state in meets
            if kind is MeetingKind.WITH_HIM and state in (MeetingState.HELD, MeetingState.MISSED)
        ),
    ]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=messages, meets=meetings, as_of=days, limit=st.integers(0, 40))
def test_the_database_counts_what_the_rules_define(template, log, meets, as_of, limit) -> None:
    process, record = template
    _store(process, record, log, meets)
    facts = _facts(log, meets)
    assert figures_in_db(process, as_of, steps_missed=2, steps_overdue=1) == figures(
        facts, as_of, steps_missed=2, steps_overdue=1
    )
    assert Counter(facts_of(process)) == Counter(facts)  # what the report-back counts
    assert silences_longer_than(process, as_of, limit) == [
        g for g in gaps(facts, as_of) if g.days > limit
    ]
    db.session.rollback()


def test_the_page_figures_are_the_database_ones(template) -> None:
    process, record = template
    log = [
        (FIRST, Direction.WE_WROTE, True),
        (FIRST + timedelta(days=9), Direction.HE_WROTE, False),
    ]
    _store(process, record, log, [])
    shown = glance.silence_of(process, TODAY)
    assert shown == figures(_facts(log, []), TODAY)
    assert shown.days_since_last_answer == (TODAY - FIRST).days - 9
