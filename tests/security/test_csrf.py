"""CSRF protection is on in every test; these prove it refuses forged posts."""

from intake.extensions import db
from intake.models import AccountSession
from tests import factories
from tests.conftest import csrf_token


def test_login_without_token_is_refused(app, client) -> None:
    with app.app_context():
        factories.account("kim")
    response = client.post("/login", data={"username": "kim", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_token_from_another_browser_is_refused(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    attacker = app.test_client()
    foreign = csrf_token(attacker)
    response = client.post("/logout", data={"csrf_token": foreign})
    assert response.status_code == 400
    assert client.get("/").status_code == 200  # still signed in
    with app.app_context():
        assert db.session.query(AccountSession).one().ended_at is None


def test_state_changes_refuse_get(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200
