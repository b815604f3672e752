"""A link's token stays in no entry of the tab's history once the person has arrived
(real Chromium): the address, every back/forward entry and the title are token-free.

The browser's own list of visited addresses still records the link as it was
opened, as it does for any link anybody opens; what it records is then dead:
a set-up link once the password is set, a check-in link once it is answered.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import time

import pytest

from intake.models import Role
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]
PASSWORD = "a passphrase long enough"


def _tab_history(page, come_back: bool) -> list[str]:
    """Every entry of the tab's session history, walking back (and forth again)."""
    length = page.evaluate("history.length")
    entries = [page.evaluate("location.href")]
    for _ in range(length - 1):
        page.go_back()
        entries.append(page.evaluate("location.href"))
    # Forward again only where no entry is the answer to a form (it would be sent again).
    for _ in range(length - 1 if come_back else 0):
        page.go_forward()
    return entries


def _assert_no_token(page, token: str, *, come_back: bool = True) -> None:
    assert token not in page.evaluate("location.href")
    assert token not in page.title()
    entries = _tab_history(page, come_back)
    assert len(entries) >= 2
    for entry in entries:
        assert token not in entry, entry


def _setup_token(runner) -> str:
    output = runner.invoke(args=["firstrun"]).output
    return re.search(r"/setup/([A-Za-z0-9_-]{40,})", output).group(1)


def _checkin_token(app, client) -> str:
    with app.app_context():
        factories.member(factories.process("alpha", "X"), "kim", Role.CONTACT, coordinator=True)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    data = {
        "title": "Round",
        "form_id": "checkin",
        "intro": "We are the contact group of X.",
        "people": "partner",
        "days": "28",
        "send_email": "no",
    }
    page = submit(client, "/p/alpha/checkins/", data).get_data(as_text=True)
    return re.search(r'value="https?://[^/"]+/c/([A-Za-z0-9_-]{40,})"', page).group(1)


@pytest.fixture
def tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url())
    page = context.new_page()
    page.goto("/login")  # where the person was before opening the link
    yield page
    context.close()


def test_set_up_link_leaves_no_token_in_the_tab(app, runner, live_server, tab):
    token = _setup_token(runner)
    tab.goto(f"/setup/{token}")
    assert tab.url.endswith("/setup")
    _assert_no_token(tab, token)
    tab.fill("#password", PASSWORD)
    tab.fill("#confirm", PASSWORD)
    tab.click("button.primary")
    _assert_no_token(tab, token, come_back=False)


def test_check_in_link_leaves_no_token_in_the_tab(app, client, live_server, tab):
    token = _checkin_token(app, client)
    tab.goto(f"/c/{token}")
    assert tab.url.endswith("/c")
    _assert_no_token(tab, token)
    tab.check("input[name=told][value=yes]")
    tab.click("text=Save and continue later")
    _assert_no_token(tab, token, come_back=False)


def test_what_the_browser_keeps_of_an_opened_link_is_dead(
    app, client, runner, live_server, browser, tmp_path
):
    """Chromium's own History file records each link as opened; once used, it opens nothing."""
    setup_token, checkin_token = _setup_token(runner), _checkin_token(app, client)
    profile = tmp_path / "profile"
    # A profile on disk, unlike the shared browser's, so its History file can be read.
    context = browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server.url()
    )
    try:
        page = context.new_page()
        page.goto(f"/setup/{setup_token}")
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.click("button.primary")
        page.goto(f"/c/{checkin_token}")
        page.check("input[name=told][value=yes]")
        page.check("input[name=quote_consent][value=no]")
        page.click("button[name=_action][value=check]")
        page.click("button.primary")  # Send, on "check your answers"
        assert "your answers were sent" in page.content()
        time.sleep(1)  # History is written shortly after each visit
    finally:
        context.close()
    copy = tmp_path / "History.db"
    shutil.copyfile(profile / "Default" / "History", copy)
    with sqlite3.connect(copy) as history:
        recorded = [url for (url,) in history.execute("SELECT url FROM urls")]
    opened = [url for url in recorded if setup_token in url or checkin_token in url]
    assert opened, recorded
    for url in opened:
        assert client.get(url.removeprefix(live_server.url())).status_code == 404, url
