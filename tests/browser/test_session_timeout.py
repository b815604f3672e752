"""The warning before the idle timeout, in a real Chromium: with scripts it appears a few
minutes before the end, "Stay signed in" keeps the session open in the background and
focus goes back to the text being typed; without scripts the form's own button keeps it."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import AccountSession, Role, utcnow
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

NEW_MINUTES = "/p/alpha/submissions/new/minutes"
WORDS = "Three pages of minutes, typed for an hour."


def _member(app) -> None:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)


def _sign_in(page) -> None:
    page.goto("/login")
    page.fill("#username", "kim")
    page.fill("#password", factories.PASSWORD)
    page.click("button.primary")


def _idle_for(app, minutes: int) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(AccountSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(sa.select(AccountSession.last_seen_at))


@pytest.mark.parametrize("width", [390, 1280])
def test_with_scripts_the_warning_comes_and_staying_keeps_the_typing(
    app, live_server, browser, width
):
    _member(app)
    context = browser.new_context(
        viewport={"width": width, "height": 800}, base_url=live_server.url()
    )
    page = context.new_page()
    try:
        page.clock.install()
        _sign_in(page)
        page.goto(NEW_MINUTES)
        warning = page.locator("#session-warning")
        assert not warning.is_visible()
        assert not page.locator("[data-session-note]").is_visible()
        page.fill("#group_notes", WORDS)

        page.clock.run_for(23 * 60 * 1000)
        assert not warning.is_visible()  # 30 minutes idle: no warning before the last 5
        page.clock.run_for(2 * 60 * 1000)
        assert warning.is_visible()
        assert warning.get_attribute("role") == "alert"
        assert re.search(r"you will be signed out at \d{1,2}:\d{2}", warning.inner_text())
        assert page.evaluate("document.activeElement.hasAttribute('data-session-stay')")

        _idle_for(app, 27)  # the server's view of those 27 minutes
        with page.expect_response("**/account/stay-signed-in") as answer:
            page.click("[data-session-stay]")
        assert answer.value.status == 200
        page.wait_for_function("document.getElementById('session-warning').hidden")
        assert page.evaluate("document.activeElement.id") == "group_notes"
        assert page.input_value("#group_notes") == WORDS
        assert "You stay signed in" in page.locator("[data-session-status]").inner_text()
        assert _last_seen(app) > utcnow() - timedelta(minutes=1)

        # Nothing more is sent: the warning again, and then the end, said in words.
        page.clock.run_for(31 * 60 * 1000)
        assert "You were signed out" in warning.inner_text()
        assert not page.locator("[data-session-stay]").is_visible()
        assert page.input_value("#group_notes") == WORDS
    finally:
        context.close()


def test_without_scripts_the_time_is_shown_and_the_form_keeps_the_typing(app, live_server, browser):
    _member(app)
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
        base_url=live_server.url(),
    )
    page = context.new_page()
    try:
        _sign_in(page)
        page.goto(NEW_MINUTES)
        note = page.locator("[data-session-note]")
        assert note.is_visible() and "you will be signed out" in note.inner_text()
        assert not page.locator("#session-warning").is_visible()
        page.fill("#group_notes", WORDS)
        _idle_for(app, 25)
        note.locator("button").click()
        assert page.url.endswith(NEW_MINUTES)
        assert page.input_value("#group_notes") == WORDS
        assert _last_seen(app) > utcnow() - timedelta(minutes=1)
        # A page without a form: a plain post that comes back to it.
        page.goto("/account/sessions")
        _idle_for(app, 25)
        page.locator("[data-session-note] button").click()
        assert page.url.endswith("/account/sessions")
        assert _last_seen(app) > utcnow() - timedelta(minutes=1)
    finally:
        context.close()


def test_typing_past_the_idle_timeout_comes_back_after_signing_in(app, live_server, browser):
    """Chromium drops the session cookie when the session idles out, so the post arrives
    with no session: the words still come back to the same person, and only to her."""
    _member(app)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url())
    page = context.new_page()
    try:
        _sign_in(page)
        page.goto(NEW_MINUTES)
        page.fill("#group_notes", WORDS)
        _idle_for(app, 31)
        context.clear_cookies(name="intake_session")  # as its expiry does after 30 minutes
        page.click("button.primary")
        assert "/login" in page.url
        assert "Sign in again and what you typed comes back" in page.content()
        page.fill("#username", "kim")  # on the sign-in page the post led to
        page.fill("#password", factories.PASSWORD)
        page.click("button.primary")
        assert page.url.endswith(NEW_MINUTES)
        assert page.input_value("#group_notes") == WORDS
        assert "it is not saved yet" in page.content()
    finally:
        context.close()
