"""WCAG 2.2 A and AA, checked by axe-core in Chromium on every page a person can reach.

Each demo role walks every link it can follow from its home page; then every
refused form it met is sent back empty, and its error state is checked too.
The link pages (a check-in and his link) are walked the same way. Languages,
widths and JavaScript are crossed so that each role meets English and German,
a phone and a desktop, scripts on and off, without running all eight
combinations for every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from intake.checkins import private_links
from intake.checkins.private_links import Person
from intake.cli.demo import DEMO_SHORT_NAME, load_demo
from intake.extensions import db
from intake.models import Submission
from intake.people.accounts import find_account
from intake.people.membership import process_by_short_name
from tests import factories
from tests.browser.axe import require_axe, violations

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MAX_PAGES = 90
# Files, not pages; and sign-out would end the walk.
SKIP = re.compile(r"/static/|\.(pdf|ics|csv|xlsx|zip|json)$|/download|/logout")


@dataclass(frozen=True)
class Setting:
    locale: str
    viewport: dict
    javascript: bool

    def __str__(self) -> str:
        width = "phone" if self.viewport is PHONE else "desktop"
        return f"{self.locale}-{width}-{'js' if self.javascript else 'nojs'}"


EN_DESKTOP_JS = Setting("en", DESKTOP, True)
DE_PHONE_NOJS = Setting("de", PHONE, False)
DE_DESKTOP_JS = Setting("de", DESKTOP, True)
EN_PHONE_NOJS = Setting("en", PHONE, False)

CASES = [
    ("contact", EN_DESKTOP_JS),
    ("contact", DE_PHONE_NOJS),
    ("support", DE_DESKTOP_JS),
    ("support", EN_PHONE_NOJS),
    ("central", EN_DESKTOP_JS),
    ("central", DE_PHONE_NOJS),
    ("admin", DE_DESKTOP_JS),
    ("admin", EN_PHONE_NOJS),
]


def _context(browser, live_server, setting: Setting):
    context = browser.new_context(viewport=setting.viewport, base_url=live_server.url())
    if not setting.javascript:
        # axe itself needs a script engine, so "scripts off" is the page with none of its
        # own: the CSP allows no inline script, and every file script is refused here.
        context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    page.goto("/login")
    if setting.locale != "en":
        page.click(f"button[name=lang][value={setting.locale}]")
    return context, page


def _check(page, where: str, failures: list[str]) -> None:
    found = violations(page)
    failures.extend(f"{where}: {line}" for line in found)


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _ = urldefrag(href)
        if url.startswith(base) and not SKIP.search(urlparse(url).path):
            found.append(url)
    return found


def _walk(page, base: str, start: str, failures: list[str]) -> list[str]:
    """Every page reachable from ``start`` by following links; those with a form."""
    queue, seen, with_forms = [base + start], set(), []
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            response = page.goto(url)
        except PlaywrightError:  # a file to download, not a page
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        _check(page, url.removeprefix(base), failures)
        if page.locator("form[novalidate] button.primary").count():
            with_forms.append(url)
        queue.extend(link for link in _links(page, base) if link not in seen)
    return with_forms


def _refuse(page, base: str, urls: list[str], failures: list[str]) -> int:
    """Send each form back with its text fields emptied; check every refusal shown."""
    refused = 0
    for url in urls:
        page.goto(url)
        form = page.locator("form[novalidate]").filter(has=page.locator("button.primary")).first
        for field in form.locator("input[type=text], input:not([type]), textarea").all():
            if field.is_visible() and field.is_editable():
                field.fill("")
        form.locator("button.primary").first.click()
        if page.locator("#error-summary").count():
            refused += 1
            _check(page, "refused " + url.removeprefix(base), failures)
    return refused


def _sign_in(app, role: str) -> tuple[str, str]:
    with app.app_context():
        sign_ins = load_demo()
        if role == "admin":
            factories.account("root", admin=True)
            db.session.commit()
            return "root", factories.PASSWORD
        by_role = {r.value: (account.username, password) for account, r, password in sign_ins}
    return by_role[role]


@pytest.mark.parametrize(("role", "setting"), CASES, ids=[f"{r}-{s}" for r, s in CASES])
def test_every_page_of_a_role_meets_wcag_22_aa(app, live_server, browser, role, setting):
    require_axe()
    username, password = _sign_in(app, role)
    context, page = _context(browser, live_server, setting)
    base = live_server.url()
    failures: list[str] = []
    try:
        _check(page, "/login", failures)
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("main button.primary")
        with_forms = _walk(page, base, "/", failures)
        refused = _refuse(page, base, with_forms, failures)
    finally:
        context.close()
    assert not failures, "\n".join(failures)
    assert refused >= 1, "no form's error state was reached"


def _links_to_answer(app) -> dict[str, str]:
    with app.app_context():
        load_demo()
        process = process_by_short_name(DEMO_SHORT_NAME)
        kim = find_account("demo-contact")
        _, issued = private_links.start_round(
            process,
            title="Round",
            form_id="checkin",
            intro="We are the contact group of X.",
            people=[Person("partner", "")],
            days=28,
            by=kim,
        )
        minutes = db.session.scalars(
            db.select(Submission).where(
                Submission.process_id == process.id, Submission.form_id == "minutes"
            )
        ).first()
        his = private_links.invite_him(process, minutes, email="", days=28, by=kim)
        db.session.commit()
        return {"checkin": issued[0].token, "him": his.token}


def _answer(page, kind: str, setting: Setting) -> None:
    """Answer enough to be sent; on a check-in, open a question that depends on an answer."""
    if kind == "him":
        page.fill("#reflection", "I have read the agreed steps.")
        return
    page.check("input[name=quote_consent][value=no]")
    page.check("input[name=told][value=yes]")
    if not setting.javascript:
        page.click("button[name=_action][value=continue] >> nth=0")
    assert page.locator("#told_by").is_visible()


LINK_SETTINGS = [EN_DESKTOP_JS, DE_PHONE_NOJS, DE_DESKTOP_JS, EN_PHONE_NOJS]


@pytest.mark.parametrize("setting", LINK_SETTINGS, ids=str)
def test_link_pages_meet_wcag_22_aa(app, live_server, browser, setting):
    require_axe()
    tokens = _links_to_answer(app)
    failures: list[str] = []
    for kind, token in tokens.items():
        context, page = _context(browser, live_server, setting)
        try:
            page.goto(f"/c/{token}")
            _check(page, f"{kind} link", failures)
            page.click("button[name=_action][value=check]")
            _check(page, f"{kind} link, refused", failures)
            _answer(page, kind, setting)
            _check(page, f"{kind} link, with the questions an answer opens", failures)
            page.click("button[name=_action][value=check]")
            assert page.url.endswith("/c/check"), page.url
            _check(page, f"{kind} link, check your answers", failures)
            page.click("main button.primary")
            assert page.locator(".confirmation").count() == 1
            _check(page, f"{kind} link, sent", failures)
        finally:
            context.close()
    # Last: a wrong link counts as a guess, and guesses from this address are throttled.
    context, page = _context(browser, live_server, setting)
    try:
        page.goto(f"/c/{'x' * 43}")
        _check(page, "a dead link", failures)
    finally:
        context.close()
    assert not failures, "\n".join(failures)
