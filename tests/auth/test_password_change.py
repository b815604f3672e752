from intake.extensions import db
from intake.models import Account
from intake.security.passwords import verify_password
from tests import factories
from tests.conftest import submit

NEW = "an entirely different passphrase"


def test_change_password_ends_other_sessions(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    laptop = app.test_client()
    submit(laptop, "/login", {"username": "kim", "password": factories.PASSWORD})
    assert laptop.get("/").status_code == 200
    auth.login("kim")
    copied_cookie = client.get_cookie("intake_session").value

    response = submit(
        client,
        "/account/password",
        {"current": factories.PASSWORD, "password": NEW, "confirm": NEW},
    )
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert laptop.get("/").status_code == 302  # the other device is out

    thief = app.test_client()
    thief.set_cookie("intake_session", copied_cookie)
    assert thief.get("/").status_code == 302  # the old cookie is worthless
    with app.app_context():
        person = db.session.query(Account).filter_by(username="kim").one()
        assert verify_password(person.password_hash, NEW)


def test_wrong_current_password_changes_nothing(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    response = submit(
        client,
        "/account/password",
        {"current": "not my password!", "password": NEW, "confirm": NEW},
    )
    assert response.status_code == 200
    assert "That is not your current password." in response.get_data(as_text=True)
    with app.app_context():
        person = db.session.query(Account).filter_by(username="kim").one()
        assert verify_password(person.password_hash, factories.PASSWORD)


def test_logout_ends_session_on_the_server(app, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    copied_cookie = client.get_cookie("intake_session").value
    auth.logout()
    replay = app.test_client()
    replay.set_cookie("intake_session", copied_cookie)
    assert replay.get("/").status_code == 302


def test_idle_session_expires(app, client, auth) -> None:
    from datetime import timedelta

    from intake.models import AccountSession, utcnow

    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    with app.app_context():
        db.session.query(AccountSession).update({"last_seen_at": utcnow() - timedelta(minutes=31)})
        db.session.commit()
    assert client.get("/").status_code == 302
    with app.app_context():
        assert db.session.query(AccountSession).one().ended_reason == "idle"
