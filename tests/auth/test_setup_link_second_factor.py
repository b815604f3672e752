"""A set-up link never gets past a second factor, unless the factor is turned off on record."""

import re
import time

import pyotp
import sqlalchemy as sa

from intake.extensions import db
from intake.models import Account, AuditEvent, SetupLink
from intake.security.passwords import verify_password
from tests import factories
from tests.auth.test_second_factor import _kim_with_second_factor, wrong_codes
from tests.conftest import submit

NEW = "a brand new long passphrase"


def _cli_link(app, *options: str) -> str:
    result = app.test_cli_runner().invoke(args=["user", "setup-link", "kim", *options])
    assert result.exit_code == 0, result.output
    return re.search(r"/setup/[A-Za-z0-9_-]{40,}", result.output).group(0), result.output


def _kim(app):
    with app.app_context():
        return db.session.scalar(sa.select(Account).where(Account.username == "kim"))


def _link_spent(app) -> bool:
    with app.app_context():
        return db.session.scalar(sa.select(SetupLink.used_at).order_by(SetupLink.id.desc()))


def test_a_set_up_link_still_asks_for_the_code(app, client, auth):
    secret, _codes = _kim_with_second_factor(app, client, auth)
    path, output = _cli_link(app)
    assert "asks for a code as well" in output
    browser = app.test_client()
    assert browser.get(path).status_code == 302
    page = browser.get("/setup").get_data(as_text=True)
    assert "Your account has a second factor" in page and 'name="code"' in page

    without = submit(browser, "/setup", {"password": NEW, "confirm": NEW})
    assert without.status_code == 200 and "Enter the code." in without.get_data(as_text=True)
    wrong = submit(
        browser, "/setup", {"password": NEW, "confirm": NEW, "code": wrong_codes(secret, 1)[0]}
    )
    assert wrong.status_code == 422 and "does not work" in wrong.get_data(as_text=True)
    assert browser.get("/").status_code == 302  # not signed in
    assert not _link_spent(app)
    assert verify_password(_kim(app).password_hash, factories.PASSWORD)

    right = pyotp.TOTP(secret).at(time.time() + 30)
    done = submit(browser, "/setup", {"password": NEW, "confirm": NEW, "code": right})
    assert done.status_code == 302 and browser.get("/").status_code == 200
    kim = _kim(app)
    assert verify_password(kim.password_hash, NEW) and kim.has_second_factor


def test_guessing_codes_through_a_set_up_link_is_paused(app, client, auth):
    secret, _codes = _kim_with_second_factor(app, client, auth)
    path, _output = _cli_link(app)
    browser = app.test_client()
    browser.get(path)
    for guess in wrong_codes(secret, 8):
        submit(browser, "/setup", {"password": NEW, "confirm": NEW, "code": guess})
    right = pyotp.TOTP(secret).now()
    paused = submit(browser, "/setup", {"password": NEW, "confirm": NEW, "code": right})
    assert paused.status_code == 429 and not _link_spent(app)


def test_the_admin_turns_the_factor_off_explicitly_and_on_record(app, client, auth):
    _kim_with_second_factor(app, client, auth)
    path, output = _cli_link(app, "--turn-off-second-factor")
    assert "is off (written to the audit log)" in output
    with app.app_context():
        kim = db.session.scalar(sa.select(Account).where(Account.username == "kim"))
        event = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "second-factor-reset")
        )
        assert event is not None and event.subject == f"account:{kim.id}"
        assert not kim.has_second_factor
    browser = app.test_client()
    browser.get(path)
    assert 'name="code"' not in browser.get("/setup").get_data(as_text=True)
    done = submit(browser, "/setup", {"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and browser.get("/").status_code == 200
