"""A person around him answers a check-in on a phone with JavaScript off."""

import re

import pytest

from intake.models import Role
from tests import factories
from tests.browser.conftest import screenshot
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]


def test_checkin_on_a_phone_without_javascript(app, client, live_server, phone_without_js):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    page = submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": "Round",
            "form_id": "checkin",
            "intro": "We are the contact group of X.",
            "people": "partner",
            "days": "28",
            "send_email": "no",
        },
    ).get_data(as_text=True)
    link = re.search(r'value="https?://[^/"]+(/c/[A-Za-z0-9_-]{40,})"', page).group(1)

    phone = phone_without_js
    phone.goto(link)
    assert phone.url.endswith("/c")
    assert "/c/" not in phone.title()
    phone.check("input[name=told][value=yes]")
    phone.check("input[name=told_by][value=him]")
    phone.fill("#what_he_said", "He says it was a misunderstanding.")
    phone.click("button.primary")  # quote consent missing
    assert phone.locator("#error-summary").is_visible()
    assert phone.input_value("#what_he_said") == "He says it was a misunderstanding."
    screenshot(phone, "checkin-error-phone")
    phone.check("input[name=quote_consent][value=no]")
    phone.click("button.primary")
    assert "Thank you" in phone.content()
    screenshot(phone, "checkin-thanks-phone")
    assert all(url.startswith(live_server.url()) for url in phone.requested)
