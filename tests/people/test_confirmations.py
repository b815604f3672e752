"""Acts that cannot be undone or lower a protection need a second coordinator.

Erasing now, setting an erase date and no longer requiring a second factor are
asked for by one coordinator and happen when another confirms; a group with a
single coordinator is told that it acts alone.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import Account, ActKind, ActRequest, AuditEvent, Membership, Process, Role
from tests import factories
from tests.auth.test_second_factor import _turn_on as turn_on_second_factor
from tests.conftest import csrf_token, submit

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


def test_nobody_makes_themselves_the_only_coordinator(app, client, auth, alpha):
    """Kim cannot demote or remove Kai and then act alone: Kai (or another) must agree."""
    with app.app_context():
        kai = db.session.scalar(
            sa.select(Membership)
            .join(Account, Account.id == Membership.account_id)
            .filter(Account.username == "kai")
        )
        kai_id = kai.id
    auth.login("kim")
    for action in ("coordinator", "remove"):
        asked = submit(client, f"/p/alpha/members/{kai_id}/{action}", page=MEMBERS)
        assert asked.status_code == 302
        with app.app_context():
            kai = db.session.get(Membership, kai_id)
            assert kai.is_coordinator and kai.left_at is None
    assert "asked to remove Kai, who coordinates" in client.get(MEMBERS).get_data(as_text=True)
    # Still two: erasing still waits for a second coordinator.
    submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    assert _process(app, alpha) is not None
    # Kai agrees to step down: then it happens.
    kai_browser = _browser(app, "kai")
    with app.app_context():
        removal = db.session.scalar(
            sa.select(ActRequest.id).where(ActRequest.kind == ActKind.COORDINATOR_REMOVED)
        )
    _answer(kai_browser, removal, "confirm", page=MEMBERS)
    with app.app_context():
        assert db.session.get(Membership, kai_id).left_at is not None


def test_coordinators_who_cannot_sign_in_do_not_count(app, client, auth, alpha):
    with app.app_context():
        kai = db.session.scalar(sa.select(Account).filter_by(username="kai"))
        kai.is_deactivated = True
        db.session.commit()
    auth.login("kim")
    assert "You are the only coordinator" in client.get(EXPORT).get_data(as_text=True)
    day = today() + timedelta(days=200)
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    assert _process(app, alpha).erase_on == day


def test_settled_requests_close_and_the_asker_hears_the_answer(app, client, auth, alpha):
    auth.login("kim")
    day = today() + timedelta(days=200)
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    request_id = _open_request(app)
    kai = _browser(app, "kai")
    _answer(kai, request_id, "decline")
    page = client.get(EXPORT).get_data(as_text=True)
    assert "Kai declined what you asked for" in page
    assert "Take it back" not in page
    # Asked again, then Kai leaves and Kim sets the day alone: the old request is closed.
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    with app.app_context():
        kai_account = db.session.scalar(sa.select(Account).filter_by(username="kai"))
        kai_account.is_deactivated = True
        db.session.commit()
    submit(client, "/p/alpha/retention", {"erase_on": day.isoformat()}, page=EXPORT)
    assert _process(app, alpha).erase_on == day
    assert _open_request(app) is None
    assert "Take it back" not in client.get(EXPORT).get_data(as_text=True)


def test_a_stale_answer_goes_back_to_a_page_the_person_may_open(app, client, auth, alpha):
    auth.login("kim")
    turn_on_second_factor(client)
    submit(client, "/p/alpha/second-factor", page=MEMBERS)
    submit(client, "/p/alpha/second-factor", page=MEMBERS)
    request_id = _open_request(app)
    _answer(client, request_id, "decline", page=MEMBERS)  # Kim takes it back
    sue = _browser(app, "sue")
    turn_on_second_factor(sue)
    late = _answer(sue, request_id, "confirm", page=MEMBERS)
    assert late.headers["Location"] == MEMBERS
    assert "already been answered" in sue.get(MEMBERS).get_data(as_text=True)
    with app.app_context():
        refused = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "access-refused")
        )
    assert refused == 0
    assert _process(app, alpha).require_second_factor


def test_confirming_an_erase_twice_at_once_erases_once(app, client, auth, alpha):
    auth.login("kim")
    submit(client, ERASE, {"short_name": "alpha", "confirm": "yes"}, page=ERASE)
    request_id = _open_request(app)
    kai = _browser(app, "kai")
    token = csrf_token(kai, "/p/alpha/")
    start = threading.Barrier(3)

    def confirm(_n: int) -> int:
        start.wait()
        url = f"/p/alpha/requests/{request_id}"
        return kai.post(url, data={"csrf_token": token, "answer": "confirm"}).status_code

    with ThreadPoolExecutor(3) as pool:
        statuses = list(pool.map(confirm, range(3)))
    assert _process(app, alpha) is None
    assert all(status in (302, 404) for status in statuses), statuses
    with app.app_context():
        erased = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "process-erased")
        )
    assert erased == 1
