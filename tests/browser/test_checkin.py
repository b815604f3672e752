"""A person around him answers a check-in in a real Chromium: with scripts off on a phone,
and with scripts on; Continue, check your answers, Change, Send, then another link's exit."""

import re

import pytest

from intake.models import Role
from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

NEUTRAL = "https://news.example/"


def _links(app, client, people: str = "partner") -> list[str]:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        alpha.exit_url = NEUTRAL
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    page = submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": "Round",
            "form_id": "checkin",
            "intro": "We are the contact group of X.",
            "people": people,
            "days": "28",
            "send_email": "no",
        },
    ).get_data(as_text=True)
    return re.findall(r'value="https?://[^/"]+(/c/[A-Za-z0-9_-]{40,})"', page)


def _context(browser, live_server, scripts: bool, width: int):
    context = browser.new_context(
        java_script_enabled=scripts,
        viewport={"width": width, "height": 740},
        base_url=live_server.url(),
    )
    # The neutral site, served here: the test machine reaches no other site.
    context.route(
        f"{NEUTRAL}**",
        lambda route: route.fulfill(body="<title>News</title>", content_type="text/html"),
    )
    page = context.new_page()
    page.requested = []  # type: ignore[attr-defined]
    page.on("request", lambda request: page.requested.append(request.url))
    return context, page


def test_checkin_on_a_phone_without_javascript(app, client, live_server, browser):
    first, other = _links(app, client, "partner\nneighbour")
    context, phone = _context(browser, live_server, False, 375)
    try:
        phone.goto(first)
        assert phone.url.endswith("/c")
        assert "/c/" not in phone.title()
        # "Who told you?" is asked only after "yes": hidden until Continue is pressed.
        assert not phone.locator("#told_by").is_visible()
        phone.check("input[name=told][value=yes]")
        phone.fill("#what_he_said", "He says it was a misunderstanding.")
        phone.click("button[name=_action][value=continue] >> nth=0")
        assert phone.url.endswith("/c#told")
        assert phone.locator("#told_by").is_visible()
        assert phone.input_value("#what_he_said") == "He says it was a misunderstanding."
        assert phone.is_checked("input[name=told][value=yes]")
        phone.check("input[name=told_by][value=him]")
        phone.click("button.primary")  # check your answers: quote consent missing
        assert phone.locator("#error-summary").is_visible()
        assert phone.title().startswith("Error:")
        assert phone.input_value("#what_he_said") == "He says it was a misunderstanding."
        screenshot(phone, "checkin-error-phone")
        phone.check("input[name=quote_consent][value=no]")
        phone.click("button.primary")

        assert phone.url.endswith("/c/check")
        summary = phone.locator("main").inner_text()
        assert "Check your answers before sending them" in summary
        assert "He says it was a misunderstanding." in summary and "He did" in summary
        screenshot(phone, "checkin-check-phone")
        phone.click("a[href='/c#what_he_said']")
        assert phone.input_value("#what_he_said") == "He says it was a misunderstanding."
        assert phone.is_checked("input[name=told_by][value=him]")
        phone.fill("#what_he_said", "He now says he is sorry.")
        phone.click("button.primary")
        assert "He now says he is sorry." in phone.locator("main").inner_text()
        phone.click("button.primary")  # Send

        done = phone.locator("main").inner_text()
        assert "Thank you: your answers were sent" in done
        assert "your answers are only counted" in done
        assert "Only the contact group that sent you the link reads your answers." in done
        screenshot(phone, "checkin-thanks-phone")
        assert all(url.startswith(live_server.url()) for url in phone.requested)

        # Another link: the exit leads to the neutral site.
        phone.goto(other)
        phone.click("a[data-quick-exit]")
        phone.wait_for_url(NEUTRAL)
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_checkin_with_scripts_reveals_in_place(app, client, live_server, browser, width):
    link = _links(app, client)[0]
    context, page = _context(browser, live_server, True, width)
    try:
        page.goto(link)
        assert not page.locator("#told_by").is_visible()
        # With scripts the questions appear in place: no Continue, no round trip.
        assert page.locator("button[name=_action][value=continue]").count() > 0
        assert not page.locator("button[name=_action][value=continue] >> nth=0").is_visible()
        requests_before = len(page.requested)
        page.check("input[name=told][value=yes]")
        assert page.locator("#told_by").is_visible()
        assert len(page.requested) == requests_before
        page.check("input[name=told_by][value=others]")
        page.check("input[name=challenge][value=yes]")
        page.fill("#challenge_how", "Typed, then I changed my answer.")
        page.check("input[name=challenge][value=no]")
        assert not page.locator("#challenge_how").is_visible()
        page.check("input[name=quote_consent][value=yes]")
        page.check("input[name=anonymous][value=yes]")
        page.click("button.primary")
        assert page.url.endswith("/c/check")
        summary = page.locator("main").inner_text()
        assert "Someone else" in summary and "Typed, then I changed" not in summary
        assert "Anonymously" in summary
        page.click("button.primary")
        done = page.locator("main").inner_text()
        assert "You agreed that your words may be quoted" in done
        assert "You answered anonymously" in done
    finally:
        context.close()
