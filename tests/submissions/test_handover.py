"""The handover creates the demands; after that they are fixed (R1)."""

import re

from intake.extensions import db
from intake.models import Demand, Process
from intake.record.demands import demands_of
from tests.conftest import submit

HANDOVER = {
    "demands-0-text": "Seek critical help to understand what he did.",
    "demands-1-text": "Inform every new political group about his behaviour.",
    "wants_updates": "major",
    "update_how": "Through Sam only.",
    "never_pass_on": "Where she lives now.",
    "_action": "submit",
}


def _handover(client):
    return submit(client, "/p/alpha/submissions/new/handover", HANDOVER)


def test_support_group_hands_over_and_demands_exist(app, client, auth, group):
    auth.login("sam")
    response = _handover(client)
    assert response.status_code == 302
    with app.app_context():
        demands = demands_of(db.session.get(Process, group))
    assert [(d.number, d.text) for d in demands] == [
        (1, HANDOVER["demands-0-text"]),
        (2, HANDOVER["demands-1-text"]),
    ]


def test_handover_needs_a_demand(app, client, auth, group):
    auth.login("sam")
    response = submit(
        client, "/p/alpha/submissions/new/handover", {"wants_updates": "none", "_action": "submit"}
    )
    assert response.status_code == 422
    assert "Add at least 1." in response.get_data(as_text=True)


def test_only_support_group_fills_the_handover(app, client, auth, group):
    auth.login("kim")
    assert client.get("/p/alpha/submissions/new/handover").status_code == 404


def test_contact_group_reads_the_handover(app, client, auth, group):
    auth.login("sam")
    record_url = _handover(client).headers["Location"]
    submit(client, "/logout", page="/")
    auth.login("kim")
    page = client.get(record_url).get_data(as_text=True)
    assert HANDOVER["demands-0-text"] in page
    assert "Where she lives now." in page  # visible on the web page to those with access
    assert "never leaves this page" in page


def test_there_is_one_handover(app, client, auth, group):
    auth.login("sam")
    record_url = _handover(client).headers["Location"]
    again = client.get("/p/alpha/submissions/new/handover")
    assert again.status_code == 302
    assert again.headers["Location"] == record_url + "/edit"


def test_demand_text_cannot_be_changed_by_editing_the_handover(app, client, auth, group):
    auth.login("sam")
    record_url = _handover(client).headers["Location"]
    edit = record_url + "/edit"
    lock = re.search(r'name="lock_version" value="(\d+)"', client.get(edit).get_data(as_text=True))
    changed = {
        **HANDOVER,
        "demands-1-text": "Tell groups, if he wants to.",
        "lock_version": lock.group(1),
    }
    response = submit(client, edit, changed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "cannot be edited here" in page
    assert "Tell groups, if he wants to." in page  # what was typed is still there
    with app.app_context():
        assert db.session.query(Demand).count() == 2
        texts = [d.text for d in demands_of(db.session.get(Process, group))]
        assert texts[1] == HANDOVER["demands-1-text"]

    # Other parts of the handover can still be edited.
    ok = submit(
        client, edit, {**HANDOVER, "history": "More history.", "lock_version": lock.group(1)}
    )
    assert ok.status_code == 302


def test_minutes_review_every_demand(app, client, auth, group):
    auth.login("sam")
    _handover(client)
    submit(client, "/logout", page="/")
    auth.login("kim")
    page = client.get("/p/alpha/submissions/new/minutes").get_data(as_text=True)
    with app.app_context():
        ids = [d.id for d in db.session.query(Demand).order_by(Demand.number)]
    for demand_id in ids:
        assert f'name="review-d{demand_id}-status"' in page
    assert HANDOVER["demands-0-text"] in page
    minutes = {
        "kind": "with_him",
        "planned_date": "2026-05-01",
        "outcome": "held",
        f"review-d{ids[0]}-said": "He says he read it.",
        f"review-d{ids[0]}-status": "in_progress",
        "steps-0-what": "Find a programme",
        "steps-0-owner": "him",
        "steps-0-deadline": "2026-06-01",
        "_action": "submit",
    }
    response = submit(client, "/p/alpha/submissions/new/minutes", minutes)
    assert response.status_code == 302
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "He says he read it." in shown and "In progress" in shown
    assert "Demand 1" in shown and "Find a programme" in shown
