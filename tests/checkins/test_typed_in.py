"""A check-in answer a member types in from a conversation or a letter, dated by that day."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.checkins import private_links
from intake.clock import today
from intake.extensions import db
from intake.models import Account, PrivateLink, Process, Submission
from intake.record.chronology import chronology
from intake.submissions import service
from tests.conftest import submit


@pytest.fixture
def round_with_link(app, process_ready):
    with app.app_context():
        process = db.session.get(Process, process_ready["alpha"])
        kim = db.session.get(Account, process_ready["kim"])
        _round, issued = private_links.start_round(
            process,
            title="Friends",
            form_id="checkin",
            intro="",
            days=14,
            by=kim,
            people=[private_links.Person("neighbour", "")],
        )
        # The neighbour began through the link, then chose to talk instead.
        draft = service.save(
            process, service.definition("checkin"), None, {"told": "no"}, submit=False
        )
        issued[0].link.submission_id = draft.submission.id
        db.session.commit()
        return {
            "round": _round.id,
            "link": issued[0].link.id,
            "token": issued[0].token,
            "draft": draft.submission.id,
        }


def _typed(client, link_id: int, day, **answers):
    url = f"/p/alpha/checkins/links/{link_id}/typed"
    data = {"day": day.isoformat(), "_action": "submit", **answers}
    return submit(client, url, data)


def test_an_answer_from_a_conversation_is_stored_dated_that_day(app, client, auth, round_with_link):
    auth.login("kim")
    link_id = round_with_link["link"]
    page = client.get(f"/p/alpha/checkins/{round_with_link['round']}").get_data(as_text=True)
    assert f"/checkins/links/{link_id}/typed" in page
    future = _typed(client, link_id, today() + timedelta(days=2), what_he_said="He laughed.")
    text = future.get_data(as_text=True)
    assert future.status_code == 422
    assert "That day is still to come" in text and "He laughed." in text  # the words stay
    early = _typed(client, link_id, today().replace(year=1989), told="yes")
    assert "Use a date between" in early.get_data(as_text=True)
    day = today() - timedelta(days=12)
    done = _typed(client, link_id, day, told="yes", what_he_said="He laughed.", quote_consent="yes")
    assert done.status_code == 302
    with app.app_context():
        link = db.session.get(PrivateLink, link_id)
        answer = db.session.get(Submission, link.submission_id)
        assert answer.happened_on == day and not answer.is_draft
        assert answer.created_by.username == "kim"
        assert not link.anonymous
        # What the neighbour began through the link and never sent is gone: one record left.
        checkins = sa.select(sa.func.count(Submission.id)).filter_by(form_id="checkin")
        assert db.session.scalar(checkins) == 1
        assert service.answers_of(answer)["told"] == "yes"
        events = chronology(db.session.get(Process, answer.process_id), today(), kinds={"checkin"})
    assert [e.on for e in events] == [day]
    # The link no longer works; the round shows the person answered.
    assert app.test_client().get(f"/c/{round_with_link['token']}").status_code == 404
    page = client.get(f"/p/alpha/checkins/{round_with_link['round']}").get_data(as_text=True)
    assert "answered" in page and f"/links/{link_id}/typed" not in page
    # Typing in again is refused: the person has answered.
    again = _typed(client, link_id, day, told="no")
    assert again.status_code == 302
    assert "has answered already" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_pressing_enter_stores_nothing(app, client, auth, round_with_link):
    auth.login("kim")
    url = f"/p/alpha/checkins/links/{round_with_link['link']}/typed"
    pressed = submit(client, url, {"day": today().isoformat(), "_action": "draft", "told": "yes"})
    assert pressed.status_code == 422
    assert "Nothing is stored until you press" in pressed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PrivateLink, round_with_link["link"]).answered_at is None


def test_only_the_contact_group_types_in_answers(app, client, auth, round_with_link):
    auth.login("sam")
    url = f"/p/alpha/checkins/links/{round_with_link['link']}/typed"
    assert client.get(url).status_code == 404
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count(Submission.id)).filter_by(form_id="checkin")
        )
    assert count == 1  # only the unsent draft
