"""A coordinator sets the day a process is erased, on a phone with JavaScript off."""

from datetime import timedelta

import pytest

from intake.clock import today
from intake.models import Role
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def test_erase_day_and_its_warning_on_a_phone(app, live_server, phone_without_js):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    phone = phone_without_js
    phone.goto("/login")
    phone.fill("#username", "kim")
    phone.fill("#password", factories.PASSWORD)
    phone.click("button.primary")
    phone.goto("/p/alpha/export")

    phone.fill("#erase_on", "2001-01-01")
    phone.click("text=Set the day")
    assert phone.locator("#error-summary").is_visible()
    assert "Choose a day after today." in phone.content()
    assert phone.input_value("#erase_on") == "2001-01-01"  # kept as typed

    day = today() + timedelta(days=10)
    phone.fill("#erase_on", day.isoformat())
    phone.click("text=Set the day")
    warning = phone.locator("p.flash-error", has_text="will be erased on")
    assert warning.is_visible() and "in 10 days" in warning.inner_text()
    phone.click("text=At a glance")
    assert phone.locator("p.flash-error", has_text="in 10 days").is_visible()
    # Nothing runs off the side of a phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "retention-warning-phone")

    phone.goto("/p/alpha/export")
    phone.click("text=Keep it: set no day")
    assert "no day is set to erase it" in phone.content()
    assert phone.locator("p.flash-error", has_text="will be erased on").count() == 0
