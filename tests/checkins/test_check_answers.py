"""Check your answers: nothing is sent before the summary; Change keeps every answer (R6)."""

import re

from intake.extensions import db
from intake.models import PrivateLink, Submission, SubmissionStatus
from intake.submissions import service
from tests.checkins.conftest import link_post
from tests.checkins.test_links import _round
from tests.checkins.test_mail_and_him import _minutes_with_steps
from tests.conftest import submit

TYPED = {
    "told": "yes",
    "told_by": ["him", "others"],
    "what_he_said": "He called it a misunderstanding.",
    "challenge": "no",
    "challenge_how": "Typed while the answer above was yes.",
    "quote_consent": "no",
    "anonymous": "yes",
}


def _opened(app, link):
    respondent = app.test_client()
    assert respondent.get(link).status_code == 302
    return respondent


def _send(browser):
    """Press Send on the summary as a browser does: with its token and the version it shows."""
    summary = browser.get("/c/check").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', summary).group(1)
    lock = re.search(r'name="lock_version" value="(\d+)"', summary).group(1)
    return browser.post("/c/send", data={"csrf_token": token, "lock_version": lock})


def _link_state(app) -> tuple[PrivateLink, Submission | None]:
    with app.app_context():
        link = db.session.query(PrivateLink).order_by(PrivateLink.id).first()
        record = db.session.get(Submission, link.submission_id) if link.submission_id else None
        db.session.expunge_all()
        return link, record


def test_check_shows_every_answer_with_change_and_sends_only_on_send(
    app, client, auth, process_ready
):
    auth.login("kim")
    respondent = _opened(app, _round(client)[0])
    question_page = respondent.get("/c").get_data(as_text=True)
    assert 'value="check"' in question_page and 'value="submit"' not in question_page

    checked = submit(respondent, "/c", {**TYPED, "_action": "check"})
    assert checked.status_code == 303 and checked.headers["Location"].endswith("/c/check")
    link, record = _link_state(app)
    assert link.answered_at is None and record.status is SubmissionStatus.DRAFT

    summary = respondent.get("/c/check").get_data(as_text=True)
    assert "Check your answers before sending them" in summary
    assert "He called it a misunderstanding." in summary and "He did, Someone else" in summary
    assert "Anonymously: no name is stored" in summary
    # A question its condition left out is neither shown nor sent.
    assert "Typed while the answer above was yes." not in summary
    for anchor in ("anonymous", "told", "told_by", "what_he_said", "quote_consent"):
        assert f'href="/c#{anchor}"' in summary
    assert 'href="/c#challenge_how"' not in summary
    assert "Not answered" in summary  # read_letter was left empty

    # "Change" leads back to the questions with every answer as it was.
    back = respondent.get("/c").get_data(as_text=True)
    assert "He called it a misunderstanding." in back
    assert re.search(r'name="told_by"[^>]*value="others"[^>]*checked', back) or re.search(
        r'checked[^>]*name="told_by"[^>]*value="others"', back
    )
    changed = {**TYPED, "what_he_said": "He now says he is sorry.", "_action": "check"}
    link_post(respondent, changed)
    summary = respondent.get("/c/check").get_data(as_text=True)
    assert "He now says he is sorry." in summary

    sent = _send(respondent)
    page = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "your answers were sent" in page
    assert "Only the contact group that sent you the link reads your answers." in page
    assert "your answers are only counted" in page
    assert "You answered anonymously" in page
    link, record = _link_state(app)
    assert link.answered_at is not None and link.anonymous
    assert record.status is SubmissionStatus.SUBMITTED
    with app.app_context():
        answers = service.answers_of(db.session.get(Submission, record.id))
    assert answers["what_he_said"] == "He now says he is sorry."
    assert "challenge_how" not in answers
    assert respondent.get("/c/check").status_code == 404


def test_a_refused_check_keeps_what_was_typed_and_stores_nothing(app, client, auth, process_ready):
    auth.login("kim")
    respondent = _opened(app, _round(client)[0])
    typed = {k: v for k, v in TYPED.items() if k != "quote_consent"}
    refused = submit(respondent, "/c", {**typed, "_action": "check"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "There is a problem" in page
    assert "He called it a misunderstanding." in page
    assert _link_state(app)[1] is None
    # Without complete answers kept, the summary sends the person back to the questions.
    assert respondent.get("/c/check").headers["Location"].endswith("/c")


def test_answers_changed_in_another_tab_are_shown_again_not_sent(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    tab_a = _opened(app, link)
    submit(tab_a, "/c", {**TYPED, "_action": "check"})
    summary_a = tab_a.get("/c/check").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', summary_a).group(1)
    lock = re.search(r'name="lock_version" value="(\d+)"', summary_a).group(1)
    # The same browser, another tab: changes an answer and checks again.
    link_post(tab_a, {**TYPED, "what_he_said": "Changed in tab B.", "_action": "check"})
    stale = tab_a.post("/c/send", data={"csrf_token": token, "lock_version": lock})
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "changed from another page or tab meanwhile" in page and "Changed in tab B." in page
    assert _link_state(app)[0].answered_at is None


def test_his_reflection_is_checked_then_sent_and_he_is_told_who_reads_it(
    app, client, auth, process_ready
):
    auth.login("kim")
    record_id = _minutes_with_steps(client).rsplit("/", 1)[1]
    page = submit(client, f"/p/alpha/checkins/him/{record_id}", {"email": "", "days": "28"})
    link = re.search(
        r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"', page.get_data(as_text=True)
    ).group(1)
    him = _opened(app, link)
    submit(him, "/c", {"reflection": "I have started to read.", "_action": "check"})
    summary = him.get("/c/check").get_data(as_text=True)
    assert "I have started to read." in summary and 'href="/c#reflection"' in summary
    assert "How your answers are kept" not in summary  # no anonymity on his link
    sent = _send(him).get_data(as_text=True)
    assert "The contact group reads your reflection before the meeting." in sent
