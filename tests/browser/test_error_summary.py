"""A refused form says so first: "There is a problem", a title starting "Error:",
links to each field, and (with scripts) focus on the summary."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize(
    ("javascript", "viewport", "locale", "heading", "prefix"),
    [
        (True, DESKTOP, "en", "There is a problem", "Error:"),
        (False, PHONE, "en", "There is a problem", "Error:"),
        (True, PHONE, "de", "Es gibt ein Problem", "Fehler:"),
        (False, DESKTOP, "de", "Es gibt ein Problem", "Fehler:"),
    ],
    ids=["en-desktop-js", "en-phone-nojs", "de-phone-js", "de-desktop-nojs"],
)
def test_refused_sign_in_leads_with_the_problem(
    live_server, browser, javascript, viewport, locale, heading, prefix
):
    context = browser.new_context(
        java_script_enabled=javascript, viewport=viewport, base_url=live_server.url()
    )
    page = context.new_page()
    try:
        page.goto("/login")
        if locale != "en":
            page.click(f"button[name=lang][value={locale}]")
        assert not page.title().startswith(prefix)
        page.fill("#password", "something")
        page.click("button.primary")
        summary = page.locator("#error-summary")
        assert summary.locator("h2").inner_text() == heading
        assert page.title().startswith(prefix + " ")
        # The summary's words are the words next to the field.
        link = summary.locator("a[href='#username']")
        beside = page.locator("#username-error").inner_text()
        assert beside in link.inner_text()
        if javascript:
            assert page.evaluate("document.activeElement.id") == "error-summary"
            link.click()
            assert page.evaluate("document.activeElement.id") == "username"
        else:
            assert page.evaluate("document.activeElement.id") != "error-summary"
    finally:
        context.close()
