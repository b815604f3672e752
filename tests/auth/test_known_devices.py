"""Strangers guessing an account's password do not lock out its owner's own browser."""

import time

import pyotp

from tests import factories
from tests.auth.test_second_factor import _kim_with_second_factor, wrong_codes
from tests.conftest import submit


def _sign_in(client, password=factories.PASSWORD, username="kim"):
    return submit(client, "/login", {"username": username, "password": password})


def _strangers_guess(app, username="kim", times=8):
    for n in range(times):
        assert _sign_in(app.test_client(), f"stranger guess {n}", username).status_code == 200


def test_owner_on_a_known_browser_signs_in_while_strangers_are_paused(app, client, auth):
    with app.app_context():
        factories.account("kim")
    assert auth.login("kim").status_code == 302
    cookie = client.get_cookie("intake_device", path="/login")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    auth.logout()
    _strangers_guess(app)
    # A stranger is paused, even with the right password...
    assert _sign_in(app.test_client()).status_code == 429
    # ...the owner, on the browser that signed in before, is not.
    owner = _sign_in(client)
    assert owner.status_code == 302 and client.get("/").status_code == 200


def test_the_device_cookie_is_only_sent_to_the_sign_in_pages(app, client, auth):
    with app.app_context():
        factories.account("kim")
    response = auth.login("kim")
    header = next(h for h in response.headers.getlist("Set-Cookie") if "intake_device=" in h)
    assert "Path=/login" in header and "HttpOnly" in header and "Max-Age=" in header


def test_a_forged_or_foreign_device_cookie_does_not_help(app, client, auth):
    with app.app_context():
        factories.account("kim")
        factories.account("sam")
    submit(client, "/login", {"username": "sam", "password": factories.PASSWORD})
    sams_device = client.get_cookie("intake_device", path="/login").value
    _strangers_guess(app)
    for value in (sams_device, sams_device[:-2] + "xx", "made-up"):
        stranger = app.test_client()
        stranger.set_cookie("intake_device", value, path="/login")
        assert _sign_in(stranger).status_code == 429


def test_the_owners_browser_cannot_guess_without_limit(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    auth.logout()
    for n in range(8):
        assert _sign_in(client, f"mistyped {n}").status_code == 200
    assert _sign_in(client).status_code == 429


def test_owner_with_a_second_factor_gets_past_strangers_too(app, client, auth):
    secret, _codes = _kim_with_second_factor(app, client, auth)
    # Signing in once completely makes this browser known.
    auth.login("kim")
    assert submit(client, "/login/code", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    auth.logout()
    stranger = app.test_client()
    _sign_in(stranger)  # a stranger who has the password guesses codes
    for guess in wrong_codes(secret, 8):
        submit(stranger, "/login/code", {"code": guess})
    assert submit(stranger, "/login/code", {"code": pyotp.TOTP(secret).now()}).status_code == 429
    assert _sign_in(client).status_code == 302
    done = submit(client, "/login/code", {"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert done.status_code == 302 and client.get("/").status_code == 200
