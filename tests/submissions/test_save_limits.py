"""Saves by members: drafts within the same limits as submissions, replaced not stacked, and
a rate and size quota per account."""

from datetime import timedelta

from intake.extensions import db
from intake.models import Submission, SubmissionRevision
from intake.security.throttle import Limit
from intake.submissions import quota, service
from tests import factories
from tests.conftest import submit

NEW = "/p/alpha/submissions/new/contact"


def _revisions(app) -> list[SubmissionRevision]:
    with app.app_context():
        return db.session.query(SubmissionRevision).order_by(SubmissionRevision.number).all()


def test_a_draft_obeys_the_length_limits_and_keeps_what_was_typed(app, client, auth, group):
    auth.login("kim")
    too_long = "x" * 20_001
    response = submit(client, NEW, {"summary": too_long, "channel": "email", "_action": "draft"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at most 20000 characters." in page
    assert too_long in page  # nothing typed is lost
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_a_draft_keeps_only_the_forms_own_questions(app, client, auth, group):
    auth.login("kim")
    junk = {f"junk{n}": "y" * 100 for n in range(50)}
    response = submit(client, NEW, {"summary": "kept", "_action": "draft", **junk})
    assert response.status_code == 302
    with app.app_context():
        answers = service.answers_of(db.session.query(Submission).one())
    assert ["summary", "kept"] in answers[service.DRAFT_KEY]
    assert not any(key.startswith("junk") for key, _ in answers[service.DRAFT_KEY])


def test_saving_a_draft_again_replaces_ones_own_draft_not_anothers(app, client, auth, group):
    auth.login("kim")
    first = submit(client, NEW, {"summary": "one", "_action": "draft"})
    edit = first.headers["Location"]
    for words in ("two", "three"):
        with app.app_context():
            lock = db.session.query(Submission).one().lock_version
        assert submit(client, edit, {"summary": words, "lock_version": lock, "_action": "draft"})
    revisions = _revisions(app)
    assert len(revisions) == 1
    with app.app_context():
        revision = db.session.query(SubmissionRevision).one()
        assert ["summary", "three"] in service.answers_of(revision)[service.DRAFT_KEY]
        lock = db.session.query(Submission).one().lock_version
    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    submit(lu, edit, {"summary": "lu's words", "lock_version": lock, "_action": "draft"})
    assert len(_revisions(app)) == 2  # kim's draft stays in the history


def test_an_account_saving_too_often_is_told_to_wait(app, client, auth, group, monkeypatch):
    monkeypatch.setattr(quota, "SAVES_PER_ACCOUNT", Limit("save-account", 2, timedelta(hours=1)))
    auth.login("kim")
    for n in range(2):
        assert submit(client, NEW, {"summary": f"draft {n}", "_action": "draft"}).status_code == 302
    refused = submit(client, NEW, {"summary": "the third", "_action": "draft"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You saved very often in a short time" in page and "the third" in page
    with app.app_context():
        assert db.session.query(Submission).count() == 2


def test_an_account_storing_too_much_in_a_day_is_refused(app, client, auth, group, monkeypatch):
    monkeypatch.setattr(quota, "ACCOUNT_BYTES_PER_DAY", 3000)
    auth.login("kim")
    assert submit(client, NEW, {"summary": "a" * 2000, "_action": "draft"}).status_code == 302
    refused = submit(client, NEW, {"summary": "b" * 2000, "_action": "draft"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 413
    assert "more text than can be stored here" in page and "b" * 2000 in page
