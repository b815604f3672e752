"""Links by email through a real SMTP listener, reminders, and his own link."""

import re
from datetime import date, timedelta

from intake.extensions import db
from intake.models import PrivateLink
from tests.checkins.conftest import SURVIVOR_MARKER, eventually
from tests.conftest import submit


def _mail(app, port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="group@example.org")


def _links_in(message) -> list[str]:
    return re.findall(r"https?://localhost(/c/[A-Za-z0-9_-]{40,})", message.content.decode())


def test_round_by_email_and_reminder_with_fresh_link(app, client, auth, process_ready, smtp):
    inbox, port = smtp
    _mail(app, port)
    auth.login("kim")
    page = submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": "R",
            "form_id": "checkin",
            "intro": "",
            "days": "28",
            "send_email": "yes",
            "people": "partner; partner@example.org\nfriend",
        },
    ).get_data(as_text=True)
    assert "mail waiting to be sent" in page
    eventually(lambda: len(inbox.messages) == 1)
    message = inbox.messages[0]
    assert message.rcpt_tos == ["partner@example.org"]
    body = message.content.decode()
    assert SURVIVOR_MARKER not in body and "X" not in re.sub(r"https?://\S+", "", body).split()
    first_link = _links_in(message)[0]

    with app.app_context():
        link_id = db.session.query(PrivateLink).order_by(PrivateLink.id).first().id
    submit(client, f"/p/alpha/checkins/links/{link_id}/remind", page="/p/alpha/checkins/1")
    eventually(lambda: len(inbox.messages) == 2)
    fresh = _links_in(inbox.messages[1])[0]
    assert fresh != first_link
    assert app.test_client().get(first_link).status_code == 404
    assert app.test_client().get(fresh).status_code == 302


def test_without_mail_settings_links_are_for_copying(app, client, auth, process_ready):
    auth.login("kim")
    page = client.get("/p/alpha/checkins/").get_data(as_text=True)
    assert "Email is not set up" in page


def _minutes_with_steps(client):
    day = date.today() - timedelta(days=2)
    return submit(
        client,
        "/p/alpha/submissions/new/minutes",
        {
            "kind": "with_him",
            "planned_date": day.isoformat(),
            "outcome": "held",
            "steps-0-what": "Write to the programme",
            "steps-0-owner": "him",
            "steps-0-deadline": (day + timedelta(days=20)).isoformat(),
            "_action": "submit",
        },
    ).headers["Location"]


def test_his_link_shows_the_agreed_steps_and_records_receipt(app, client, auth, process_ready):
    auth.login("kim")
    other = submit(
        client,
        "/p/alpha/steps/new",
        {
            "what": "Another step not in these minutes",
            "owner": "him",
            "agreed_on": "2026-01-01",
            "deadline": "2026-02-01",
            "demand_id": "",
        },
    )
    assert other.status_code == 302
    minutes_url = _minutes_with_steps(client)
    submission_id = minutes_url.rsplit("/", 1)[1]
    page = submit(client, f"/p/alpha/checkins/him/{submission_id}", {"email": "", "days": "28"})
    link = re.search(
        r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"', page.get_data(as_text=True)
    ).group(1)
    assert "not confirmed" in client.get(minutes_url).get_data(as_text=True)

    him = app.test_client()
    him.get(link)
    his_page = him.get("/c").get_data(as_text=True)
    assert "Write to the programme" in his_page
    assert "Another step not in these minutes" not in his_page
    assert SURVIVOR_MARKER not in his_page and "One." not in his_page  # no demands, no handover
    submit(him, "/c/confirm", page="/c")
    assert "You confirmed receiving this" in him.get("/c").get_data(as_text=True)
    done = submit(him, "/c", {"reflection": "I have started to read.", "_action": "submit"})
    assert "Thank you" in done.get_data(as_text=True)

    shown = client.get(minutes_url).get_data(as_text=True)
    assert "he confirmed receiving it on" in shown and "reflection received" in shown
    chronology = client.get("/p/alpha/chronology").get_data(as_text=True)
    assert "He confirmed receiving the agreed steps" in chronology
    assert "Written reflection received from him" in chronology
