"""A private link's page whose form had expired keeps what was typed, for that link only (R6)."""

from __future__ import annotations

import time

import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from intake.checkins import private_links
from intake.extensions import db
from intake.models import KeptWords, PrivateLink
from tests.checkins.test_links import _round
from tests.conftest import SECRET, csrf_token

WORDS = "He told us himself, at the assembly, and called it a misunderstanding."


class _Earlier(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 13 * 3600


def _expired_token(browser) -> str:
    """A CSRF token of this browser's session, signed thirteen hours ago."""
    csrf_token(browser, "/c")
    with browser.session_transaction() as session:
        raw = session["csrf_token"]
    return URLSafeTimedSerializer(SECRET, salt="wtf-csrf-token", signer=_Earlier).dumps(raw)


def test_a_link_page_that_had_expired_comes_back_with_the_words_for_that_link_only(
    app, client, auth, process_ready
) -> None:
    auth.login("kim")
    first, second = _round(client)[:2]
    respondent = app.test_client()
    assert respondent.get(first).status_code == 302
    refused = respondent.post(
        "/c",
        data={"csrf_token": _expired_token(respondent), "what_he_said": WORDS, "told": "yes"},
    )
    assert refused.status_code == 303 and refused.headers["Location"] == "/c"
    with app.app_context():
        kept = db.session.scalar(sa.select(KeptWords))
        link = db.session.get_one(PrivateLink, kept.link_id)
        assert kept.account_id is None and kept.process_id == link.process_id
        assert WORDS.encode() not in kept.words

    # Another link's page, even in the same browser, does not get them.
    neighbour = app.test_client()
    assert neighbour.get(second).status_code == 302
    assert WORDS not in neighbour.get("/c").get_data(as_text=True)
    # Nor does a member's page of the same address.
    assert WORDS not in client.get("/c").get_data(as_text=True)

    page = respondent.get("/c").get_data(as_text=True)
    assert WORDS in page
    assert "The form had expired, so nothing was saved." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(KeptWords.id))) == 0
        assert db.session.get_one(PrivateLink, link.id).submission_id is None  # not saved


def test_words_typed_while_a_reminder_renewed_the_link_come_back_with_the_new_link(
    app, client, auth, process_ready
) -> None:
    auth.login("kim")
    first = _round(client)[0]
    respondent = app.test_client()
    assert respondent.get(first).status_code == 302
    token = csrf_token(respondent, "/c")
    with app.app_context():  # a reminder goes out while the page is open
        link = private_links.by_token(first.rsplit("/", 1)[1])
        link_id = link.id
        newest = f"/c/{private_links.renew(link, 28).token}"
        db.session.commit()

    refused = respondent.post(
        "/c", data={"csrf_token": token, "what_he_said": WORDS, "told": "yes"}
    )
    assert refused.status_code == 409
    said = refused.get_data(as_text=True)
    assert "A newer link was sent to you" in said and "it is back in the form" in said
    with app.app_context():
        kept = db.session.scalar(sa.select(KeptWords))
        assert kept.link_id == link_id and WORDS.encode() not in kept.words
    # The old link still opens nothing.
    assert app.test_client().get(first).status_code == 404

    assert respondent.get(newest).status_code == 302
    page = respondent.get("/c").get_data(as_text=True)
    assert WORDS in page
    assert "What you typed before the new link came is back in the form." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(KeptWords.id))) == 0
