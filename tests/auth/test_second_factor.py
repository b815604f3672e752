"""TOTP second factor: set up with the password, codes used once, recovery codes, per process."""

import re
import time

import pyotp

from intake.models import Role
from tests import factories
from tests.conftest import submit

PAGE = "/account/second-factor"


def _turn_on(client) -> tuple[str, list[str]]:
    page = submit(client, PAGE, {"action": "begin", "p-password": factories.PASSWORD})
    html = page.get_data(as_text=True)
    assert "<svg" in html  # the QR code, drawn by the service
    secret = re.search(r'<p class="mono">([A-Z2-7]{16,})</p>', html).group(1)
    wrong = submit(client, PAGE, {"action": "confirm", "c-code": "000000"})
    assert wrong.status_code == 422 and "does not work" in wrong.get_data(as_text=True)
    done = submit(
        client, PAGE, {"action": "confirm", "c-code": pyotp.TOTP(secret).at(time.time() - 30)}
    )
    codes = re.findall(
        r"<li>([0-9a-f]{6}-[0-9a-f]{6}-[0-9a-f]{6})</li>", done.get_data(as_text=True)
    )
    assert len(codes) == 10
    return secret, codes


def test_setting_up_needs_the_password(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    refused = submit(client, PAGE, {"action": "begin", "p-password": "not my password"})
    assert "That is not your current password." in refused.get_data(as_text=True)


def test_sign_in_then_needs_a_code_used_once(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    secret, _codes = _turn_on(client)
    auth.logout()

    step = auth.login("kim")
    assert step.headers["Location"] == "/login/code"
    assert client.get("/").status_code == 302  # not signed in yet
    code = pyotp.TOTP(secret).now()
    assert submit(client, "/login/code", {"code": code}).headers["Location"] == "/"
    assert client.get("/").status_code == 200
    auth.logout()

    auth.login("kim")
    replay = submit(client, "/login/code", {"code": code})
    assert replay.status_code == 200 and "does not work" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_recovery_code_works_once(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    _secret, codes = _turn_on(client)
    auth.logout()
    auth.login("kim")
    assert submit(client, "/login/code", {"code": codes[0]}).status_code == 302
    auth.logout()
    auth.login("kim")
    assert submit(client, "/login/code", {"code": codes[0]}).status_code == 200


def test_code_step_without_password_step_goes_back_to_sign_in(app, client):
    assert client.get("/login/code").headers["Location"] == "/login"


def test_process_can_require_it(app, client, auth):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lu", Role.CONTACT)
    auth.login("kim")
    submit(client, "/p/alpha/second-factor", page="/p/alpha/members")
    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    sent = lu.get("/p/alpha/")
    assert sent.status_code == 302 and sent.headers["Location"] == PAGE
    _turn_on(lu)
    assert lu.get("/p/alpha/").status_code == 200


def test_turning_off_needs_password_and_code(app, client, auth):
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    secret, _codes = _turn_on(client)
    refused = submit(
        client, PAGE, {"action": "off", "p-password": factories.PASSWORD, "off_code": "123456"}
    )
    assert "does not work" in refused.get_data(as_text=True)
    done = submit(
        client,
        PAGE,
        {
            "action": "off",
            "p-password": factories.PASSWORD,
            "off_code": pyotp.TOTP(secret).at(time.time() + 30),
        },
    )
    assert done.status_code == 302
    auth.logout()
    assert auth.login("kim").headers["Location"] == "/"
