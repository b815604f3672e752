"""The silence figures kept per worker follow every change to the log at once: each way a
contact entry or meeting is added, changed or recorded draws a new version of the log."""

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.models import Account, MeetingKind, MeetingState, Process, Role
from intake.record import chronology, meetings
from intake.record.glance import silence_of, steps_not_kept
from intake.record.silence_db import figures_in_db
from intake.submissions import service
from tests import factories


@pytest.fixture
def alpha(app):
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        db.session.commit()
    return app


def _counted_afresh(process):
    missed, overdue = steps_not_kept(process, today())
    fresh = figures_in_db(process, today())
    return replace(fresh, steps_missed=missed, steps_overdue=overdue)


def _shown(process):
    """What a page shows, asked twice (the second time from what was kept)."""
    first = silence_of(process, today())
    assert silence_of(process, today()) == first
    return first


def _entry(process, kim, days_ago: int, direction: str, submission=None):
    answers = {
        "date": (today() - timedelta(days=days_ago)).isoformat(),
        "direction": direction,
        "summary": "words",
    }
    return service.save(
        process,
        service.definition("contact"),
        kim,
        answers,
        submission=submission,
        started_from=submission.lock_version if submission else None,
        submit=True,
    ).submission


def test_every_change_to_the_log_shows_in_the_kept_figures(alpha):
    with alpha.app_context():
        process = db.session.scalar(db.select(Process))
        kim = db.session.scalar(db.select(Account).where(Account.username == "kim"))
        seen = [_shown(process)]

        def check() -> None:
            shown = _shown(process)
            assert shown == _counted_afresh(process)
            assert shown != seen[-1], "the change did not show"
            seen.append(shown)

        record = _entry(process, kim, 30, "we_wrote")
        db.session.commit()
        check()  # a new entry, committed
        _entry(process, kim, 20, "he_wrote")
        check()  # a new entry, not committed yet: the same request shows it
        db.session.commit()
        _entry(process, kim, 25, "he_wrote", submission=record)
        db.session.commit()
        check()  # an entry changed in place: our message became his answer
        meeting = meetings.plan(
            process,
            kind=MeetingKind.WITH_HIM,
            starts_at=datetime.combine(today() - timedelta(days=2), time(10), tzinfo=UTC),
            place="",
            expected="",
            by=kim,
        )
        db.session.commit()
        meetings.record_outcome(meeting, MeetingState.MISSED, meeting.lock_version)
        db.session.commit()
        check()  # an outcome, recorded with a plain UPDATE


def test_a_change_rolled_back_leaves_no_kept_figures_behind(alpha):
    with alpha.app_context():
        process = db.session.scalar(db.select(Process))
        kim = db.session.scalar(db.select(Account).where(Account.username == "kim"))
        before = _shown(process)
        _entry(process, kim, 3, "we_wrote")
        assert _shown(process) != before  # counted inside the transaction, and kept
        db.session.rollback()
        assert _shown(process) == before == _counted_afresh(process)
        _entry(process, kim, 9, "he_wrote")  # another change: not mistaken for the first
        db.session.commit()
        assert _shown(process) == _counted_afresh(process) != before


def test_the_chronology_marks_silences_as_the_log_and_the_limit_stand_now(alpha):
    with alpha.app_context():
        process = db.session.scalar(db.select(Process))
        kim = db.session.scalar(db.select(Account).where(Account.username == "kim"))
        process.silence_alarm_days = 30

        def marked() -> list[str]:
            events = chronology.chronology(process, today(), kinds={"contact"})
            return [e.title for e in events if e.flag == "silence"]

        assert marked() == []
        _entry(process, kim, 40, "we_wrote")
        db.session.commit()
        assert marked() == ["No answer for 40 days so far"]
        _entry(process, kim, 5, "he_wrote")
        db.session.commit()
        assert marked() == ["No answer for 35 days"]
        process.silence_alarm_days = 50
        db.session.commit()
        assert marked() == []
