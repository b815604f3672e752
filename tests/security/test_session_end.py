"""The warning before the idle timeout and "Stay signed in" (POST with CSRF; R6)."""

import re
from datetime import timedelta

import sqlalchemy as sa

from intake.extensions import db
from intake.models import AccountSession, Role, utcnow
from tests import factories
from tests.conftest import csrf_token, submit

NEW_MINUTES = "/p/alpha/submissions/new/minutes"


def _signed_in(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})


def _idle_for(app, minutes: int) -> None:
    """As if nothing had been sent from this browser for so long."""
    with app.app_context():
        db.session.execute(
            sa.update(AccountSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def _last_seen(app):
    with app.app_context():
        return db.session.scalar(sa.select(AccountSession.last_seen_at))


def test_a_signed_in_page_says_when_the_session_ends(app, client):
    _signed_in(app, client)
    _idle_for(app, 10)
    page = client.get("/account/sessions").get_data(as_text=True)
    left = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert 29 * 60 <= left <= 30 * 60  # opening the page is activity: 30 idle minutes again
    assert 'data-warn-seconds="300"' in page
    assert "If nothing is sent from this page for 30 minutes, you will be signed out." in page
    # No time of day is written into a page: it may show an anonymous answer (days only).
    footer = page[page.index("<footer") :]
    assert not re.search(r"\d{1,2}:\d{2}", footer)
    # Without scripts the button posts and comes back to this page.
    assert 'name="next" value="/account/sessions"' in page
    assert "/static/session-timeout.js" in page
    signed_out = app.test_client().get("/login").get_data(as_text=True)
    assert "session-timeout" not in signed_out


def test_stay_signed_in_starts_the_idle_time_again_and_returns_to_the_page(app, client):
    _signed_in(app, client)
    _idle_for(app, 25)
    before = _last_seen(app)
    token = csrf_token(client, "/account/sessions")
    back = client.post(
        "/account/stay-signed-in", data={"csrf_token": token, "next": "/account/sessions"}
    )
    assert back.status_code == 303 and back.headers["Location"] == "/account/sessions"
    assert _last_seen(app) - before > timedelta(minutes=24)
    elsewhere = client.post(
        "/account/stay-signed-in", data={"csrf_token": token, "next": "//evil.example/"}
    )
    assert elsewhere.headers["Location"] == "/"


def test_with_scripts_the_answer_is_the_new_end(app, client):
    _signed_in(app, client)
    _idle_for(app, 27)
    token = csrf_token(client, "/account/sessions")
    answer = client.post(
        "/account/stay-signed-in",
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    data = answer.get_json()
    assert answer.status_code == 200 and data["signed_in"] is True
    assert 29 * 60 <= data["seconds_left"] <= 30 * 60
    assert data["warn_seconds"] == 300 and data["final"] is False


def test_stay_signed_in_needs_the_csrf_token_and_a_live_session(app, client):
    _signed_in(app, client)
    forged = client.post("/account/stay-signed-in", headers={"Accept": "application/json"})
    assert forged.status_code == 400
    token = csrf_token(client, "/account/sessions")
    _idle_for(app, 31)
    late = client.post(
        "/account/stay-signed-in",
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert late.status_code == 302 and "/login" in late.headers["Location"]
    assert _last_seen(app) < utcnow() - timedelta(minutes=30)


def test_the_session_s_last_hour_cannot_be_extended_and_says_so(app, client):
    _signed_in(app, client)
    with app.app_context():
        hours = app.config["SESSION_ABSOLUTE_HOURS"]
        db.session.execute(
            sa.update(AccountSession).values(
                created_at=utcnow() - timedelta(hours=hours) + timedelta(minutes=10)
            )
        )
        db.session.commit()
    token = csrf_token(client, "/account/sessions")
    data = client.post(
        "/account/stay-signed-in", headers={"Accept": "application/json", "X-CSRFToken": token}
    ).get_json()
    assert data["final"] is True and data["seconds_left"] <= 10 * 60
    page = client.get("/account/sessions").get_data(as_text=True)
    assert 'data-final="yes"' in page and "cannot be extended" in page


def test_on_a_form_s_page_the_button_is_the_form_s_own_continue(app, client):
    _signed_in(app, client)
    page = client.get(NEW_MINUTES).get_data(as_text=True)
    assert 'id="record-form"' in page
    assert re.search(
        r'<button type="submit" form="record-form" name="_action" value="continue"[^>]*>'
        r"Stay signed in</button>",
        page,
    )
    _idle_for(app, 25)
    token = csrf_token(client, NEW_MINUTES)
    kept = client.post(
        NEW_MINUTES,
        data={"csrf_token": token, "_action": "continue", "group_notes": "An hour of minutes."},
    )
    assert kept.status_code == 200 and "An hour of minutes." in kept.get_data(as_text=True)
    assert _last_seen(app) > utcnow() - timedelta(minutes=1)


def test_a_page_reads_its_session_row_once_and_still_sees_it_end(app, client):
    _signed_in(app, client)
    reads: list[str] = []
    with app.app_context():
        engine = db.engine

    def seen(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM account_session" in statement:
            reads.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        page = client.get("/p/alpha/").get_data(as_text=True)
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    # Asked by the sign-in check and by the footer's timeout notice, read once.
    assert "data-seconds-left" in page
    assert len(reads) == 1
    # Signing out ends the row that request held: the next page asks to sign in.
    submit(client, "/logout", {})
    assert client.get("/p/alpha/").status_code == 302
