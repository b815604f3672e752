"""The figures of a past entered late and out of order, through the pages, to the day."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import Meeting
from tests.conftest import submit


def ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def contact(client, days: int, direction: str, **extra: str) -> None:
    answers = {
        "date": ago(days),
        "channel": "email",
        "direction": direction,
        "summary": "Typed in weeks later.",
        "_action": "submit",
        **extra,
    }
    response = submit(client, "/p/alpha/submissions/new/contact", answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def meeting(app, client, days: int, state: str) -> None:
    planned = {"kind": "with_him", "day": ago(days), "time": "18:00", "place": "", "expected": ""}
    assert submit(client, "/p/alpha/meetings/", planned).status_code == 302
    with app.app_context():
        meeting_id = db.session.scalar(sa.select(sa.func.max(Meeting.id)))
    outcome = {"state": state, "lock_version": "1"}
    done = submit(
        client, f"/p/alpha/meetings/{meeting_id}/outcome", outcome, page="/p/alpha/meetings/"
    )
    assert done.status_code == 302


def figure(page: str, label: str) -> str:
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>([^<]*)</dd>", page)
    assert found, label
    return found.group(1).strip()


def test_a_past_entered_out_of_order_gives_exact_figures(app, kim):
    # Entered in the order a group catches up, not the order it happened.
    meeting(app, kim, 50, "missed")
    contact(kim, 190, "he_wrote", answer_kind="real")
    contact(kim, 300, "we_wrote")
    meeting(app, kim, 150, "held")
    contact(kim, 100, "we_wrote")
    contact(kim, 280, "he_wrote", answer_kind="acknowledgement")
    contact(kim, 200, "we_wrote")

    page = kim.get("/p/alpha/").get_data(as_text=True)
    assert figure(page, "Days since his last answer") == "150"  # the meeting he came to
    assert figure(page, "Unanswered since then") == "2"  # a message, and the missed meeting
    assert figure(page, "Longest silence, in days") == "100"  # still going
    assert figure(page, "Average days until he answered") == "15.0"  # (20 + 10) / 2
    assert figure(page, "Days to his first real answer") == "110"  # the acknowledgement not
    assert figure(page, "Days to the first meeting") == "150"
    assert figure(page, "Meetings held / missed") == "1 / 1"

    chronology = kim.get("/p/alpha/chronology").get_data(as_text=True)
    assert "No answer for 100 days so far" in chronology
    assert "No answer for 20 days" not in chronology  # under the group's limit of 60


def test_the_group_sets_when_a_silence_is_marked(app, kim):
    contact(kim, 300, "we_wrote")
    contact(kim, 280, "he_wrote")
    refused = submit(kim, "/p/alpha/silence-alarm", {"days": "3"}, page="/p/alpha/contacts")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Use 7 to 730 days." in page
    assert 'value="3"' in page  # what was typed stays
    saved = submit(kim, "/p/alpha/silence-alarm", {"days": "14"}, page="/p/alpha/contacts")
    assert saved.status_code == 302
    assert "No answer for 20 days" in kim.get("/p/alpha/chronology").get_data(as_text=True)
    assert "A silence longer than 14 days" in kim.get("/p/alpha/contacts").get_data(as_text=True)
