"""Acts that cannot be undone or lower a protection need a second coordinator.

Erasing now, setting an erase date and no longer requiring a second factor are
asked for by one coordinator and happen when another confirms; a group with a
single coordinator is told that it acts alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import ActRequest, AuditEvent, Process, Role
from tests import factories
from tests.auth.test_second_factor import _turn_on as turn_on_second_factor
from tests.conftest import submit

ERASE = "/p/alpha/erase"
EXPORT = "/p/alpha/export"
MEMBERS = "/p/alpha/members"


@pytest.fixture
def alpha(app) -> int:
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        factories.member(process, "kai", Role.CONTACT, coordinator=True)
        factories.member(process, "sue", Role.SUPPORT, coordinator=True)
        factories.member(process, "lou", Role.CONTACT)
        db.session.commit()
        return process.id


def _process(app, process_id: int) -> Process | None:
    with app.app_context():
        process = db.session.get(Process, process_id)
        if process is not None:
            db.session.expunge(process)
        return process


def _open_request(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(ActRequest.id).where(ActRequest.decided_at.is_(None)))


def _browser(app, username: str):
    browser = app.test_client()
    submit(browser, "/login", {"username": username, "password": factories.PASSWORD})
    return browser


def _answer(browser, request_id: int, answer: str, page: str = EXPORT):
    return submit(browser, f"/p/alpha/requests/{request_id}", {"answer": answer}, page=page)


def test_erasing_waits_for_a_second_coordinator(app, client, auth, alpha):
    auth.login("kim")
    submit(client, ERASE, {"short_name": "alpha"})
    last = submit(client, ERASE, {"short_name": "alpha"}).get_data(as_text=True)
    assert "Another coordinator of the contact group has to confirm it" in last
    asked = submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    assert asked.status_code == 302
    assert _process(app, alpha) is not None
    request_id = _open_request(app)
    # The one who asked cannot confirm it; a member who does not coordinate sees nothing.
    refused = _answer(client, request_id, "confirm")
    assert refused.status_code == 302 and _process(app, alpha) is not None
    assert "Another coordinator has to confirm" in client.get(EXPORT).get_data(as_text=True)
    assert "asked to erase this process" not in _browser(app, "lou").get("/p/alpha/").text
    # Support coordinators do not decide about erasing.
    sue = _browser(app, "sue")
    assert "asked to erase" not in sue.get("/p/alpha/").text
    assert _answer(sue, request_id, "confirm", page="/p/alpha/").status_code == 302
    assert _process(app, alpha) is not None

    kai = _browser(app, "kai")
    page = kai.get("/p/alpha/").get_data(as_text=True)
    assert "Kim asked to erase this process now" in page
    done = _answer(kai, request_id, "confirm", page="/p/alpha/")
    assert _process(app, alpha) is None
    # Kai's account belonged only to alpha: it went with it, and Kai is signed out.
    assert done.headers["Location"] == "/login"
    assert "is erased with it" in kai.get("/login").get_data(as_text=True)


def test_a_declined_erase_changes_nothing(app, client, auth, alpha):
    auth.login("kim")
    submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    request_id = _open_request(app)
    kai = _browser(app, "kai")
    _answer(kai, request_id, "decline")
    assert _answer(kai, request_id, "confirm").status_code == 302  # answered already
    assert _process(app, alpha) is not None
    with app.app_context():
        actions = list(db.session.scalars(sa.select(AuditEvent.action)))
    assert "act-requested" in actions and "act-declined" in actions
    assert "act-confirmed" not in actions


def test_a_request_nobody_answers_lapses(app, client, auth, alpha):
    auth.login("kim")
    submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    request_id = _open_request(app)
    with app.app_context():
        asked = db.session.get(ActRequest, request_id)
        asked.requested_at -= timedelta(days=15)
        db.session.commit()
    kai = _browser(app, "kai")
    assert "asked to erase" not in kai.get("/p/alpha/").get_data(as_text=True)
    _answer(kai, request_id, "confirm")
    assert _process(app, alpha) is not None


def test_an_erase_date_waits_for_a_second_coordinator(app, client, auth, alpha):
    auth.login("kim")
    assert "confirms a change here" in client.get(EXPORT).get_data(as_text=True)
    day = today() + timedelta(days=200)
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    assert _process(app, alpha).erase_on is None
    kai = _browser(app, "kai")
    _answer(kai, _open_request(app), "confirm")
    assert _process(app, alpha).erase_on == day


def test_the_second_factor_stays_required_until_a_second_coordinator_confirms(
    app, client, auth, alpha
):
    auth.login("kim")
    turn_on_second_factor(client)
    sue = _browser(app, "sue")
    turn_on_second_factor(sue)
    submit(client, "/p/alpha/second-factor", page=MEMBERS)
    assert _process(app, alpha).require_second_factor
    # Switching it off lowers a protection: asked, not done.
    submit(client, "/p/alpha/second-factor", page=MEMBERS)
    assert _process(app, alpha).require_second_factor
    # Any coordinator may confirm this one; the support group's too.
    page = sue.get(MEMBERS).get_data(as_text=True)
    assert "asked to stop requiring a second factor" in page
    _answer(sue, _open_request(app), "confirm", page=MEMBERS)
    assert not _process(app, alpha).require_second_factor


def test_a_single_coordinator_is_told_and_acts_alone(app, client, auth):
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        process_id = process.id
    auth.login("kim")
    assert "You are the only coordinator" in client.get(EXPORT).get_data(as_text=True)
    day = today() + timedelta(days=200)
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    assert _process(app, process_id).erase_on == day
    last = submit(client, ERASE, {"short_name": "alpha"}).get_data(as_text=True)
    assert "You are the only coordinator of the contact group" in last
    submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    assert _process(app, process_id) is None
