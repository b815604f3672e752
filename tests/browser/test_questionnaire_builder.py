"""A coordinator builds a questionnaire on a phone without JavaScript, and it is used to the end."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from intake.clock import today
from intake.extensions import db
from intake.models import Role
from intake.questionnaires import store
from tests import factories
from tests.browser.axe import require_axe, violations
from tests.browser.conftest import screenshot
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]

QUOTED = "He told us it was a misunderstanding"
NEVER = "call me on 0123"


def _sign_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("main button.primary")


def _question(page, place: str, **values) -> None:
    """Open a question's editor from the questionnaire page and save it."""
    page.click(f"text=Edit question {place}")
    for name, value in values.items():
        if name == "kind":
            page.select_option("#kind", value)
        elif name == "show_if_field":
            page.select_option("#show_if_field", value)
        elif name == "travel":
            page.check(f"input[name=travel][value={value}]")
        elif name == "required":
            page.check("#required")
        else:
            page.fill(f"#{name}", value)
    page.click("text=Save question")
    assert "Saved in the draft." in page.content(), page.content()[:3000]


def _add(page, kind: str, id_: str, en: str, de: str, **extra) -> None:
    page.click("text=Add a question to section 1")
    page.click("text=Back to the questionnaire")
    place = page.locator("li.builder-question").count()
    _question(page, f"1.{place}", field_id=id_, kind=kind, label_en=en, label_de=de, **extra)


def test_a_coordinator_builds_publishes_sends_and_edits_a_questionnaire(
    app, client, live_server, phone_without_js, browser
) -> None:
    app.config["REPORT_RENDER_INLINE"] = True
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    phone = phone_without_js
    _sign_in(phone, "kim")
    phone.goto("/p/alpha/questionnaires/")
    phone.check("input[name=start][value='blank:link']")
    phone.click("text=Start the draft")
    builder_url = phone.url
    phone.fill("#title_en", "Friends check")
    phone.fill("#title_de", "Nachfrage bei Freund*innen")
    phone.click("text=Save title")

    _add(
        phone, "yes_no_unsure", "told", "Were you told?", "Wurdest du informiert?", travel="report"
    )
    _add(
        phone,
        "single_choice",
        "how_often",
        "How often do you see him?",
        "Wie oft siehst du ihn?",
        travel="report",
        choices="weekly | Weekly | Wöchentlich\nrarely | Rarely | Selten",
    )
    _add(
        phone,
        "multiple_choice",
        "where",
        "Where?",
        "Wo?",
        travel="report",
        choices="group | In the group | In der Gruppe\nprivate | Privately | Privat",
    )
    _add(
        phone,
        "long_text",
        "said",
        "What did he say?",
        "Was hat er gesagt?",
        travel="report",
        show_if_field="told",
        show_if_values="yes",
    )
    _add(phone, "text", "reach", "How can we reach you?", "Wie erreichen wir dich?", travel="never")
    _add(phone, "date", "last_seen", "Last seen", "Zuletzt gesehen")
    _add(phone, "datetime", "talk_at", "A good time to talk", "Eine gute Zeit zum Reden")
    _add(
        phone,
        "scale",
        "safe",
        "How safe do you feel?",
        "Wie sicher fühlst du dich?",
        travel="report",
        scale_min="1",
        scale_max="3",
        scale_labels="1 | Not safe | Nicht sicher\n3 | Safe | Sicher",
    )
    _add(phone, "email", "mail", "Email (optional)", "E-Mail (freiwillig)", travel="never")
    # A repeating group, with a question of its own.
    phone.click("text=Add a question to section 1")
    phone.click("text=Back to the questionnaire")
    place = phone.locator("li.builder-question").count()
    phone.click(f"text=Edit question 1.{place}")
    phone.select_option("#kind", "repeat")
    phone.fill("#field_id", "groups")
    phone.fill("#label_en", "Groups he is in")
    phone.fill("#label_de", "Gruppen, in denen er ist")
    phone.click("text=Save question")
    assert "needs fields" in phone.content(), "the group is kept and says what it needs"
    phone.click("text=Back to the questionnaire")
    phone.click("text=Add a question to this group")
    phone.fill("#field_id", "group_name")
    phone.fill("#label_en", "Name of the group")
    phone.fill("#label_de", "Name der Gruppe")
    phone.click("text=Save question")
    # The consent question came first; move it to the end, one step at a time.
    last = phone.locator("li.builder-question").count() - 1  # the group's question is inside
    for at in range(1, last):
        phone.click(f"text=Move 1.{at} down")
    assert "quoted" in phone.locator("li.builder-question").last.inner_text()
    assert "To fix before publishing" not in phone.content()
    screenshot(phone, "builder-phone")

    phone.click("text=Preview in German")
    assert "Wurdest du informiert?" in phone.content() and "Nicht sicher" in phone.content()
    phone.click("main button.primary")  # the consent answer is missing, as it would be for them
    assert phone.locator("#error-summary").is_visible()
    screenshot(phone, "builder-preview-de-phone")
    phone.goto(builder_url)
    phone.click("text=Publish as version 1")
    assert "Version 1 is published and can be used now." in phone.content()

    phone.goto("/p/alpha/checkins/")
    phone.fill("#title", "Friends, spring")
    phone.check("text=Friends check")
    phone.fill("#people", "friend")
    phone.click("main button.primary")
    link = re.search(r"https?://[^/\s\"]+(/c/[A-Za-z0-9_-]{40,})", phone.content()).group(1)

    respondent = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
        base_url=live_server.url(),
    ).new_page()
    respondent.goto(link)
    respondent.check("input[name=told][value=yes]")
    respondent.check("input[name=how_often][value=weekly]")
    respondent.check("input[name=where][value=group]")
    # Without scripts "What did he say?" shows after Continue, once "told" is yes.
    respondent.click("button[name=_action][value=continue][formaction='#told']")
    respondent.fill("#said", QUOTED)
    respondent.fill("#reach", NEVER)
    respondent.check("input[name=safe][value='1']")
    respondent.check("input[name=quote_consent][value=yes]")
    respondent.click("main button.primary")  # check your answers
    assert respondent.url.endswith("/c/check") and QUOTED in respondent.inner_text("main")
    respondent.click("main button.primary")  # send
    assert "Thank you" in respondent.content()

    phone.goto("/p/alpha/checkins/")
    phone.click("text=Friends, spring")
    counted = re.sub(r"\s+", " ", phone.inner_text("main"))
    assert "Were you told? Yes 1" in counted and "Weekly 1" in counted and QUOTED in counted
    screenshot(phone, "builder-results-phone")

    # A report-back shows what may travel, and only that.
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    requested = submit(
        client,
        "/p/alpha/reports/",
        {"since": "2020-01-01", "until": today().isoformat(), "assessment": ""},
    )
    report_path = requested.headers["Location"]
    pdf = client.get(f"{report_path}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Friends check" in text and QUOTED in text
    assert NEVER not in text and "How can we reach you" not in text

    # Version 2: the old answer still shows and prints with version 1's words.
    phone.goto(builder_url)
    _question(phone, "1.1", label_en="Were you ever told?")
    phone.click("text=Publish as version 2")
    assert "Version 2 is published" in phone.content()
    phone.goto("/p/alpha/submissions/")
    phone.click("text=Friends check")
    shown = phone.inner_text("main")
    assert "Were you told?" in shown and "Were you ever told?" not in shown
    record_path = phone.url.replace(live_server.url(), "")
    printed = client.get(f"{record_path}/pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.data)).pages)
    assert "Were you told?" in text and "Were you ever told?" not in text
    assert all(url.startswith(live_server.url()) for url in phone.requested)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_builder_pages_meet_wcag_22_aa_on_a_phone(app, live_server, browser, language) -> None:
    require_axe()
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        raw = store.blank("link")
        raw["sections"][0]["fields"][:0] = [
            {"id": "told", "type": "yes_no_unsure", "travel": "report", "label": "Told?"},
            {
                "id": "said",
                "type": "long_text",
                "label": "Said?",
                "show_if": {"field": "told", "equals": "yes"},
            },
            {"id": "safe", "type": "scale", "min": 1, "max": 3, "label": "Safe?"},
            {
                "id": "groups",
                "type": "repeat",
                "label": "Groups",
                "fields": [{"id": "name", "type": "text", "label": "Name"}],
            },
        ]
        made = store.create(alpha, kim, raw)
        db.session.commit()
        base = f"/p/alpha/questionnaires/{made.id}"
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url()
    )
    # Scripts of the page's own are refused: the pages as they are with JavaScript off.
    context.route("**/*.js", lambda route: route.abort())
    page = context.new_page()
    page.goto("/login")
    if language != "en":
        page.click(f"button[name=lang][value={language}]")
    _sign_in(page, "kim")
    failures: list[str] = []
    for path in (
        "/p/alpha/questionnaires/",
        base,
        f"{base}/questions/1.1",
        f"{base}/questions/1.4.1",
        f"{base}/sections/1",
        f"{base}/preview?language=en",
        f"{base}/preview?language=de",
    ):
        page.goto(path)
        failures.extend(f"{path}: {line}" for line in violations(page))
    # A refused question and a refused preview, with their error summaries.
    page.goto(f"{base}/preview")
    page.locator("main button.primary").click()
    failures.extend(f"refused preview: {line}" for line in violations(page))
    page.goto(f"{base}/questions/1.1")
    page.fill("#label_de", "")
    page.locator("main button.primary").click()
    failures.extend(f"refused question: {line}" for line in violations(page))
    context.close()
    assert failures == []
