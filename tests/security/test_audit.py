"""The audit log: every change and read written down, no content in it, readable by coordinators."""

import logging

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import AuditEvent, Role
from tests import factories
from tests.conftest import submit

MARKER = "AUDIT-LEAK-MARKER-661"


@pytest.fixture
def alpha(app):
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        factories.member(process, "lu", Role.CONTACT)
        sam = factories.member(process, "sam", Role.SUPPORT).account
        factories.record(
            process,
            "handover",
            sam,
            {"demands": [{"text": f"One {MARKER}"}], "wants_updates": "none"},
        )
        factories.account("root", admin=True)
        return process.id


def _actions(app, process_id=None):
    with app.app_context():
        rows = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(e.action, e.process_id) for e in rows]


def test_changes_and_reads_are_logged_without_content(app, client, auth, alpha, caplog):
    caplog.set_level(logging.DEBUG)
    auth.login("kim")
    with app.app_context():
        from intake.models import Demand

        demand_id = db.session.query(Demand).one().id
    submit(
        client,
        f"/p/alpha/demands/{demand_id}/amend",
        {"text": f"New {MARKER}", "reason": f"Because {MARKER}"},
    )
    submit(
        client,
        "/p/alpha/members/new",
        {"display_name": f"Robin {MARKER}", "username": "robin", "role": "central"},
    )
    submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": f"R {MARKER}",
            "form_id": "checkin",
            "intro": MARKER,
            "people": f"p {MARKER}",
            "days": "7",
            "send_email": "no",
        },
    )
    with app.app_context():
        from intake.models import Submission

        submission_id = db.session.query(Submission).filter_by(form_id="handover").one().id
    client.get(f"/p/alpha/submissions/{submission_id}/pdf")
    actions = [a for a, _p in _actions(app)]
    for expected in (
        "signin",
        "amendment-proposed",
        "member-added",
        "invitations-created",
        "document-read",
    ):
        assert expected in actions, expected
    page = client.get("/p/alpha/audit").get_data(as_text=True)
    assert "proposed an amendment" in page and "downloaded a record as PDF" in page
    with app.app_context():
        for event in db.session.query(AuditEvent):
            assert MARKER not in f"{event.action} {event.subject}"
    assert MARKER not in caplog.text
    assert MARKER not in page.split("<main", 1)[1]


def test_only_coordinators_read_the_process_log(app, client, auth, alpha):
    auth.login("lu")
    assert client.get("/p/alpha/audit").status_code == 404
    submit(client, "/logout", page="/")
    auth.login("root")
    assert client.get("/p/alpha/audit").status_code == 404
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "signed in" in page


def test_failed_sign_ins_are_instance_events(app, client, auth, alpha):
    submit(client, "/login", {"username": "kim", "password": "not the password"})
    assert ("signin-failed", None) in _actions(app)


def test_audit_events_cannot_be_changed(app, alpha):
    with app.app_context():
        db.session.add(AuditEvent(action="signin"))
        db.session.commit()
        event = db.session.query(AuditEvent).first()
        event.action = "forged"
        with pytest.raises(RuntimeError, match="never changed"):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(RuntimeError, match="never deleted"):
            db.session.delete(db.session.query(AuditEvent).first())
            db.session.commit()
