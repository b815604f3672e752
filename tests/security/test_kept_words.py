"""A post refused for a reason outside the person's control keeps what was typed (R6)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from intake.extensions import db
from intake.lifecycle.erase import erase_process
from intake.models import AccountSession, KeptWords, Process, Role, Submission, utcnow
from intake.security.kept_words import typed_words
from tests import factories
from tests.conftest import SECRET, csrf_token, submit

MINUTES = "/p/alpha/submissions/new/minutes"
CONTACT = "/p/alpha/submissions/new/contact"
WORDS = "He said the programme was full; we asked for the waiting list in writing."
BACK = (
    "You were signed out while writing. What you typed is back in the form; "
    "it is not saved yet — check it and press Save."
)


def _idle(app) -> None:
    """The session's idle time passes without a request, as while writing a long text."""
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    with app.app_context():
        db.session.execute(sa.update(AccountSession).values(last_seen_at=utcnow() - idle))
        db.session.commit()


def _sign_in_again(client, username: str, page: str):
    """Sign in on the page the refused post led to, as a browser does: with its ``next``."""
    login = f"/login?next={page}"
    data = {"username": username, "password": factories.PASSWORD, "next": page}
    return submit(client, "/login", data, page=login)


def _kept(app) -> list[KeptWords]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(KeptWords)))
        db.session.expunge_all()
        return rows


def _write_minutes_until_signed_out(app, client) -> None:
    token = csrf_token(client, MINUTES)
    _idle(app)
    refused = client.post(
        MINUTES,
        data={
            "csrf_token": token,
            "kind": "with_him",
            "planned_date": "2026-03-02",
            "group_notes": WORDS,
            "_action": "submit",
        },
    )
    assert refused.status_code == 303
    assert refused.headers["Location"] == "/login?next=/p/alpha/submissions/new/minutes"


def test_minutes_typed_until_the_session_idled_out_come_back_after_sign_in(
    app, client, auth, kim
) -> None:
    _write_minutes_until_signed_out(app, client)
    login = client.get("/login?next=/p/alpha/submissions/new/minutes").get_data(as_text=True)
    assert "Sign in again and what you typed comes back into the form." in login
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0

    signed_in = _sign_in_again(client, "kim", MINUTES)
    assert signed_in.headers["Location"] == MINUTES
    page = client.get(MINUTES).get_data(as_text=True)
    assert WORDS in page
    assert 'value="2026-03-02"' in page
    assert BACK in page
    with app.app_context():  # shown, not saved
        assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    # Used once: the next visit shows an empty form, and nothing is left stored.
    assert WORDS not in client.get(MINUTES).get_data(as_text=True)
    assert _kept(app) == []


def test_when_the_browser_dropped_the_session_cookie_the_words_still_come_back(
    app, client, auth, kim
) -> None:
    """A browser drops the session cookie when the session idles out: the post then
    arrives with no session at all, and its CSRF token cannot match."""
    token = csrf_token(client, CONTACT)
    _idle(app)
    client.delete_cookie("intake_session")
    refused = client.post(CONTACT, data={"csrf_token": token, "summary": WORDS})
    assert refused.status_code == 303
    assert refused.headers["Location"] == "/login?next=/p/alpha/submissions/new/contact"
    assert _sign_in_again(client, "kim", CONTACT).headers["Location"] == CONTACT
    page = client.get(CONTACT).get_data(as_text=True)
    assert WORDS in page and BACK in page


def test_a_session_ended_on_purpose_leaves_no_words(app, client, auth, kim) -> None:
    """A browser shut out from the devices page (or by a password change) is not signed
    out "while writing": what it posts is not kept for the account."""
    token = csrf_token(client, CONTACT)
    with app.app_context():
        db.session.execute(
            sa.update(AccountSession).values(ended_at=utcnow(), ended_reason="ended-by-owner")
        )
        db.session.commit()
    client.delete_cookie("intake_session")
    refused = client.post(CONTACT, data={"csrf_token": token, "summary": WORDS})
    assert refused.status_code == 400
    assert _kept(app) == []


def test_another_account_signing_in_does_not_get_the_words(app, client, auth, kim) -> None:
    with app.app_context():
        alpha = db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))
        factories.member(alpha, "lu", Role.CONTACT)
    _write_minutes_until_signed_out(app, client)

    auth.login("lu")  # the same computer, another person
    assert WORDS not in client.get(MINUTES).get_data(as_text=True)
    assert len(_kept(app)) == 1
    auth.logout()
    auth.login("kim")
    assert WORDS in client.get(MINUTES).get_data(as_text=True)


def test_kept_words_past_their_time_are_not_returned_and_are_purged(
    app, client, auth, kim, runner
) -> None:
    _write_minutes_until_signed_out(app, client)
    with app.app_context():
        db.session.execute(sa.update(KeptWords).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    auth.login("kim")
    assert WORDS not in client.get(MINUTES).get_data(as_text=True)

    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 form(s) kept after a refused post: past their time." in result.output
    assert _kept(app) == []


def test_kept_words_are_sealed(app, client, auth, kim) -> None:
    _write_minutes_until_signed_out(app, client)
    with app.app_context():
        raw = db.session.execute(sa.text("SELECT words, path FROM kept_words")).one()
    assert WORDS.encode() not in bytes(raw.words)
    assert b"programme" not in bytes(raw.words)
    assert raw.path == MINUTES


def _expired_token(client) -> str:
    """A CSRF token of this browser's session, signed thirteen hours ago."""

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 13 * 3600

    csrf_token(client, CONTACT)  # the session gets its CSRF secret
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token", signer=Earlier).dumps(raw)


def test_a_form_that_had_expired_comes_back_with_the_words(app, client, auth, kim) -> None:
    refused = client.post(
        CONTACT,
        data={"csrf_token": _expired_token(client), "summary": WORDS, "date": "2026-02-03"},
    )
    assert refused.status_code == 303 and refused.headers["Location"] == CONTACT
    page = client.get(CONTACT).get_data(as_text=True)
    assert WORDS in page and 'value="2026-02-03"' in page
    assert "The form had expired, so nothing was saved." in page
    assert "check it and send it again" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_an_edit_that_comes_back_keeps_the_version_it_was_typed_on(app, client, auth, kim) -> None:
    """Someone else saving meanwhile is told when the kept words are saved, not overwritten."""
    submit(client, CONTACT, {"summary": "first words", "_action": "draft"})
    with app.app_context():
        record = db.session.scalar(sa.select(Submission))
        edit, version = f"/p/alpha/submissions/{record.id}/edit", record.lock_version
        db.session.expunge(record)
    refused = client.post(
        edit,
        data={
            "csrf_token": _expired_token(client),
            "summary": WORDS,
            "lock_version": str(version),
            "_action": "draft",
        },
    )
    assert refused.status_code == 303, refused.get_data(as_text=True)
    assert len(_kept(app)) == 1
    with app.app_context():
        factories.member(db.session.get_one(Process, record.process_id), "lu", Role.CONTACT)
    other = app.test_client()  # another member of the group edits meanwhile
    submit(other, "/login", {"username": "lu", "password": factories.PASSWORD})
    page = other.get(edit).get_data(as_text=True)
    lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    submit(other, edit, {"summary": "their words", "lock_version": lock, "_action": "draft"})

    page = client.get(edit).get_data(as_text=True)
    assert WORDS in page
    assert f'name="lock_version" value="{version}"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    saved = client.post(
        edit,
        data={
            "csrf_token": token,
            "summary": WORDS,
            "lock_version": str(version),
            "_action": "draft",
        },
    )
    assert saved.status_code == 409


def test_secrets_are_never_kept() -> None:
    posted = MultiDict(
        [
            ("csrf_token", "t"),
            ("form_key", "k"),
            ("password", "p"),
            ("p-password", "p"),
            ("off_code", "123456"),
            ("c-code", "123456"),
            ("passphrase", "s"),
            ("never_pass_on", "kept"),
            ("summary", WORDS),
        ]
    )
    assert typed_words(posted) == [("never_pass_on", "kept"), ("summary", WORDS)]
    assert typed_words(MultiDict([("csrf_token", "t"), ("lock_version", "3")])) == []


def test_sign_in_pages_keep_nothing(app, client, alpha) -> None:
    client.post("/login", data={"username": "kim", "password": "typed password"})
    assert _kept(app) == []


def test_erasing_the_process_takes_its_kept_words(app, client, auth, kim) -> None:
    _write_minutes_until_signed_out(app, client)
    with app.app_context():
        erase_process(db.session.scalar(sa.select(Process).where(Process.short_name == "alpha")))
    assert _kept(app) == []


def test_too_long_a_post_says_how_long_a_form_may_be(app, client, auth, kim) -> None:
    token = csrf_token(client, CONTACT)
    too_long = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(CONTACT, data={"csrf_token": token, "summary": too_long})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "nothing of it was saved" in page
    assert "about 690,000 characters" in page and "95,000 words" in page
    assert "If you saved a draft of it earlier, that draft is kept as it was." in page


def test_too_long_a_post_on_a_form_without_drafts_promises_no_draft(app, client, auth, kim) -> None:
    token = csrf_token(client, "/p/alpha/meetings/")
    too_long = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/p/alpha/meetings/", data={"csrf_token": token, "place": too_long})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "about 690,000 characters" in page and "draft" not in page
