"""Guessing the current password from a signed-in browser is throttled like signing in."""

import pytest

from intake.extensions import db
from intake.models import Account
from intake.security.passwords import verify_password
from tests import factories
from tests.conftest import submit

NEW = "an entirely different passphrase"
PAUSED = "checking your password is paused"


def _change(client, current: str):
    return submit(
        client, "/account/password", {"current": current, "password": NEW, "confirm": NEW}
    )


def test_guessing_the_current_password_on_the_password_page_is_paused(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    for n in range(8):
        assert _change(client, f"guess number {n}").status_code == 200
    paused = _change(client, factories.PASSWORD)  # even the right one now waits
    assert paused.status_code == 429 and paused.headers["Retry-After"] == "900"
    assert PAUSED in paused.get_data(as_text=True)
    with app.app_context():
        kim = db.session.query(Account).filter_by(username="kim").one()
        assert verify_password(kim.password_hash, factories.PASSWORD)


@pytest.mark.parametrize("action", ["begin", "off"])
def test_guessing_the_password_on_the_second_factor_page_is_paused(app, client, auth, action):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    page = "/account/second-factor"
    for n in range(8):
        wrong = submit(
            client, page, {"action": action, "p-password": f"guess {n}", "off_code": "123456"}
        )
        assert wrong.status_code == 200
    paused = submit(client, page, {"action": "begin", "p-password": factories.PASSWORD})
    assert paused.status_code == 429 and PAUSED in paused.get_data(as_text=True)


def test_guesses_in_one_account_do_not_pause_another(app, client, auth):
    with app.app_context():
        factories.account("kim")
        factories.account("sam")
    auth.login("kim")
    for n in range(8):
        _change(client, f"guess number {n}")
    sam = app.test_client()
    submit(sam, "/login", {"username": "sam", "password": factories.PASSWORD})
    assert _change(sam, factories.PASSWORD).status_code == 302


DUMMY_HASH_PROBE = """
import argon2

made = []
real_hash = argon2.PasswordHasher.hash
argon2.PasswordHasher.hash = lambda self, password: made.append(password) or real_hash(
    self, password
)
from intake.security import passwords

print(len(made))
passwords.verify_password(None, "a guess at a name that does not exist")
passwords.verify_password(None, "another guess")
print(len(made))
"""


def test_the_timing_hash_is_made_on_first_use_and_only_once() -> None:
    # Importing the module (every command, every worker boot) hashes nothing;
    # an unknown name still costs one verification against a hash made once.
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", DUMMY_HASH_PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", "1"]
