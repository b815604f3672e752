"""Minutes of a meeting held this morning are stored, whatever the hour (a 500 before)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from intake.extensions import db
from intake.models import Meeting, MeetingState, Role
from intake.record import meetings
from tests import factories
from tests.conftest import submit


def test_minutes_written_before_noon_for_today(app, client, auth, monkeypatch) -> None:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    auth.login("kim")
    morning = datetime.now(UTC).replace(hour=9, minute=30)
    monkeypatch.setattr(meetings, "utcnow", lambda: morning)
    answers = {
        "kind": "internal",
        "planned_date": morning.date().isoformat(),
        "outcome": "held",
        "group_notes": "Met this morning.",
        "_action": "submit",
    }
    saved = submit(client, "/p/alpha/submissions/new/minutes", answers)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    with app.app_context():
        meeting = db.session.scalars(sa.select(Meeting)).one()
        assert meeting.state is MeetingState.HELD
        assert meeting.starts_at.date() == morning.date()
