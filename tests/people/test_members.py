"""Coordinators add and remove members; leaving removes access to the process at once (R7)."""

import re

import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, ActRequest, Membership, Process, Role
from tests import factories
from tests.conftest import submit


def _setup(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        lu = factories.member(alpha, "lu", Role.CONTACT)
        beta = factories.process("beta", "Y")
        bo = factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        return kim.id, lu.id, bo.id


def test_coordinator_invites_new_person_with_setup_link(app, client, auth) -> None:
    _setup(app)
    auth.login("kim")
    response = submit(
        client,
        "/p/alpha/members/new",
        {"display_name": "Robin", "username": "Robin", "role": "central"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    link = re.search(r'value="https?://localhost(/setup/[A-Za-z0-9_-]{40,})"', page)
    assert link, "the set-up link is shown to copy"
    with app.app_context():
        robin = db.session.query(Account).filter_by(username="robin").one()
        assert robin.password_hash is None
        membership = db.session.query(Membership).filter_by(account_id=robin.id).one()
        assert membership.role is Role.CENTRAL and not membership.is_coordinator

    newcomer = app.test_client()
    assert newcomer.get(link.group(1)).status_code == 302


def test_invite_with_bad_input_keeps_what_was_typed(app, client, auth) -> None:
    _setup(app)
    auth.login("kim")
    response = submit(
        client,
        "/p/alpha/members/new",
        {"display_name": "Robin Wood", "username": "robin wood!", "role": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'value="Robin Wood"' in page
    assert 'value="robin wood!"' in page
    assert "Choose a role." in page


def test_inviting_an_existing_member_is_explained(app, client, auth) -> None:
    _setup(app)
    auth.login("kim")
    response = submit(
        client,
        "/p/alpha/members/new",
        {"display_name": "Lu", "username": "lu", "role": "contact"},
    )
    assert "already a member of this process" in response.get_data(as_text=True)


def test_removed_member_loses_access_at_once(app, client, auth) -> None:
    _, lu_id, _ = _setup(app)
    with app.app_context():
        beta = factories.db.session.scalar(sa.select(Process).filter_by(short_name="beta"))
        factories.member(beta, "lu", Role.CONTACT)
    lu_browser = app.test_client()
    submit(lu_browser, "/login", {"username": "lu", "password": factories.PASSWORD})
    assert lu_browser.get("/p/alpha/").status_code == 200

    auth.login("kim")
    response = submit(client, f"/p/alpha/members/{lu_id}/remove", page="/p/alpha/members")
    assert response.status_code == 302
    # The next click into alpha is refused; Lu's other process stays open, still signed in.
    assert lu_browser.get("/p/alpha/").status_code == 404
    assert lu_browser.get("/p/beta/").status_code == 200
    home = lu_browser.get("/").get_data(as_text=True)
    assert "/p/beta/" in home and "/p/alpha/" not in home
    with app.app_context():
        # The record of who was a member stays.
        assert db.session.get(Membership, lu_id).left_at is not None
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert "Former members" in page and "Lu" in page


def test_a_coordinator_who_leaves_stays_signed_in(app, client, auth) -> None:
    kim_id, lu_id, _ = _setup(app)
    with app.app_context():
        db.session.get(Membership, lu_id).is_coordinator = True
        db.session.commit()
    elsewhere = app.test_client()
    submit(elsewhere, "/login", {"username": "kim", "password": factories.PASSWORD})
    auth.login("kim")
    response = submit(client, f"/p/alpha/members/{kim_id}/remove", page="/p/alpha/members")
    assert response.status_code == 302
    for browser in (client, elsewhere):
        assert browser.get("/").status_code == 200
        assert browser.get("/p/alpha/").status_code == 404


def test_last_coordinator_cannot_leave(app, client, auth) -> None:
    kim_id, _, _ = _setup(app)
    auth.login("kim")
    submit(client, f"/p/alpha/members/{kim_id}/remove", page="/p/alpha/members")
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert "at least one coordinator" in page
    with app.app_context():
        assert db.session.get(Membership, kim_id).left_at is None


def test_ids_of_another_process_are_404(app, client, auth) -> None:
    _, _, bo_id = _setup(app)
    auth.login("kim")
    for action in ("remove", "coordinator", "setup-link"):
        response = submit(client, f"/p/alpha/members/{bo_id}/{action}", page="/p/alpha/members")
        assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Membership, bo_id).left_at is None


def test_make_coordinator_and_back(app, client, auth) -> None:
    _, lu_id, _ = _setup(app)
    auth.login("kim")
    submit(client, f"/p/alpha/members/{lu_id}/coordinator", page="/p/alpha/members")
    with app.app_context():
        assert db.session.get(Membership, lu_id).is_coordinator
    # Lu coordinates now: ending that is asked of Lu (or another coordinator), not done.
    submit(client, f"/p/alpha/members/{lu_id}/coordinator", page="/p/alpha/members")
    with app.app_context():
        assert db.session.get(Membership, lu_id).is_coordinator
        asked = db.session.scalar(sa.select(ActRequest.id))
    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    submit(lu, f"/p/alpha/requests/{asked}", {"answer": "confirm"}, page="/p/alpha/members")
    with app.app_context():
        assert not db.session.get(Membership, lu_id).is_coordinator


def test_new_setup_link_only_for_people_without_password(app, client, auth) -> None:
    _, lu_id, _ = _setup(app)
    with app.app_context():
        alpha_id = db.session.get(Membership, lu_id).process_id
        from intake.models import Process

        process = db.session.get(Process, alpha_id)
        pending = factories.member(process, "newbie", Role.CONTACT)
        pending.account.password_hash = None
        db.session.commit()
        pending_id = pending.id
    auth.login("kim")
    refused = submit(client, f"/p/alpha/members/{lu_id}/setup-link", page="/p/alpha/members")
    assert refused.status_code == 302
    issued = submit(client, f"/p/alpha/members/{pending_id}/setup-link", page="/p/alpha/members")
    assert "/setup/" in issued.get_data(as_text=True)
