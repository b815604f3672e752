"""Facts entered late carry the day they happened; the day of entry stays in their history."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import (
    AgreedStep,
    Demand,
    DemandStatus,
    Process,
    Role,
    StepOwner,
    Submission,
)
from intake.record.chronology import chronology
from intake.record.steps import add_step
from tests import factories
from tests.conftest import submit


def ago(days: int):
    return today() - timedelta(days=days)


@pytest.fixture
def alpha(app) -> dict[str, int]:
    with app.app_context():
        process = factories.process("alpha", "X")
        kim = factories.member(process, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(process, "sam", Role.SUPPORT).account
        factories.record(
            process,
            "handover",
            sam,
            {
                "demands": [{"text": "Seek help."}, {"text": "Inform his group."}],
                "wants_updates": "none",
            },
        )
        step = add_step(
            process,
            what="Write to a programme",
            owner=StepOwner.HIM,
            deadline=ago(20),
            agreed_on=ago(60),
            by=kim,
        )
        email = factories.record(
            process,
            "contact",
            kim,
            {
                "date": ago(30).isoformat(),
                "channel": "email",
                "direction": "he_wrote",
                "summary": "He refuses to inform his group.",
            },
        )
        db.session.commit()
        demand = db.session.scalar(sa.select(Demand).filter_by(number=2))
        return {"process": process.id, "step": step.id, "email": email.id, "demand": demand.id}


def test_a_step_missed_weeks_ago_is_dated_then(app, client, auth, alpha):
    auth.login("kim")
    url = f"/p/alpha/steps/{alpha['step']}"
    with app.app_context():
        version = str(db.session.get(AgreedStep, alpha["step"]).lock_version)
    base = {"status": "missed", "deadline": ago(20).isoformat(), "lock_version": version}
    future = submit(client, url, {**base, "on": (today() + timedelta(days=3)).isoformat()})
    assert future.status_code == 422
    page = future.get_data(as_text=True)
    assert "That day is still to come" in page
    too_early = submit(client, url, {**base, "on": ago(90).isoformat()})
    assert "before the step was agreed" in too_early.get_data(as_text=True)
    done = submit(client, url, {**base, "on": ago(15).isoformat()})
    assert done.status_code == 302
    with app.app_context():
        step = db.session.get(AgreedStep, alpha["step"])
        assert step.status_on == ago(15)
        events = chronology(db.session.get(Process, alpha["process"]), today(), kinds={"step"})
    assert any(e.on == ago(15) and "missed" in e.title for e in events)
    history = client.get(url).get_data(as_text=True)
    assert "entered on" in history


def test_his_refusal_by_email_is_recorded_with_its_evidence(app, client, auth, alpha):
    auth.login("kim")
    url = f"/p/alpha/demands/{alpha['demand']}/status"
    form = client.get(url).get_data(as_text=True)
    assert f'value="{alpha["email"]}"' in form  # the e-mail is offered as evidence
    nothing = submit(client, url, {"status": "refused", "on": ago(30).isoformat()})
    assert nothing.status_code == 422
    assert "choose the record that shows it, or write the reason" in nothing.get_data(as_text=True)
    future = submit(
        client,
        url,
        {"status": "refused", "on": (today() + timedelta(days=1)).isoformat(), "reason": "x"},
    )
    page = future.get_data(as_text=True)
    assert "That day is still to come" in page and "x</textarea>" in page
    done = submit(
        client,
        url,
        {"status": "refused", "on": ago(30).isoformat(), "evidence": str(alpha["email"])},
    )
    assert done.status_code == 302
    # Before anything of the process happened: refused, with the day named.
    early = submit(client, url, {"status": "in_progress", "on": ago(50).isoformat(), "reason": "?"})
    assert "before the process began" in early.get_data(as_text=True)
    # Entered later, about an earlier day: the latest day's status stands.
    with app.app_context():
        process = db.session.get(Process, alpha["process"])
        process.created_at = process.created_at - timedelta(days=60)
        db.session.commit()
    late = submit(
        client, url, {"status": "in_progress", "on": ago(50).isoformat(), "reason": "A call."}
    )
    assert late.status_code == 302, late.get_data(as_text=True)[-3000:]
    with app.app_context():
        demand = db.session.get(Demand, alpha["demand"])
        assert demand.status is DemandStatus.REFUSED
        events = chronology(db.session.get(Process, alpha["process"]), today(), kinds={"demand"})
    refused = [e for e in events if "refused" in e.title]
    assert refused[0].on == ago(30)
    assert refused[0].link == ("submissions.show", {"submission_id": alpha["email"]})
    history = client.get("/p/alpha/demands/").get_data(as_text=True)
    assert "the record that shows it" in history and "A call." in history
    assert "entered on" in history


def test_evidence_from_another_process_is_refused(app, client, auth, alpha):
    with app.app_context():
        beta = factories.process("beta", "Y")
        bo = factories.member(beta, "bo", Role.CONTACT, coordinator=True).account
        theirs = factories.record(
            beta,
            "contact",
            bo,
            {
                "date": ago(3).isoformat(),
                "channel": "email",
                "direction": "we_wrote",
                "summary": "s",
            },
        )
        theirs_id = theirs.id
    auth.login("kim")
    url = f"/p/alpha/demands/{alpha['demand']}/status"
    refused = submit(
        client, url, {"status": "met", "on": ago(3).isoformat(), "evidence": str(theirs_id)}
    )
    assert refused.status_code == 422 and "Not a valid choice" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Demand, alpha["demand"]).status is DemandStatus.NOT_STARTED
        assert db.session.get(Submission, theirs_id).process_id != alpha["process"]


def test_only_the_contact_group_records_a_status(app, client, auth, alpha):
    auth.login("sam")
    assert client.get(f"/p/alpha/demands/{alpha['demand']}/status").status_code == 404
    assert "Record a change of status" not in client.get("/p/alpha/demands/").text
