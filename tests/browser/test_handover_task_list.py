"""The support group writes the handover section by section on a phone with
JavaScript off, over two sittings, and sends it once the list says it is complete."""

import pytest

from intake.extensions import db
from intake.models import Role
from tests import factories
from tests.browser.axe import require_axe, violations
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def support_member(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "sam", Role.SUPPORT)
        factories.member(alpha, "kim", Role.CONTACT)
        db.session.commit()


def _phone_without_scripts(browser, live_server):
    # axe needs a script engine, so "scripts off" is the page with none of its own:
    # the CSP allows no inline script, and every file script is refused here.
    context = browser.new_context(viewport=PHONE, base_url=live_server.url())
    context.route("**/*.js", lambda route: route.abort())
    return context


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("button.primary")


def _status(page, section: str) -> str:
    return page.inner_text(f"#task-{section}-status").strip()


def _accessible(page, failures: list[str], where: str) -> None:
    failures.extend(f"{where}: {line}" for line in violations(page))


def test_handover_section_by_section_over_two_sittings(app, live_server, browser, support_member):
    require_axe()
    failures: list[str] = []
    first = _phone_without_scripts(browser, live_server)
    page = first.new_page()
    page.set_default_timeout(8000)
    _sign_in(page, "sam")
    page.goto("/p/alpha/submissions/new/handover")
    assert _status(page, "demands") == "Not started"
    _accessible(page, failures, "new task list")
    page.click("#task-demands")
    page.fill("#demands-0-text", "Seek critical help to understand what he did.")
    _accessible(page, failures, "demands section")
    page.click("button.primary")  # Save and continue: on to the next section
    assert page.locator("h1").inner_text().endswith("Aims and principles")
    page.goto(page.url.replace("/sections/aims", "/sections/boundaries"))
    page.fill("#never_pass_on", "Where she lives now.")
    page.click("button.primary")  # no answer to "Does she want updates?" yet
    assert page.locator("#error-summary").is_visible()
    _accessible(page, failures, "refused boundaries section")
    assert page.input_value("#never_pass_on") == "Where she lives now."
    page.click('button:not(.visually-hidden):has-text("Save and come back later")')
    assert page.url.endswith("/tasks")
    assert _status(page, "boundaries") == "In progress"
    assert page.locator("#still-missing").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "handover-task-list-phone")
    first.close()

    # The second sitting, in a fresh browser.
    second = _phone_without_scripts(browser, live_server)
    page = second.new_page()
    page.set_default_timeout(8000)
    _sign_in(page, "sam")
    page.goto("/p/alpha/submissions/new/handover")
    assert page.url.endswith("/tasks")
    assert _status(page, "demands") == "Completed"
    assert _status(page, "boundaries") == "In progress"
    _accessible(page, failures, "task list in progress")
    page.click("#task-boundaries")
    assert page.input_value("#never_pass_on") == "Where she lives now."
    page.check("input[name=wants_updates][value=none]")
    page.click("button.primary")
    page.goto(page.url.rsplit("/sections/", 1)[0] + "/tasks")
    assert _status(page, "boundaries") == "Completed"
    assert page.locator("#still-missing").count() == 0
    _accessible(page, failures, "task list complete")
    page.click("form button.primary")
    assert page.locator("h1").count()
    body = page.content()
    assert "Seek critical help to understand what he did." in body
    assert "/tasks" not in page.url and "/edit" not in page.url
    second.close()
    assert not failures, "\n".join(failures)
