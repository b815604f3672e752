"""Exit this page in Chromium: the neutral site replaces the page (not in the back
button) on a click or on Shift pressed three times; without scripts it is a link."""

import pytest

from intake.checkins import private_links
from intake.checkins.private_links import Person
from intake.extensions import db
from intake.models import Role
from intake.people.accounts import find_account
from intake.people.membership import process_by_short_name
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]
NEUTRAL = "https://news.example/today"


def _link(app) -> str:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        alpha = process_by_short_name("alpha")
        alpha.exit_url = NEUTRAL
        _, issued = private_links.start_round(
            alpha,
            title="Round",
            form_id="checkin",
            intro="",
            people=[Person("partner", "")],
            days=28,
            by=find_account("kim"),
        )
        db.session.commit()
        return issued[0].token


def _tab(browser, live_server, javascript: bool, width: int):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport={"width": width, "height": 800},
        base_url=live_server.url(),
    )
    # The neutral site, served here: the test machine reaches no other site.
    context.route(
        "https://news.example/**",
        lambda route: route.fulfill(body="<title>News</title>", content_type="text/html"),
    )
    return context, context.new_page()


@pytest.mark.parametrize(("how", "width"), [("click", 390), ("shift", 1280)])
def test_exit_replaces_the_page_with_scripts(app, live_server, browser, how, width):
    token = _link(app)
    context, page = _tab(browser, live_server, True, width)
    try:
        page.goto("/login")
        page.goto(f"/c/{token}")
        assert "Exit this page" in page.locator(".narrow-page > p.quiet").first.inner_text()
        button = page.locator("a[data-quick-exit]")
        assert button.is_visible()
        box = button.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        if how == "click":
            button.click()
        else:
            for _ in range(3):
                page.keyboard.press("Shift")
        page.wait_for_url(NEUTRAL)
        page.go_back()
        # The private page was replaced: back leads to where the person was before it.
        assert page.url.endswith("/login")
    finally:
        context.close()


def test_exit_without_scripts_is_a_plain_link(app, live_server, browser):
    token = _link(app)
    context, page = _tab(browser, live_server, False, 390)
    try:
        page.goto(f"/c/{token}")
        button = page.locator("a[data-quick-exit]")
        assert button.get_attribute("href") == NEUTRAL
        assert "noreferrer" in button.get_attribute("rel")
        button.click()
        page.wait_for_url(NEUTRAL)
    finally:
        context.close()


def test_german_link_page_explains_the_exit(app, live_server, browser):
    token = _link(app)
    context, page = _tab(browser, live_server, False, 390)
    try:
        page.goto("/login")
        page.click("button[name=lang][value=de]")
        page.goto(f"/c/{token}")
        assert page.locator("a[data-quick-exit]").inner_text() == "Diese Seite verlassen"
        assert "dreimal die Umschalttaste" in page.content()
    finally:
        context.close()
