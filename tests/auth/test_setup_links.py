import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, AccountSession, SetupLink, utcnow
from intake.people.accounts import issue_setup_link, redeem_setup_link, usable_setup_link
from intake.security.passwords import verify_password
from tests import factories
from tests.conftest import csrf_token, submit

NEW_PASSWORD = "a brand new long passphrase"


def _link_for(app, username: str, **kwargs) -> str:
    with app.app_context():
        person = db.session.query(Account).filter_by(username=username).one()
        token = issue_setup_link(person, **kwargs).token
        db.session.commit()
        return token


def _choose_password(client, token: str, password: str = NEW_PASSWORD):
    opened = client.get(f"/setup/{token}")
    if opened.status_code != 302:
        return opened
    return submit(client, "/setup", {"password": password, "confirm": password})


def test_link_sets_password_and_signs_in(app, client) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")

    opened = client.get(f"/setup/{token}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/setup"  # the token leaves the address bar
    page = client.get("/setup").get_data(as_text=True)
    assert "sam" in page
    assert token not in page

    done = submit(client, "/setup", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    with app.app_context():
        assert db.session.query(SetupLink).one().used_at is not None


def test_link_works_only_once(app, client) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    _choose_password(client, token)
    submit(client, "/logout", page="/")

    again = client.get(f"/setup/{token}")
    assert again.status_code == 404
    assert "does not work" in again.get_data(as_text=True)


def test_expired_link_does_not_work(app, client) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam", now=utcnow() - timedelta(days=8))
    assert client.get(f"/setup/{token}").status_code == 404


def test_link_expiring_while_page_is_open(app, client) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    client.get(f"/setup/{token}")
    with app.app_context():
        db.session.query(SetupLink).update({"expires_at": utcnow() - timedelta(seconds=1)})
        db.session.commit()
    response = submit(
        client, "/setup", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page="/login"
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.query(Account).filter_by(username="sam").one().password_hash is None


def test_newer_link_revokes_older(app, client) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    first = _link_for(app, "sam")
    second = _link_for(app, "sam")
    assert client.get(f"/setup/{first}").status_code == 404
    assert client.get(f"/setup/{second}").status_code == 302


def test_only_the_hash_is_stored(app) -> None:
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    with app.app_context():
        stored = db.session.query(SetupLink).one().token_hash
    assert token not in stored and len(stored) == 64


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "Use at least 12 characters."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "The two passwords are not the same."),
        ("", "", "Choose a password."),
    ],
)
def test_weak_or_mismatched_password_is_explained(app, client, password, confirm, message):
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    client.get(f"/setup/{token}")
    response = submit(client, "/setup", {"password": password, "confirm": confirm})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    # The link is still good: nothing was spent by a failed attempt.
    with app.app_context():
        assert db.session.query(SetupLink).one().used_at is None


def test_redeeming_twice_in_a_race_succeeds_once(app) -> None:
    """Several tabs send the same link at the same instant: one password is set."""
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    tabs = 4
    start = threading.Barrier(tabs)

    def redeem(n: int) -> bool:
        with app.app_context():
            start.wait()
            account = redeem_setup_link(token, f"passphrase number {n} of the race")
            db.session.commit()
            return account is not None

    with ThreadPoolExecutor(tabs) as pool:
        outcomes = list(pool.map(redeem, range(tabs)))
    assert outcomes.count(True) == 1
    winner = outcomes.index(True)
    with app.app_context():
        assert usable_setup_link(token) is None
        sam = db.session.scalar(sa.select(Account).filter_by(username="sam"))
        assert verify_password(sam.password_hash, f"passphrase number {winner} of the race")


def test_tabs_sending_one_link_at_once_set_one_password(app) -> None:
    """The same race through the pages: each tab opened the link and sends its password
    at the same instant; one is signed in, the others are told the link does not work."""
    with app.app_context():
        factories.account("sam", password=False)
    token = _link_for(app, "sam")
    tabs = [app.test_client() for _ in range(4)]
    for tab in tabs:
        assert tab.get(f"/setup/{token}").status_code == 302
    csrf = [csrf_token(tab, "/setup") for tab in tabs]
    start = threading.Barrier(len(tabs))

    def send(n: int):
        password = f"passphrase number {n} of the race"
        start.wait()
        return tabs[n].post(
            "/setup", data={"csrf_token": csrf[n], "password": password, "confirm": password}
        )

    with ThreadPoolExecutor(len(tabs)) as pool:
        answers = list(pool.map(send, range(len(tabs))))
    assert sorted(a.status_code for a in answers) == [302, 404, 404, 404]
    winner = next(n for n, a in enumerate(answers) if a.status_code == 302)
    assert answers[winner].headers["Location"] == "/"
    assert [tab.get("/").status_code for tab in tabs].count(200) == 1
    assert tabs[winner].get("/").status_code == 200
    with app.app_context():
        sam = db.session.scalar(sa.select(Account).filter_by(username="sam"))
        assert verify_password(sam.password_hash, f"passphrase number {winner} of the race")
        assert db.session.query(AccountSession).filter_by(account_id=sam.id).count() == 1


def test_setting_password_ends_older_sessions(app, client, auth) -> None:
    """A reset through a link signs out whoever was signed in with the old password."""
    with app.app_context():
        factories.account("sam")
    auth.login("sam")
    token = _link_for(app, "sam")
    other = app.test_client()
    _choose_password(other, token)
    assert client.get("/").status_code == 302
    with app.app_context():
        ended = db.session.query(AccountSession).filter_by(ended_reason="password-set").count()
        assert ended == 1
