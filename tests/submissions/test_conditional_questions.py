"""Questions asked only after an earlier answer: right on the page without scripts (R6)."""

import re

from intake.extensions import db
from intake.models import Submission
from intake.submissions import service
from tests.conftest import submit
from tests.submissions.test_field_types import NEW, VALID

WHY = re.compile(r'<div class="field[^"]*" data-show-if="sure" data-show-if-values="no"( hidden)?>')


def _why_hidden(page: str) -> bool:
    return WHY.search(page).group(1) is not None


def test_a_question_whose_condition_does_not_hold_is_sent_hidden(client, auth, group):
    auth.login("kim")
    page = client.get(NEW).get_data(as_text=True)
    assert _why_hidden(page)
    # "Continue" right after the question the other depends on, and back to it.
    assert re.search(
        r'</fieldset>\s*<div class="reveal-continue" data-reveal-continue>\s*'
        r'<button type="submit" name="_action" value="continue" formaction="#sure"',
        page,
    )


def test_continue_shows_the_questions_an_answer_opens_and_keeps_every_answer(
    app, client, auth, group
):
    auth.login("kim")
    opened = submit(client, NEW, {**VALID, "sure": "no", "_action": "continue"})
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200
    assert not _why_hidden(page)
    assert 'value="  Twelve chars "' in page or 'value="Twelve chars"' in page
    assert 'value="Call the group"' in page
    assert "There is a problem" not in page  # "why" is required, but not checked yet
    closed = submit(client, NEW, {**VALID, "sure": "yes", "why": "kept", "_action": "continue"})
    assert _why_hidden(closed.get_data(as_text=True))
    with app.app_context():
        assert db.session.query(Submission).count() == 0  # Continue stores nothing


def test_a_draft_keeps_nothing_of_a_question_left_out(app, client, auth, group):
    auth.login("kim")
    data = {**VALID, "sure": "yes", "why": "typed, then the answer changed", "_action": "draft"}
    assert submit(client, NEW, data).status_code == 302
    with app.app_context():
        draft = service.answers_of(db.session.query(Submission).one())[service.DRAFT_KEY]
    assert ["why", "typed, then the answer changed"] not in draft
    assert ["short", "  Twelve chars "] in draft


def test_a_hidden_required_question_is_not_checked(app, client, auth, group):
    auth.login("kim")
    response = submit(client, NEW, {**VALID, "sure": "yes"})
    assert response.status_code == 302
