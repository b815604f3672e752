"""Who may join, and who may add whom (R4, R7).

Nobody gives themselves or others a role they may not have: an existing account
is asked and joins only by its owner's acceptance, never taken over through
another process; coordinators add to their own group only; the instance admin
is never a member.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, AuditEvent, Membership, Process, Role, SetupLink
from intake.people.accounts import issue_setup_link
from tests import factories
from tests.conftest import submit


def _process(short_name: str) -> Process:
    return db.session.scalar(sa.select(Process).filter_by(short_name=short_name))


@pytest.fixture
def world(app) -> dict[str, int]:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lu", Role.CONTACT)
        sue = factories.member(alpha, "sue", Role.SUPPORT, coordinator=True)
        beta = factories.process("beta", "Y")
        bo = factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        bo.account.display_name = "Bo Secret-Name"
        db.session.commit()
        return {"alpha": alpha.id, "beta": beta.id, "sue": sue.id}


def _signed_in(app, username: str):
    browser = app.test_client()
    submit(browser, "/login", {"username": username, "password": factories.PASSWORD})
    return browser


def _invite(client, username: str, role: str = "contact", **extra: str):
    data = {"display_name": "Whoever", "username": username, "role": role, **extra}
    return submit(client, "/p/alpha/members/new", data)


def _membership(app, username: str, process_id: int) -> Membership | None:
    with app.app_context():
        return db.session.scalar(
            sa.select(Membership)
            .join(Account, Account.id == Membership.account_id)
            .where(Account.username == username, Membership.process_id == process_id)
        )


def test_an_existing_account_is_asked_and_joins_only_by_accepting(app, client, auth, world):
    bo = _signed_in(app, "bo")
    auth.login("kim")
    page = _invite(client, "bo").get_data(as_text=True)
    assert "Invitation sent" in page
    assert "Secret-Name" not in page and "/setup/" not in page
    members = client.get("/p/alpha/members").get_data(as_text=True)
    assert "Asked to join" in members and "Secret-Name" not in members

    # Bo was not signed out, and has no access to alpha until accepting.
    assert bo.get("/p/beta/").status_code == 200
    assert bo.get("/p/alpha/").status_code == 404
    home = bo.get("/").get_data(as_text=True)
    assert "You are asked to join" in home and "Process about X" in home
    invitation = _membership(app, "bo", world["alpha"])
    joined = submit(bo, f"/joining/{invitation.id}", {"answer": "accept"}, page="/")
    assert joined.headers["Location"] == "/p/alpha/"
    assert bo.get("/p/alpha/").status_code == 200
    with app.app_context():
        account = db.session.scalar(sa.select(Account).filter_by(username="bo"))
        assert account.display_name == "Bo Secret-Name"  # what Kim typed changed nothing
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"member-asked", "joining-accepted"} <= actions


def test_an_account_without_password_is_never_taken_over(app, client, auth, world):
    """Sam was created by beta and has not chosen a password: alpha cannot get a link for Sam."""
    with app.app_context():
        sam = factories.member(_process("beta"), "sam", Role.CONTACT)
        sam.account.password_hash = None
        owners_link = issue_setup_link(sam.account).token
        sam_id = sam.account_id
        db.session.commit()
    auth.login("kim")
    page = _invite(client, "sam").get_data(as_text=True)
    assert "Invitation sent" in page and "/setup/" not in page
    asked = _membership(app, "sam", world["alpha"])
    # Not a member yet: alpha cannot reach the account at all.
    refused = submit(client, f"/p/alpha/members/{asked.id}/setup-link", page="/p/alpha/members")
    assert refused.status_code == 404
    with app.app_context():
        db.session.get(Membership, asked.id).accepted_at = db.func.now()
        db.session.commit()
    # Even as a member, the account is beta's to set up.
    refused = submit(client, f"/p/alpha/members/{asked.id}/setup-link", page="/p/alpha/members")
    assert refused.status_code == 302
    assert "/setup/" not in client.get("/p/alpha/members").get_data(as_text=True)
    with app.app_context():
        links = sa.select(sa.func.count(SetupLink.id)).filter_by(account_id=sam_id)
        assert db.session.scalar(links) == 2  # the one from joining beta, and the owner's
    # The owner's link still works.
    arrival = app.test_client().get(f"/setup/{owners_link}")
    assert arrival.status_code == 302 and arrival.headers["Location"] == "/setup"


def test_declined_and_withdrawn_invitations_leave_nothing(app, client, auth, world):
    with app.app_context():
        bo = db.session.scalar(sa.select(Account).filter_by(username="bo"))
        bo.display_name = "Bo Secret-Name"
        db.session.commit()
    bo = _signed_in(app, "bo")
    auth.login("kim")
    _invite(client, "bo")
    invitation = _membership(app, "bo", world["alpha"])
    # Only the invited person answers an invitation; to anyone else it is simply not open.
    lu = _signed_in(app, "lu")
    taken = submit(lu, f"/joining/{invitation.id}", {"answer": "accept"}, page="/")
    assert taken.headers["Location"] == "/"
    assert "This invitation is no longer open." in lu.get("/").get_data(as_text=True)
    assert _membership(app, "bo", world["alpha"]).accepted_at is None
    submit(bo, f"/joining/{invitation.id}", {"answer": "decline"}, page="/")
    assert _membership(app, "bo", world["alpha"]) is None
    assert bo.get("/p/alpha/").status_code == 404
    # The process's log says someone declined, without naming them.
    log = client.get("/p/alpha/audit").get_data(as_text=True)
    assert "declined an invitation to join" in log and "Secret-Name" not in log
    assert "the person asked" in log

    _invite(client, "bo")
    again = _membership(app, "bo", world["alpha"])
    submit(client, f"/p/alpha/members/{again.id}/withdraw", page="/p/alpha/members")
    assert _membership(app, "bo", world["alpha"]) is None
    twice = submit(client, f"/p/alpha/members/{again.id}/withdraw", page="/p/alpha/members")
    assert twice.status_code == 302
    assert "This invitation is no longer open." in client.get("/p/alpha/members").text
    assert "You are asked to join" not in bo.get("/").get_data(as_text=True)
    late = submit(bo, f"/joining/{again.id}", {"answer": "accept"}, page="/")
    assert late.headers["Location"] == "/"
    assert "This invitation is no longer open." in bo.get("/").get_data(as_text=True)
    assert bo.get("/p/alpha/").status_code == 404


def test_joining_twice_is_joining_once(app, client, auth, world):
    auth.login("kim")
    _invite(client, "bo")
    invitation = _membership(app, "bo", world["alpha"])
    bo = _signed_in(app, "bo")
    for _tap in range(2):
        joined = submit(bo, f"/joining/{invitation.id}", {"answer": "accept"}, page="/")
        assert joined.headers["Location"] == "/p/alpha/"
    page = bo.get("/p/alpha/").get_data(as_text=True)
    assert "no longer open" not in page


def test_an_existing_account_needs_no_name_a_new_one_does(app, client, auth, world):
    auth.login("kim")
    asked = submit(
        client, "/p/alpha/members/new", {"display_name": "", "username": "bo", "role": "contact"}
    )
    assert "Invitation sent" in asked.get_data(as_text=True)
    refused = submit(
        client,
        "/p/alpha/members/new",
        {"display_name": "", "username": "newbie", "role": "contact"},
    )
    page = refused.get_data(as_text=True)
    assert "give the name shown to the group" in page and 'value="newbie"' in page
    assert _membership(app, "newbie", world["alpha"]) is None


def test_whoever_added_a_person_may_resend_their_link(app, client, auth, world):
    """Kim (contact) adds the central group's first coordinator, then may still help them in."""
    auth.login("kim")
    _invite(client, "cem", "central", is_coordinator="y")
    cem = _membership(app, "cem", world["alpha"])
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert f"/members/{cem.id}/setup-link" in page
    assert f"/members/{cem.id}/remove" not in page  # central has a coordinator now: theirs
    again = submit(client, f"/p/alpha/members/{cem.id}/setup-link", page="/p/alpha/members")
    assert "/setup/" in again.get_data(as_text=True)
    with app.app_context():
        db.session.get(Membership, cem.id).account.is_deactivated = True
        db.session.commit()
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert f"/members/{cem.id}/setup-link" not in page  # a link it could never use


@pytest.mark.parametrize(("who", "own"), [("sue", "support"), ("cem", "central")])
def test_coordinators_add_only_to_their_own_group(app, client, auth, world, who, own):
    with app.app_context():
        factories.member(_process("alpha"), "cem", Role.CENTRAL, coordinator=True)
    auth.login(who)
    form = client.get("/p/alpha/members/new").get_data(as_text=True)
    assert f'value="{own}"' in form and 'value="contact"' not in form
    refused = _invite(client, "mallory", "contact", is_coordinator="y")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Choose one of the groups offered" in page
    assert 'value="mallory"' in page  # what was typed stays
    with app.app_context():
        assert db.session.scalar(sa.select(Account).filter_by(username="mallory")) is None
    assert "/setup/" in _invite(client, "robin", own).get_data(as_text=True)
    assert _membership(app, "robin", world["alpha"]).role.value == own


def test_the_contact_group_adds_central_members_until_central_has_a_coordinator(
    app, client, auth, world
):
    auth.login("kim")
    assert "/setup/" in _invite(client, "cem", "central", is_coordinator="y").get_data(as_text=True)
    refused = _invite(client, "cara", "central").get_data(as_text=True)
    assert "Choose one of the groups offered" in refused
    assert _membership(app, "cara", world["alpha"]) is None


def test_a_coordinator_manages_only_their_own_group(app, client, auth, world):
    lu = _membership(app, "lu", world["alpha"])
    kim = _membership(app, "kim", world["alpha"])
    auth.login("sue")
    for path in (f"{lu.id}/remove", f"{lu.id}/coordinator", f"{kim.id}/coordinator"):
        response = submit(client, f"/p/alpha/members/{path}", page="/p/alpha/members")
        assert response.status_code == 404, path
    assert _membership(app, "lu", world["alpha"]).left_at is None
    assert not _membership(app, "lu", world["alpha"]).is_coordinator
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert f"/members/{lu.id}/remove" not in page
    assert f"/members/{world['sue']}/remove" in page  # leaving oneself stays possible


def test_the_instance_admin_is_never_a_member(app, client, auth, runner, world):
    with app.app_context():
        factories.account("root", admin=True)
    auth.login("kim")
    assert "cannot be a member of any process" in _invite(client, "root").get_data(as_text=True)
    result = runner.invoke(args=["process", "member", "alpha", "root", "--role", "contact"])
    assert result.exit_code == 1 and "cannot be a member" in result.output
    with app.app_context():
        fresh = factories.process("gamma", "Z")
        short_name = fresh.short_name
    auth.logout()
    auth.login("root")
    page = submit(
        client,
        f"/admin/processes/{short_name}",
        {"display_name": "Root", "username": "root", "role": "contact", "is_coordinator": "y"},
    ).get_data(as_text=True)
    assert "cannot be a member of any process" in page
    with app.app_context():
        admin = db.session.scalar(sa.select(Account).filter_by(username="root"))
        assert db.session.scalar(sa.select(Membership).filter_by(account_id=admin.id)) is None
        # A membership made for the admin before these rules existed gives nothing either.
        db.session.add(
            Membership(
                process_id=world["alpha"],
                account_id=admin.id,
                role=Role.CONTACT,
                is_coordinator=True,
                accepted_at=db.func.now(),
            )
        )
        db.session.commit()
    assert client.get("/p/alpha/").status_code == 404
    assert "/p/alpha/" not in client.get("/").get_data(as_text=True)


def test_the_admin_adds_nobody_once_the_contact_group_has_taken_over(app, client, auth):
    with app.app_context():
        factories.account("root", admin=True)
        fresh = factories.process("gamma", "Z")
        kim = factories.member(fresh, "kim", Role.CONTACT, coordinator=True)
        kim.account.password_hash = None
        db.session.commit()
    auth.login("root")
    first = {"display_name": "Lu", "username": "lu", "role": "contact"}
    assert "/setup/" in submit(client, "/admin/processes/gamma", first).get_data(as_text=True)
    with app.app_context():
        kim = db.session.scalar(sa.select(Account).filter_by(username="kim"))
        kim.password_hash = factories._password_hash()
        db.session.commit()
    page = client.get("/admin/processes/gamma").get_data(as_text=True)
    assert "belongs to its members now" in page and 'name="username"' not in page
    late = {"display_name": "Mo", "username": "mo", "role": "contact", "is_coordinator": "y"}
    refused = submit(client, "/admin/processes/gamma", late, page="/admin/processes/gamma")
    assert "belongs to its members now" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Account).filter_by(username="mo")) is None
        # Once taken over, always: a later password reset does not hand it back.
        db.session.scalar(sa.select(Account).filter_by(username="kim")).password_hash = None
        db.session.commit()
    assert 'name="username"' not in client.get("/admin/processes/gamma").get_data(as_text=True)
