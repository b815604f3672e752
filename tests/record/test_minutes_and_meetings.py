"""Meetings and their minutes are one thing: minutes attach to the meeting of their day."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import Meeting, MeetingState, Role, Submission
from tests import factories
from tests.conftest import submit

DAY = today() - timedelta(days=10)


@pytest.fixture
def kim(app, client, auth):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    auth.login("kim")
    planned = {"kind": "with_him", "day": DAY.isoformat(), "time": "18:00"}
    assert submit(client, "/p/alpha/meetings/", planned).status_code == 302
    return client


def _meetings(app) -> list[Meeting]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Meeting)))


def _minutes(client, outcome: str, path: str = "/p/alpha/submissions/new/minutes", **extra):
    data = {
        "kind": "with_him",
        "planned_date": DAY.isoformat(),
        "outcome": outcome,
        "his_reflections": "He listened.",
        "_action": "submit",
        **extra,
    }
    return submit(client, path, data)


def test_minutes_for_a_planned_meeting_attach_to_it(app, kim):
    assert _minutes(kim, "held").status_code == 302
    [meeting] = _meetings(app)  # never a second meeting for the same day
    assert meeting.state is MeetingState.HELD
    with app.app_context():
        minutes = db.session.scalar(sa.select(Submission).filter_by(form_id="minutes"))
        assert minutes.meeting_id == meeting.id


def test_minutes_never_overwrite_a_recorded_outcome_silently(app, kim):
    [meeting] = _meetings(app)
    outcome = {"state": "missed", "lock_version": str(meeting.lock_version)}
    submit(kim, f"/p/alpha/meetings/{meeting.id}/outcome", outcome, page="/p/alpha/meetings/")
    link = f"/p/alpha/submissions/new/minutes?meeting={meeting.id}"
    form = kim.get(link).get_data(as_text=True)
    assert (
        '<input checked id="outcome-1" name="outcome" required type="radio" value="missed">' in form
    )
    refused = _minutes(kim, "held", path=link)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "is already recorded as missed: he did not come, but these minutes say held" in page
    assert "He listened." in page  # nothing typed is lost
    assert _minutes(kim, "missed", path=link).status_code == 302
    [meeting] = _meetings(app)
    assert meeting.state is MeetingState.MISSED
