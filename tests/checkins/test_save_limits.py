"""Saves through a private link: no storage flood from someone without an account."""

from datetime import timedelta

from intake.extensions import db
from intake.models import Submission
from intake.security.throttle import Limit
from intake.submissions import quota
from tests.checkins.conftest import link_post
from tests.checkins.test_links import _answer, _round


def _checkins(app) -> int:
    with app.app_context():
        return db.session.query(Submission).filter_by(form_id="checkin").count()


def test_a_link_draft_obeys_the_length_limits(app, client, auth, process_ready):
    auth.login("kim")
    link = _round(client)[0]
    too_long = "z" * 20_001
    response = _answer(app.test_client(), link, {"what_he_said": too_long}, "draft")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at most 20000 characters." in page and too_long in page
    assert _checkins(app) == 0


def test_a_link_saving_too_often_is_told_to_wait(app, client, auth, process_ready, monkeypatch):
    monkeypatch.setattr(quota, "SAVES_PER_LINK", Limit("save-link", 3, timedelta(hours=1)))
    auth.login("kim")
    link = _round(client)[0]
    respondent = app.test_client()
    respondent.get(link)
    for n in range(3):
        saved = link_post(respondent, {"what_he_said": f"try {n}", "_action": "draft"})
        assert saved.status_code == 200
    refused = link_post(respondent, {"what_he_said": "fourth try", "_action": "draft"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You saved very often in a short time" in page and "fourth try" in page
    # Another link is counted on its own.
    other = _answer(app.test_client(), _round_links(client)[0], {"what_he_said": "x"}, "draft")
    assert other.status_code == 200


def _round_links(client):
    return _round(client, "someone else")


def test_a_link_cannot_store_more_than_its_quota(app, client, auth, process_ready, monkeypatch):
    monkeypatch.setattr(quota, "LINK_BYTES", 3000)
    auth.login("kim")
    link = _round(client)[0]
    respondent = app.test_client()
    respondent.get(link)
    # Saving again and again replaces the draft, so it never adds up.
    for n in range(5):
        saved = link_post(respondent, {"what_he_said": f"{n}" * 2000, "_action": "draft"})
        assert saved.status_code == 200
    refused = link_post(respondent, {"what_he_said": "w" * 4000, "_action": "draft"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 413
    assert "more text than can be stored here" in page and "w" * 4000 in page
    assert _checkins(app) == 1
