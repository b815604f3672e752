"""Roles are per process: being signed in, or admin, opens nothing by itself."""

import pytest

from intake.models import Role
from tests import factories
from tests.conftest import submit


@pytest.fixture
def two_processes(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        beta = factories.process("beta", "Y")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
        factories.member(alpha, "alex", Role.CENTRAL)
        factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        # One person, different roles in different processes.
        factories.member(beta, "sam", Role.CENTRAL)
        factories.account("root", admin=True)


def test_member_sees_own_process(two_processes, client, auth) -> None:
    auth.login("kim")
    page = client.get("/").get_data(as_text=True)
    assert "/p/alpha/" in page
    assert "/p/beta/" not in page
    assert client.get("/p/alpha/").status_code == 200


def test_other_process_is_404_not_403(two_processes, client, auth) -> None:
    auth.login("kim")
    assert client.get("/p/beta/").status_code == 404
    assert client.get("/p/beta/members").status_code == 404
    # A process that does not exist looks exactly the same.
    assert client.get("/p/nope/").status_code == 404


def test_one_person_different_roles(two_processes, client, auth) -> None:
    auth.login("sam")
    alpha = client.get("/p/alpha/").get_data(as_text=True)
    beta = client.get("/p/beta/").get_data(as_text=True)
    assert "You take part as: Support group" in alpha
    assert "You take part as: Central group" in beta


def test_instance_admin_cannot_open_process_content(two_processes, client, auth) -> None:
    auth.login("root")
    assert client.get("/p/alpha/").status_code == 404
    assert client.get("/p/alpha/members").status_code == 404
    assert client.get("/admin/").status_code == 200


def test_non_admin_cannot_reach_admin_pages(two_processes, client, auth) -> None:
    auth.login("kim")
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/processes/alpha").status_code == 404


def test_members_list_depends_on_role(two_processes, client, auth) -> None:
    auth.login("alex")  # central group: sees own group and the coordinators
    page = client.get("/p/alpha/members").get_data(as_text=True)
    assert "Kim" in page and "Alex" in page
    assert "Sam" not in page
    assert "Remove" not in page


def test_non_coordinator_cannot_invite(two_processes, client, auth) -> None:
    auth.login("alex")
    assert client.get("/p/alpha/members/new").status_code == 404
    response = submit(
        client,
        "/p/alpha/members/new",
        {"display_name": "Eve", "username": "eve", "role": "contact"},
        page="/p/alpha/",
    )
    assert response.status_code == 404
