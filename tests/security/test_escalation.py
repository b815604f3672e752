"""Privilege escalation: extra fields in forms, and members on coordinator routes.

Every form here is sent the way an attacker would: with fields it never shows,
naming roles, flags and other processes' ids. None of them may change anything.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import url_for

from intake.extensions import db
from intake.models import Account, AgreedStep, Membership, Process, ReportBack, Role, Submission
from intake.people.accounts import issue_setup_link
from intake.security.policy import RULES
from intake.submissions import service
from tests import factories
from tests.conftest import csrf_token, submit

ESCALATION = {
    "is_instance_admin": "y",
    "is_coordinator": "y",
    "role": "contact",
    "process_id": "",  # filled with the other process's id
    "account_id": "1",
    "author_id": "1",
    "shared_with_support": "y",
    "require_second_factor": "",
}


@pytest.fixture
def world(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lou", Role.CONTACT)
        factories.member(alpha, "cem", Role.CENTRAL)
        beta = factories.process("beta", "Y")
        factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        db.session.commit()
        return {"alpha": alpha.id, "beta": beta.id}


def extra(world) -> dict[str, str]:
    return {**ESCALATION, "process_id": str(world["beta"])}


def state(app) -> dict[str, object]:
    """Everything an escalation could change, to compare before and after."""
    with app.app_context():
        return {
            "admins": sorted(
                db.session.scalars(sa.select(Account.username).where(Account.is_instance_admin))
            ),
            "memberships": sorted(
                (m.process_id, m.account.username, m.role.value, m.is_coordinator)
                for m in db.session.scalars(sa.select(Membership))
            ),
            "processes": sorted(
                (p.short_name, p.require_second_factor, p.erase_on)
                for p in db.session.scalars(sa.select(Process))
            ),
        }


def test_members_cannot_use_coordinator_routes(app, client, auth, world) -> None:
    """Lou is in the contact group but does not coordinate; Cem is central."""
    with app.test_request_context():
        coordinator_paths = [
            (
                rule,
                url_for(
                    rule.endpoint,
                    short_name="alpha",
                    **{k: 1 for k in rule.arguments - {"short_name"}},
                ),
            )
            for rule in app.url_map.iter_rules()
            if hasattr(app.view_functions[rule.endpoint], "_intake_act")
            and RULES[app.view_functions[rule.endpoint]._intake_act].coordinators_only
        ]
    assert len(coordinator_paths) >= 6
    before = state(app)
    for who in ("lou", "cem"):
        auth.login(who)
        token = csrf_token(client, "/")
        for rule, path in coordinator_paths:
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                data = {"csrf_token": token, **extra(world), "erase_on": "2099-01-01"}
                response = client.open(path, method=method, data=data)
                assert response.status_code == 404, f"{who}: {method} {path}"
        auth.logout()
    assert state(app) == before


def test_inviting_with_extra_fields_gives_only_what_the_form_offers(app, client, auth, world):
    auth.login("kim")
    # The form offers role and coordinator; everything else it was sent must be ignored.
    data = {**extra(world), "display_name": "Robin", "username": "robin", "role": "central"}
    data.pop("is_coordinator")
    assert submit(client, "/p/alpha/members/new", data).status_code == 200
    after = state(app)
    assert after["admins"] == []
    assert (world["alpha"], "robin", "central", False) in after["memberships"]
    assert not any(m[1] == "robin" and m[0] == world["beta"] for m in after["memberships"])


def test_choosing_a_password_with_extra_fields_changes_nothing_else(app, client, world):
    with app.app_context():
        factories.account("sam", password=False)
        sam = db.session.scalar(sa.select(Account).where(Account.username == "sam"))
        token = issue_setup_link(sam).token
        sam_id = sam.id
        db.session.commit()
    before = state(app)
    assert client.get(f"/setup/{token}").status_code == 302
    password = "a brand new long passphrase"
    data = {"password": password, "confirm": password, "username": "kim", **extra(world)}
    assert submit(client, "/setup", data).headers["Location"] == "/"
    assert state(app) == before
    with app.app_context():
        assert db.session.scalar(sa.select(Account.username).where(Account.id == sam_id)) == "sam"


def test_changing_a_password_with_extra_fields_changes_nothing_else(app, client, auth, world):
    auth.login("cem")
    before = state(app)
    new = "another long passphrase"
    data = {"current": factories.PASSWORD, "password": new, "confirm": new, **extra(world)}
    assert submit(client, "/account/password", data).status_code == 302
    assert state(app) == before


def test_a_record_with_extra_fields_stays_the_posters_in_this_process(app, client, auth, world):
    auth.login("lou")
    answers = {
        "date": "2026-01-05",
        "channel": "email",
        "direction": "we_wrote",
        "summary": "A plain note",
        "form_id": "handover",
        "_action": "submit",
        **extra(world),
    }
    response = submit(client, "/p/alpha/submissions/new/contact", answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        record = db.session.scalar(sa.select(Submission))
        assert (record.process_id, record.form_id) == (world["alpha"], "contact")
        assert record.created_by.username == "lou"
        assert not record.shared_with_support
        stored = service.answers_of(record)
    assert stored["summary"] == "A plain note"
    assert not set(ESCALATION) & set(stored)


def test_ids_of_another_process_in_form_fields_are_refused(app, client, auth, world):
    """A demand or an assessment of beta, slipped into alpha's forms, attaches to nothing."""
    with app.app_context():
        beta = db.session.get(Process, world["beta"])
        bo = beta.memberships[0].account
        theirs = factories.process_record(beta, bo)
        assessment = factories.record(beta, "report", bo, {"assessment": "Theirs."})
        assessment_id = assessment.id
        before = db.session.scalar(sa.select(sa.func.count(ReportBack.id)))
    auth.login("kim")
    step = {
        "what": "Read the letter",
        "owner": "him",
        "agreed_on": "2026-01-01",
        "deadline": "2026-02-01",
        "demand_id": str(theirs["demand_id"]),
    }
    refused = submit(client, "/p/alpha/steps/new", step)
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    report = {"since": "2026-01-01", "until": "2026-03-01", "assessment": str(assessment_id)}
    refused = submit(client, "/p/alpha/reports/", report)
    assert refused.status_code in (200, 422)
    assert "Not a valid choice" in refused.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AgreedStep.id)).where(
                    AgreedStep.process_id == world["alpha"]
                )
            )
            == 0
        )
        assert db.session.scalar(sa.select(sa.func.count(ReportBack.id))) == before
