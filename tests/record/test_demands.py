"""Demands stay fixed (R1): only an approved amendment changes the words."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import (
    Account,
    AmendmentState,
    Demand,
    DemandAmendment,
    DemandStatus,
    Process,
    Role,
)
from intake.record.chronology import chronology
from intake.record.demands import (
    decide_amendment,
    demand_views,
    demands_of,
    propose_amendment,
    record_status_change,
)
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


def test_an_approval_given_earlier_is_dated_then(app, client, auth, handed_over):
    """The support group agreed on a call last week; Sam enters it today."""
    auth.login("kim")
    _propose(client, handed_over["demand_id"])
    submit(client, "/logout", page="/")
    with app.app_context():
        amendment_id = db.session.query(DemandAmendment).one().id
    auth.login("sam")
    url = f"/p/alpha/demands/amendments/{amendment_id}/approve"
    later = (today() + timedelta(days=2)).isoformat()
    refused = submit(client, url, {"on": later}, page="/p/alpha/demands/")
    assert refused.status_code == 303
    assert "That day is still to come" in client.get("/p/alpha/demands/").get_data(as_text=True)
    assert _texts(app, handed_over["process_id"]) == ["Original one.", "Original two."]
    week_ago = today() - timedelta(days=7)
    submit(client, url, {"on": week_ago.isoformat()}, page="/p/alpha/demands/")
    assert _texts(app, handed_over["process_id"]) == ["Original one.", "Amended two."]
    with app.app_context():
        assert db.session.query(DemandAmendment).one().decided_on == week_ago
        events = chronology(db.session.get(Process, handed_over["process_id"]), today())
    assert any(e.on == week_ago and "approved" in e.title for e in events)
    page = client.get("/p/alpha/demands/").get_data(as_text=True)
    assert "entered on" in page


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
            "submission_id": 1,
            "step_id": 1,
            "meeting_id": 1,
            "membership_id": 1,
            "link_id": 1,
            "request_id": 1,
            "round_id": 1,
            "report_id": 1,
            "number": 1,
            "form_id": "handover",
            "token": "x",
            "questionnaire_id": 1,
            "section": 1,
            "section_id": "demands",
            "place": "1.1",
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


# Every command of the instance, with arguments aimed at alpha, and how it ends: 0 done,
# 1 refused. A new command fails the test below until it is listed here, and so is run
# against the demands.
COMMANDS = {
    "user add": (["eve", "--name", "Eve"], 0),
    "user setup-link": (["kim"], 0),
    "user deactivate": (["alex"], 0),
    "process add": (["gamma", "Z"], 0),
    "process member": (["alpha", "newbie", "--role", "contact"], 0),
    "demo": ([], 0),
    "check": ([], 0),
    "firstrun": ([], 0),
    "keys init": ([], 0),
    "keys add": ([], 0),  # a key for other servers to receive, not used yet
    "keys use": (["no-such-key"], 1),  # refused: no key of that name in the folder
    "keys rotate": ([], 0),  # re-encrypts every demand: the words must read the same
    "keys list": ([], 0),
    "report": (["alpha", "-o", "{tmp}/r.pdf", "--whole"], 0),
    "export": (["alpha", "-o", "{tmp}/e.zip"], 0),
    "unseal": (["{tmp}/e.zip", "-o", "{tmp}/u.zip"], 1),  # the passphrase "no" is wrong
    "erase": (["alpha"], 1),  # asked to type the short name; answered "no"
    "retention": ([], 0),
    "backup": (["-o", "{tmp}/b.db", "--keys", "{tmp}/k.tar"], 0),
    "restore": (["{tmp}/b.db"], 1),  # refuses a database that is not empty
    "worker": (["--burst"], 0),  # mail and renders that are due, then it stops
}


def _demands_as_they_stand(app, process_id: int) -> list[tuple]:
    """Everything a demand is: number, words then and now, status, amendments, changes."""
    with app.app_context():
        return [
            (
                view.number,
                view.original,
                view.current,
                view.status,
                [(a.text, a.reason, a.state, a.decided_on) for a in view.amendments],
                [(c.status, c.on) for c in view.status_changes],
            )
            for view in demand_views(db.session.get(Process, process_id))
        ]


def test_no_command_touches_demands(app, runner, handed_over, tmp_path) -> None:
    """Run every command of the instance: each demand keeps its words, amendments and status."""
    with app.app_context():
        kim = db.session.get(Account, handed_over["kim"])
        sam = db.session.scalar(sa.select(Account).filter_by(username="sam"))
        one, two = db.session.scalars(sa.select(Demand).order_by(Demand.number)).all()
        propose_amendment(one, "Proposed one.", "Still open.", kim)
        decide_amendment(propose_amendment(two, "Amended two.", "Clearer.", kim), True, sam)
        record_status_change(
            two,
            DemandStatus.IN_PROGRESS,
            today(),
            by=kim,
            today=today(),
            first_day=today(),
            reason="He booked a first session.",
        )
        db.session.commit()
    names = []

    def walk(group, prefix=""):
        for name, command in getattr(group, "commands", {}).items():
            if hasattr(command, "commands"):
                walk(command, prefix + name + " ")
            else:
                names.append(prefix + name)

    walk(app.cli)
    ours = sorted(n for n in names if not n.startswith("db "))  # the migration tool's own
    assert ours == sorted(COMMANDS)
    before = _demands_as_they_stand(app, handed_over["process_id"])
    assert [(number, current, status) for number, _o, current, status, *_ in before] == [
        (1, "Original one.", DemandStatus.NOT_STARTED),
        (2, "Amended two.", DemandStatus.IN_PROGRESS),
    ]
    for name in ours:
        arguments, ends = COMMANDS[name]
        args = [a.format(tmp=tmp_path) for a in arguments]
        result = runner.invoke(args=[*name.split(), *args], input="no\n")
        assert result.exit_code == ends, f"{name}: {result.output}"
        assert _demands_as_they_stand(app, handed_over["process_id"]) == before, name


def test_central_group_sees_no_demands_page(app, client, auth, handed_over):
    auth.login("alex")
    assert client.get("/p/alpha/demands/").status_code == 404
    assert "Original one." not in client.get("/p/alpha/").get_data(as_text=True)


def test_support_group_overview_shows_demands(app, client, auth, handed_over):
    auth.login("sam")
    page = client.get("/p/alpha/").get_data(as_text=True)
    assert "Original one." in page and "not started" in page
