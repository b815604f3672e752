import pytest

from intake.extensions import db
from intake.models import AccountSession
from tests import factories
from tests.conftest import submit


def test_login_page_renders(client) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="username"' in response.data
    assert b'autocomplete="current-password"' in response.data


def test_sign_in_and_out(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    response = auth.login("kim")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200

    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # back to sign-in
    with app.app_context():
        row = db.session.query(AccountSession).one()
        assert row.ended_reason == "signed-out"


@pytest.mark.parametrize(
    ("username", "password"),
    [("kim", "wrong password here"), ("nobody", "correct horse battery"), ("KIM ", "x")],
)
def test_failure_gives_one_generic_message(app, client, auth, username, password) -> None:
    with app.app_context():
        factories.account("kim")
    response = auth.login(username, password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "That sign-in name and password do not match." in page
    assert "unknown" not in page.lower()
    assert client.get("/").status_code == 302


def test_username_is_case_insensitive(app, auth) -> None:
    with app.app_context():
        factories.account("kim")
    assert auth.login("  KIM ").headers["Location"] == "/"


def test_deactivated_account_cannot_sign_in(app, auth) -> None:
    with app.app_context():
        person = factories.account("kim")
        person.is_deactivated = True
        db.session.commit()
    assert auth.login("kim").status_code == 200


def test_empty_fields_are_named(client) -> None:
    response = submit(client, "/login", {"username": "", "password": ""})
    page = response.get_data(as_text=True)
    assert "Enter your sign-in name." in page
    assert "Enter your password." in page
    assert 'aria-invalid="true"' in page


def test_overlong_password_is_refused_before_hashing(app, auth) -> None:
    with app.app_context():
        factories.account("kim")
    response = auth.login("kim", "x" * 5000)
    assert response.status_code == 200
    assert "Use at most 256 characters." in response.get_data(as_text=True)


def test_next_only_goes_to_local_pages(app, client) -> None:
    with app.app_context():
        factories.account("kim")
    for target, expected in [
        ("/p/alpha/", "/p/alpha/"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
    ]:
        response = submit(
            client, "/login", {"username": "kim", "password": factories.PASSWORD, "next": target}
        )
        assert response.headers["Location"] == expected
        submit(client, "/logout", page="/")


def test_sign_in_starts_a_new_session_id(app, client, auth) -> None:
    """A session cookie planted before sign-in is useless afterwards (no fixation)."""
    with app.app_context():
        factories.account("kim")
    client.get("/login")
    before = client.get_cookie("intake_session").value
    auth.login("kim")
    after = client.get_cookie("intake_session").value
    assert before != after
    with app.app_context():
        assert db.session.query(AccountSession).count() == 1
