"""The first journey in a real browser, on a phone, with JavaScript off:
the admin sets a password, creates a process, adds a coordinator, who signs in."""

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def _setup_path(text: str) -> str:
    match = re.search(r"(/setup/[A-Za-z0-9_-]{40,})", text)
    assert match, text
    return match.group(1)


def test_admin_to_coordinator_journey(app, runner, live_server, phone_without_js, browser):
    page = phone_without_js
    first = runner.invoke(args=["firstrun"])
    page.goto(_setup_path(first.output))
    assert page.url.endswith("/setup")
    screenshot(page, "setup-password-phone")

    # A password that is too short is explained, and the page keeps working.
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.click("button.primary")
    assert page.locator("#error-summary").is_visible()
    assert page.get_attribute("#password", "aria-invalid") == "true"
    screenshot(page, "setup-password-error-phone")

    page.fill("#password", "admin pass phrase long enough")
    page.fill("#confirm", "admin pass phrase long enough")
    page.click("button.primary")
    page.click("text=Go to the instance page")
    page.click("text=New process")
    page.fill("#pseudonym", "X")
    page.fill("#short_name", "case-1")
    page.click("button.primary")
    assert "/admin/processes/case-1" in page.url

    page.fill("#display_name", "Kim")
    page.fill("#username", "kim")
    page.check("input[value=contact]")
    page.check("#is_coordinator")
    page.click("button.primary")
    link = page.input_value("#setup-link")
    screenshot(page, "member-added-phone")

    # The new coordinator, in another browser, sets a password and sees the process.
    other = browser.new_context(java_script_enabled=False, base_url=live_server.url())
    kim = other.new_page()
    kim.goto(_setup_path(link))
    kim.fill("#password", "kims own long passphrase")
    kim.fill("#confirm", "kims own long passphrase")
    kim.click("button.primary")
    kim.click("text=Process about X")
    assert "/p/case-1/" in kim.url
    assert "coordinator" in kim.content()
    screenshot(kim, "process-overview-desktop")
    kim.click("text=Sign out")
    assert kim.url.endswith("/login")
    other.close()

    # Nothing was fetched from anywhere but the service itself.
    base = live_server.url()
    assert page.requested
    assert all(url.startswith(base) for url in page.requested), page.requested


def test_login_page_in_german_on_a_phone(live_server, phone_without_js):
    page = phone_without_js
    page.goto("/login")
    page.click("button[name=lang][value=de]")
    assert page.locator("h1").inner_text() == "Anmelden"
    page.click("button.primary")
    assert "Gib deinen Anmeldenamen ein." in page.content()
    screenshot(page, "login-german-errors-phone")
