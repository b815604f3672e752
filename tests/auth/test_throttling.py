"""Guessing is slowed down: per account, per client, shared by every worker (database)."""

from tests import factories
from tests.conftest import submit


def _fail(client, username="kim", password="wrong password!!"):
    return submit(client, "/login", {"username": username, "password": password})


def test_account_is_paused_after_failures_whoever_tries(app, client):
    with app.app_context():
        factories.account("kim")
    for _ in range(8):
        assert _fail(app.test_client()).status_code == 200  # different clients, same account
    blocked = _fail(client, password=factories.PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert "try again in 15 minutes" in blocked.get_data(as_text=True)
    assert blocked.headers["Retry-After"] == "900"


def test_unknown_and_known_names_are_paused_alike(app, client):
    with app.app_context():
        factories.account("kim")
    for name in ("kim", "nobody"):
        for _ in range(8):
            _fail(app.test_client(), username=name)
        assert _fail(app.test_client(), username=name).status_code == 429


def test_one_client_trying_many_names_is_paused(app, client):
    for n in range(20):
        assert _fail(client, username=f"name{n}").status_code == 200
    assert _fail(client, username="another").status_code == 429


def test_a_successful_sign_in_is_not_counted(app, client, auth):
    with app.app_context():
        factories.account("kim")
    for _ in range(10):
        auth.login("kim")
        auth.logout()
    assert auth.login("kim").status_code == 302


def test_setup_link_guessing_is_throttled(app, client):
    statuses = [client.get(f"/setup/guess{i:040d}").status_code for i in range(21)]
    assert statuses[:20] == [404] * 20 and statuses[20] == 429
