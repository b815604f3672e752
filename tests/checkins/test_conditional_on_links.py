"""A check-in's questions that depend on an answer, on the link page and when typed in."""

import re

from intake.extensions import db
from intake.models import PrivateLink, Submission
from intake.submissions import service
from tests.checkins.test_links import _round
from tests.checkins.test_typed_in import round_with_link  # noqa: F401  (a fixture)
from tests.conftest import submit


def _shown(page: str, name: str) -> bool:
    tag = re.search(
        rf'<fieldset[^>]*id="{name}"[^>]*>|<div[^>]*data-show-if[^>]*>(?=\s*<label for="{name}")',
        page,
    )
    return " hidden" not in tag.group(0)


def test_continue_on_a_link_shows_who_told_you_and_stores_nothing(app, client, auth, process_ready):
    auth.login("kim")
    respondent = app.test_client()
    respondent.get(_round(client)[0])
    first = respondent.get("/c").get_data(as_text=True)
    assert not _shown(first, "told_by")
    page = submit(
        respondent, "/c", {"told": "yes", "what_he_said": "Kept.", "_action": "continue"}
    ).get_data(as_text=True)
    assert _shown(page, "told_by") and not _shown(page, "challenge_how")
    assert "Kept." in page and "There is a problem" not in page
    with app.app_context():
        assert db.session.query(PrivateLink).first().submission_id is None


def test_how_to_reach_you_is_not_kept_once_you_no_longer_want_to_talk(
    app, client, auth, process_ready
):
    auth.login("kim")
    respondent = app.test_client()
    respondent.get(_round(client)[0])
    typed = {"want_talk": "no", "reach_you": "+49 170 000000", "_action": "draft"}
    assert submit(respondent, "/c", typed).status_code == 200
    with app.app_context():
        record = db.session.query(Submission).filter_by(form_id="checkin").one()
        assert "+49 170 000000" not in str(service.answers_of(record))


def test_continue_when_typing_in_an_answer_is_not_a_refusal(
    app,
    client,
    auth,
    round_with_link,  # noqa: F811
):
    auth.login("kim")
    url = f"/p/alpha/checkins/links/{round_with_link['link']}/typed"
    response = submit(client, url, {"day": "2026-01-05", "told": "yes", "_action": "continue"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing is stored until" not in page and _shown(page, "told_by")
    assert 'value="2026-01-05"' in page
