"""A handover typed in weeks later is dated by the day it happened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.formdef import DefinitionError, parse_definition
from intake.models import Process, Role, Submission
from intake.record.chronology import chronology
from intake.report.content import first_day
from tests import factories
from tests.conftest import submit


@pytest.fixture
def sam(app, client, auth):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "sam", Role.SUPPORT)
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        process_id = alpha.id
    auth.login("sam")
    return process_id


def _handover(client, day: str):
    data = {
        "demands-0-text": "Seek help.",
        "wants_updates": "none",
        "handed_over_on": day,
        "_action": "submit",
    }
    return submit(client, "/p/alpha/submissions/new/handover", data)


def test_the_handover_is_dated_by_the_day_it_happened(app, client, sam):
    later = (today() + timedelta(days=3)).isoformat()
    refused = _handover(client, later)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The day of the handover: that day is still to come." in page
    assert "Seek help." in page  # nothing typed is lost
    day = today() - timedelta(days=40)
    assert _handover(client, day.isoformat()).status_code == 302
    with app.app_context():
        process = db.session.get(Process, sam)
        handover = db.session.query(Submission).filter_by(form_id="handover").one()
        assert handover.happened_on == day
        assert handover.submitted_at.date() == today()  # the day of entry stays too
        events = chronology(process, today(), kinds={"handover"})
        assert [e.on for e in events] == [day]
        assert first_day(process) == day


def test_dated_by_must_name_a_date_question() -> None:
    definition = {
        "id": "x",
        "version": 1,
        "title": "X",
        "dated_by": "note",
        "sections": [
            {"id": "s", "title": "S", "fields": [{"id": "note", "type": "text", "label": "N"}]}
        ],
    }
    with pytest.raises(DefinitionError, match="dated_by must name a date question"):
        parse_definition(definition, "x.yaml")
