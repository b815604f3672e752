"""Check-in links: one person, one process, one form, once; nothing else visible (R4, R5)."""

import re
from datetime import timedelta

from intake.checkins.results import results
from intake.extensions import db
from intake.models import PrivateLink, Process, Submission, utcnow
from intake.submissions import service
from tests.checkins.conftest import SURVIVOR_MARKER
from tests.conftest import submit

LINK = re.compile(r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"')
ANSWERS = {
    "told": "yes",
    "told_by": ["him"],
    "what_he_said": "He called it a misunderstanding.",
    "quote_consent": "no",
    "anonymous": "no",
}


def _round(client, people="partner\nfriend from group A", **extra):
    data = {
        "title": "Spring round",
        "form_id": "checkin",
        "intro": "We are the contact group.",
        "people": people,
        "days": "28",
        "send_email": "no",
        **extra,
    }
    response = submit(client, "/p/alpha/checkins/", data)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return LINK.findall(response.get_data(as_text=True))


def _answer(browser, link, answers=ANSWERS, action="submit"):
    assert browser.get(link).status_code == 302
    return submit(browser, "/c", {**answers, "_action": action})


def test_round_gives_one_link_per_person_and_stores_only_hashes(app, client, auth, process_ready):
    auth.login("kim")
    links = _round(client)
    assert len(links) == 2
    with app.app_context():
        stored = [i.token_hash for i in db.session.query(PrivateLink)]
    for link in links:
        token = link.rsplit("/", 1)[1]
        assert token not in stored
    assert len(set(stored)) == 2


def test_respondent_page_shows_intro_and_nothing_about_the_survivor(
    app, client, auth, process_ready
):
    auth.login("kim")
    link = _round(client)[0]
    respondent = app.test_client()
    opened = respondent.get(link)
    assert opened.headers["Location"] == "/c"  # the token leaves the address bar
    page = respondent.get("/c").get_data(as_text=True)
    assert "We are the contact group." in page
    assert SURVIVOR_MARKER not in page
    assert "Process about" not in page and "Sign out" not in page
    token = link.rsplit("/", 1)[1]
    assert token not in page
    assert "Anonymously" in page
    # The respondent reaches nothing else with this browser.
    assert respondent.get("/p/alpha/").status_code == 302
    assert respondent.get("/p/alpha/submissions/").status_code == 302


def test_draft_resumes_on_the_same_link_then_submit_spends_it(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    first = app.test_client()
    saved = _answer(first, link, {"what_he_said": "Half a thought", "anonymous": "no"}, "draft")
    assert saved.status_code == 200
    later = app.test_client()  # another day, another browser, same link
    assert later.get(link).status_code == 302
    resumed = later.get("/c").get_data(as_text=True)
    assert "Half a thought" in resumed
    lock = re.search(r'name="lock_version" value="(\d+)"', resumed).group(1)
    done = submit(later, "/c", {**ANSWERS, "_action": "submit", "lock_version": lock})
    assert "Thank you" in done.get_data(as_text=True)
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert later.get("/c").status_code == 404
    with app.app_context():
        record = db.session.query(Submission).filter_by(form_id="checkin").one()
        assert record.process_id == process_ready["alpha"]
        assert service.answers_of(record)["what_he_said"] == ANSWERS["what_he_said"]


def test_every_failing_link_looks_the_same(app, client, auth, process_ready):
    auth.login("kim")
    spent, expired, revoked, _unused = _round(client, "a\nb\nc\nd")
    _answer(app.test_client(), spent)
    with app.app_context():
        rows = db.session.query(PrivateLink).order_by(PrivateLink.id).all()
        rows[1].expires_at = utcnow() - timedelta(seconds=1)
        rows[2].revoked_at = utcnow()
        db.session.commit()
    bodies = set()
    for link in (spent, expired, revoked, "/c/" + "x" * 43):
        response = app.test_client().get(link)
        assert response.status_code == 404
        bodies.add(re.sub(r'value="[^"]+"', "", response.get_data(as_text=True)))
    assert len(bodies) == 1


def test_guessing_links_is_throttled(app, process_ready):
    guesser = app.test_client()
    statuses = [guesser.get(f"/c/guess{i:040d}").status_code for i in range(22)]
    assert statuses[:20] == [404] * 20
    assert statuses[-1] == 429
    assert "Too many attempts" in guesser.get("/c/another-guess").get_data(as_text=True)


def test_bad_answers_are_explained_and_kept(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    respondent = app.test_client()
    respondent.get(link)
    response = submit(
        respondent, "/c", {"told": "perhaps", "what_he_said": "Kept words", "_action": "submit"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page and "Kept words" in page
    assert "This question needs an answer." in page  # quote consent is required
    big = submit(respondent, "/c", {"what_he_said": "x" * (3 * 1024 * 1024), "_action": "draft"})
    assert big.status_code == 413


def test_anonymity_and_quote_consent_reach_the_results(app, client, auth, process_ready):
    auth.login("kim")
    named, anonymous = _round(client, "partner\nneighbour")
    _answer(
        app.test_client(),
        named,
        {**ANSWERS, "what_he_said": "Named words.", "quote_consent": "yes"},
    )
    _answer(
        app.test_client(),
        anonymous,
        {**ANSWERS, "what_he_said": "Secret words.", "quote_consent": "no", "anonymous": "yes"},
    )
    with app.app_context():
        round_page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
        assert "Named words." in round_page and "Secret words." in round_page
        assert re.search(r"Secret words\.</p><footer class=\"quiet\">anonymous", round_page)
        process = db.session.get(Process, process_ready["alpha"])
        definition = service.definition("checkin")
        count, questions = results(process, definition, "en", for_report=True)
        assert count == 2
        told = next(q for q in questions if q.label.startswith("Were you told"))
        assert ("Yes", 2) in told.counts
        texts = [a.text for q in questions for a in q.texts]
        assert texts == ["Named words."]  # no consent: only counted
        assert all(a.who == "partner" for q in questions for a in q.texts)


def test_a_link_cannot_reach_another_process(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    respondent = app.test_client()
    respondent.get(link)
    submit(respondent, "/c", {**ANSWERS, "_action": "submit"})
    with app.app_context():
        assert db.session.query(Submission).filter_by(process_id=process_ready["beta"]).count() == 0
    assert respondent.get("/p/beta/").status_code == 302


def test_outsiders_cannot_manage_rounds(app, client, auth, process_ready):
    auth.login("sam")
    assert client.get("/p/alpha/checkins/").status_code == 404
