"""Demands stay fixed (R1): only an approved amendment changes the words."""

import re

import pytest

from intake.demands import demands_of
from intake.extensions import db
from intake.models import AmendmentState, Demand, DemandAmendment, Process, Role
from tests import factories
from tests.conftest import csrf_token, submit


@pytest.fixture
def handed_over(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.member(alpha, "sue", Role.SUPPORT)
        factories.member(alpha, "alex", Role.CENTRAL)
        factories.record(
            alpha,
            "handover",
            sam,
            {
                "demands": [{"text": "Original one."}, {"text": "Original two."}],
                "wants_updates": "none",
            },
        )
        demand = db.session.query(Demand).filter_by(number=2).one()
        return {"process_id": alpha.id, "demand_id": demand.id, "kim": kim.id}


def _texts(app, process_id):
    with app.app_context():
        return [d.text for d in demands_of(db.session.get(Process, process_id))]


def _propose(client, demand_id, text="Amended two.", reason="He asked for clarity."):
    url = f"/p/alpha/demands/{demand_id}/amend"
    return submit(client, url, {"text": text, "reason": reason})


def test_amendment_takes_effect_only_when_support_approves(app, client, auth, handed_over):
    auth.login("kim")
    assert _propose(client, handed_over["demand_id"]).status_code == 302
    assert _texts(app, handed_over["process_id"]) == ["Original one.", "Original two."]
    page = client.get("/p/alpha/demands/").get_data(as_text=True)
    assert "awaiting the support group" in page
    assert "Approve" not in page  # the contact group cannot approve

    with app.app_context():
        amendment_id = db.session.query(DemandAmendment).one().id
    response = submit(
        client, f"/p/alpha/demands/amendments/{amendment_id}/approve", page="/p/alpha/demands/"
    )
    assert response.status_code == 404
    submit(client, "/logout", page="/")

    auth.login("sam")
    response = submit(
        client, f"/p/alpha/demands/amendments/{amendment_id}/approve", page="/p/alpha/demands/"
    )
    assert response.status_code == 302
    assert _texts(app, handed_over["process_id"]) == ["Original one.", "Amended two."]
    page = client.get("/p/alpha/demands/").get_data(as_text=True)
    assert "Original two." in page  # the original words stay visible
    assert re.search(r"approved .* by Sam", page)


def test_approving_twice_is_a_conflict_not_a_change(app, client, auth, handed_over):
    auth.login("kim")
    _propose(client, handed_over["demand_id"])
    submit(client, "/logout", page="/")
    with app.app_context():
        amendment_id = db.session.query(DemandAmendment).one().id
    sue = app.test_client()
    submit(sue, "/login", {"username": "sue", "password": factories.PASSWORD})
    auth.login("sam")
    sam_token = csrf_token(client, "/p/alpha/demands/")
    sue_token = csrf_token(sue, "/p/alpha/demands/")
    url = f"/p/alpha/demands/amendments/{amendment_id}"
    assert client.post(url + "/approve", data={"csrf_token": sam_token}).status_code == 302
    second = sue.post(url + "/reject", data={"csrf_token": sue_token})
    assert second.status_code == 303
    page = sue.get("/p/alpha/demands/").get_data(as_text=True)
    assert "already decided" in page
    with app.app_context():
        amendment = db.session.get(DemandAmendment, amendment_id)
        assert amendment.state is AmendmentState.APPROVED
        assert amendment.decided_by.username == "sam"


def test_amendment_form_keeps_input_and_explains(app, client, auth, handed_over):
    auth.login("kim")
    response = _propose(client, handed_over["demand_id"], text="Brand new words.", reason="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Brand new words." in page and "This question needs an answer." in page
    same = _propose(client, handed_over["demand_id"], text="Original two.")
    assert "This is the current wording" in same.get_data(as_text=True)


def test_no_route_changes_a_demand_without_an_approved_amendment(app, client, auth, handed_over):
    """Post a new text to every route of the process, as every role: the words stay.

    Only the support group's approval of a proposed amendment may change them,
    so that one route is left out here and tested above.
    """
    before = _texts(app, handed_over["process_id"])
    with app.test_request_context():
        from flask import url_for

        values = {
            "short_name": "alpha",
            "demand_id": handed_over["demand_id"],
            "amendment_id": 1,
            "record_id": 1,
            "step_id": 1,
            "meeting_id": 1,
            "membership_id": 1,
            "invitation_id": 1,
            "request_id": 1,
            "round_id": 1,
            "report_id": 1,
            "number": 1,
            "form_id": "handover",
            "token": "x",
        }
        posts = [
            url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or ())
            and rule.rule.startswith("/p/")
            and rule.endpoint != "demands.approve"
        ]
    assert len(posts) >= 10
    payload = {
        "text": "HIJACKED",
        "demands-0-text": "HIJACKED",
        "demands-1-text": "HIJACKED",
        "number": "1",
        "reason": "x",
        "_action": "submit",
    }
    for who in ("kim", "sam", "alex"):
        auth.login(who)
        token = csrf_token(client, "/")
        for url in posts:
            client.post(url, data={**payload, "csrf_token": token})
        submit(client, "/logout", page="/")
    after = _texts(app, handed_over["process_id"])
    assert after == before
    assert all("HIJACKED" not in text for text in after)


def test_no_command_touches_demands(app) -> None:
    """The command line offers nothing that could rewrite a demand."""
    names = []

    def walk(group, prefix=""):
        for name, command in getattr(group, "commands", {}).items():
            names.append(prefix + name)
            walk(command, prefix + name + " ")

    walk(app.cli)
    assert names  # the walk saw the commands
    assert not [n for n in names if "demand" in n or "amend" in n]


def test_central_group_sees_no_demands_page(app, client, auth, handed_over):
    auth.login("alex")
    assert client.get("/p/alpha/demands/").status_code == 404
    assert "Original one." not in client.get("/p/alpha/").get_data(as_text=True)


def test_support_group_overview_shows_demands(app, client, auth, handed_over):
    auth.login("sam")
    page = client.get("/p/alpha/").get_data(as_text=True)
    assert "Original one." in page and "not started" in page
