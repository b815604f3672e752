"""The session cookie ends with the session; the page after sign-in stays on this site."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests import factories
from tests.conftest import submit


def _cookie_expiry(response) -> datetime:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith("intake_session="):
            expires = next(
                part.split("=", 1)[1] for part in header.split("; ") if part.startswith("Expires=")
            )
            return parsedate_to_datetime(expires).astimezone(UTC)
    raise AssertionError("no session cookie set")


def test_the_session_cookie_lives_no_longer_than_the_session(app, client, auth):
    with app.app_context():
        factories.account("kim")
    signed_in = auth.login("kim")
    now = datetime.now(UTC)
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    assert _cookie_expiry(signed_in) <= now + idle + timedelta(seconds=5)
    # Each page renews it, but never past the session's last hour.
    assert _cookie_expiry(client.get("/")) <= now + idle + timedelta(seconds=5)
    with client.session_transaction() as session:
        session["ends"] = int((now + timedelta(minutes=3)).timestamp())
    assert _cookie_expiry(client.get("/")) <= now + timedelta(minutes=3, seconds=1)


def test_a_static_file_leaves_the_session_cookie_as_the_last_page_set_it(app, client, auth):
    """A page's scripts may still load after the person went on: their responses must not
    put back the cookie the next page changed (a check-in link's token, lost)."""
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    page = client.get("/")
    assert any(h.startswith("intake_session=") for h in page.headers.getlist("Set-Cookie"))
    script = client.get("/static/quick-exit.js")
    assert script.status_code == 200
    assert not any(h.startswith("intake_session=") for h in script.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/%09/evil.example",
        "/\n/evil.example",
        "/%0d%0a/evil.example",
        "%0d%0aLocation: https://evil.example",
        "/%0d%0aLocation:%20https://evil.example",
        "/%2F/evil.example",
        "/%5Cevil.example",
        "/\\evil.example",
        "/\x7f/evil.example",
    ],
)
def test_next_with_control_characters_stays_on_the_site(app, client, target):
    with app.app_context():
        factories.account("kim")
    response = submit(
        client, "/login", {"username": "kim", "password": factories.PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_from_the_address_bar_with_a_tab_stays_on_the_site(app, client):
    """The same link as an attacker would send it: ?next=/%09/evil.example."""
    with app.app_context():
        factories.account("kim")
    page = client.get("/login?next=/%09/evil.example").get_data(as_text=True)
    assert 'value="/\t/evil.example"' in page
    response = submit(
        client,
        "/login",
        {"username": "kim", "password": factories.PASSWORD, "next": "/\t/evil.example"},
        page="/login?next=/%09/evil.example",
    )
    assert response.headers["Location"] == "/"


def test_next_to_a_page_with_a_search_still_works(app, client):
    with app.app_context():
        factories.account("kim")
    target = "/p/alpha/search?q=two%20words"
    response = submit(
        client, "/login", {"username": "kim", "password": factories.PASSWORD, "next": target}
    )
    assert response.headers["Location"] == target
