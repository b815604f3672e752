"""Values that used to break a page for good: each is refused clearly or made harmless."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from intake.checkins import private_links
from intake.extensions import db
from intake.formdef.dates import latest
from intake.mail import MailError, send
from intake.models import Account, Meeting, MeetingKind, Process, Submission
from intake.record import meetings
from intake.submissions import service
from tests import factories
from tests.conftest import csrf_token, submit

KEPT = "Café Nord, back room"


def kim(client: FlaskClient) -> str:
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    return csrf_token(client, "/")


def stored_meetings(app: Flask) -> list[Meeting]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Meeting)))


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("day", ["9999-12-31", "1989-12-31", "0001-01-01"])
def test_a_meeting_outside_sane_dates_is_refused_with_the_words_kept(
    app: Flask, client, alpha, day: str
) -> None:
    token = kim(client)
    response = client.post(
        "/p/alpha/meetings/",
        data={"csrf_token": token, "kind": "with_him", "day": day, "time": "23:30", "place": KEPT},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Use a date between 1990-01-01 and {latest(date.today()).isoformat()}." in body
    assert "Café Nord, back room" in body
    assert stored_meetings(app) == []
    assert client.get("/p/alpha/meetings/upcoming.ics").status_code == 200


def test_the_last_sane_day_is_taken(app: Flask, client, alpha) -> None:
    token = kim(client)
    last = latest(date.today()).isoformat()
    response = client.post(
        "/p/alpha/meetings/",
        data={"csrf_token": token, "kind": "with_him", "day": last, "time": "23:30"},
    )
    assert response.status_code == 302
    assert len(stored_meetings(app)) == 1


def test_the_calendar_survives_any_stored_meeting(app: Flask, client, alpha) -> None:
    """Meetings stored before the form checked dates, or typed in elsewhere, still export."""
    with app.app_context():
        process = db.session.get(Process, alpha)
        author = db.session.scalar(sa.select(Account).where(Account.username == "kim"))
        for moment in (datetime(9999, 12, 31, 23, 30, tzinfo=UTC), datetime(5, 1, 1, tzinfo=UTC)):
            meetings.plan(
                process,
                kind=MeetingKind.WITH_HIM,
                starts_at=moment,
                place="",
                expected="",
                by=author,
            )
        db.session.commit()
    kim(client)
    response = client.get("/p/alpha/meetings/upcoming.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "DTSTART:99991231T233000Z\r\nSUMMARY:" in body  # no hour after it: no end
    assert "DTSTART:00050101T000000Z\r\nDTEND:00050101T010000Z\r\n" in body
    assert client.get("/p/alpha/meetings/").status_code == 200


def test_a_step_deadline_outside_sane_dates_is_refused(app: Flask, client, alpha) -> None:
    token = kim(client)
    response = client.post(
        "/p/alpha/steps/new",
        data={
            "csrf_token": token,
            "what": KEPT,
            "owner": "him",
            "agreed_on": "2026-01-01",
            "deadline": "9999-12-31",
        },
    )
    assert response.status_code == 200  # the form again, unsaved
    body = response.get_data(as_text=True)
    assert "Use a date between 1990-01-01" in body and "Café Nord, back room" in body


def test_a_record_date_outside_sane_dates_is_refused(app: Flask, client, alpha) -> None:
    token = kim(client)
    response = client.post(
        "/p/alpha/submissions/new/contact",
        data={
            "csrf_token": token,
            "_action": "submit",
            "date": "9999-12-31",
            "channel": "email",
            "direction": "he_wrote",
            "summary": KEPT,
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Use a date between 1990-01-01" in body and "Café Nord, back room" in body


def test_full_width_digits_are_read_as_digits(app: Flask, client, alpha) -> None:
    token = kim(client)
    response = client.post(
        "/p/alpha/meetings/",
        data={
            "csrf_token": token,
            "kind": "with_him",
            "day": "２０２６－０１－０２",
            "time": "１８:３０",
        },
    )
    assert response.status_code == 302
    (meeting,) = stored_meetings(app)
    assert meeting.starts_at == datetime(2026, 1, 2, 18, 30, tzinfo=UTC)
    response = client.post(
        "/p/alpha/submissions/new/contact",
        data={
            "csrf_token": token,
            "_action": "submit",
            "date": "２０２６-０１-０２",
            "channel": "email",
            "direction": "he_wrote",
            "summary": "x",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalar(sa.select(Submission).where(Submission.form_id == "contact"))
        assert service.answers_of(record)["date"] == "2026-01-02"
    chronology = client.get("/p/alpha/chronology?since=２０２６-０１-０１&until=2026-01-03")
    assert chronology.status_code == 200


# ---------------------------------------------------------------- NUL


def test_nul_characters_are_dropped_and_the_rest_saved(app: Flask, client, alpha) -> None:
    """PostgreSQL refuses NUL in text; nobody types one, so it is dropped on arrival."""
    token = kim(client)
    response = client.post(
        "/p/alpha/submissions/new/contact",
        data={
            "csrf_token": token,
            "_action": "submit",
            "date": "2026-01-02\x00",
            "channel": "email",
            "direction": "he_wrote",
            "summary": "he\x00 wrote",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalar(sa.select(Submission).where(Submission.form_id == "contact"))
        assert service.answers_of(record)["summary"] == "he wrote"
    assert client.get("/p/alpha/search?q=he%00%20wrote").status_code == 200


@pytest.mark.parametrize(
    "path", ["/p/al%00pha/", "/admin/processes/al%00pha", "/c/ab%00cd", "/setup/ab%00cd"]
)
def test_a_nul_character_in_an_address_is_no_page(app: Flask, client, alpha, path: str) -> None:
    kim(client)
    assert client.get(path).status_code == 404


def test_a_nul_character_in_a_sign_in_name_is_just_a_wrong_name(app: Flask, client, alpha):
    response = submit(client, "/login", {"username": "ki\x00m", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)


# ---------------------------------------------------------------- where to go next


@pytest.mark.parametrize(
    "target", ["/\r\nSet-Cookie: a=b", "/p/alpha/\nx", "/p/\x0balpha/", "/p/alpha/\r"]
)
def test_a_next_page_with_line_breaks_goes_to_the_start(app: Flask, client, alpha, target) -> None:
    response = submit(client, "/language", {"lang": "de", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: a=b" not in str(response.headers)
    client.get("/language")  # the session keeps working
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": "kim",
            "password": factories.PASSWORD,
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# ---------------------------------------------------------------- his email address


@pytest.fixture
def minutes_id(app: Flask, alpha: int) -> int:
    with app.app_context():
        process = db.session.get(Process, alpha)
        author = db.session.scalar(sa.select(Account).where(Account.username == "kim"))
        record = factories.record(
            process,
            "minutes",
            author,
            {"kind": "with_him", "planned_date": "2026-01-02", "outcome": "held"},
        )
        return record.id


@pytest.mark.parametrize(
    "address",
    [
        "him@example.org\r\nBcc: all@example.org",
        "him@example.org\nBcc: all@example.org",
        "him@example.org, all@example.org",
        "him@example.org,all@example.org",
        "him@example.org; all@example.org",
        "Him <him@example.org>",
        "him@example.org\rx",
    ],
)
def test_his_email_address_is_one_address(app: Flask, client, minutes_id, address: str) -> None:
    token = kim(client)
    path = f"/p/alpha/checkins/him/{minutes_id}"
    response = client.post(path, data={"csrf_token": token, "email": address, "days": "7"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter one email address, like name@example.org." in body
    assert "him@example.org" in body  # what was typed stays in the field
    with app.app_context():
        assert (
            db.session.scalar(sa.select(sa.func.count()).select_from(private_links.PrivateLink))
            == 0
        )


def test_his_email_address_may_have_spaces_around_it(app: Flask, client, minutes_id) -> None:
    token = kim(client)
    path = f"/p/alpha/checkins/him/{minutes_id}"
    response = client.post(
        path, data={"csrf_token": token, "email": "  him@example.org ", "days": "7"}
    )
    assert response.status_code == 200
    assert "Enter one email address" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "line", ["partner; a@example.org,b@example.org", "partner; a@example.org;b@example.org"]
)
def test_a_check_in_person_has_one_address(line: str, app: Flask) -> None:
    with app.test_request_context(), pytest.raises(private_links.LinkError):
        private_links.parse_people(line)


def test_mail_is_never_sent_to_more_than_one_address(app: Flask) -> None:
    with app.app_context():
        app.config["MAIL_SERVER"] = "127.0.0.1"
        for to in ("a@example.org\r\nBcc: b@example.org", "a@example.org, b@example.org"):
            with pytest.raises(MailError):
                send(to, "subject", "body")
