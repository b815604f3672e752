"""The conflict page shows the other person's words, drafts included (R6)."""

import re

from intake.extensions import db
from intake.models import Submission
from tests import factories
from tests.conftest import submit

NEW = "/p/alpha/submissions/new/contact"


def _lock(page: str) -> str:
    return re.search(r'name="lock_version" value="(\d+)"', page).group(1)


def test_a_clash_on_a_draft_shows_their_words_as_typed(app, client, auth, group):
    auth.login("kim")
    submit(client, NEW, {"date": "3rd of Feb", "summary": "first", "_action": "draft"})
    with app.app_context():
        edit = f"/p/alpha/submissions/{db.session.query(Submission).one().id}/edit"
    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    lu_lock = _lock(lu.get(edit).get_data(as_text=True))
    kim_lock = _lock(client.get(edit).get_data(as_text=True))
    kim = {"date": "early March", "summary": "Kim wrote this meanwhile.", "_action": "draft"}
    assert submit(client, edit, {**kim, "lock_version": kim_lock}).status_code == 302

    clash = submit(
        lu, edit, {"summary": "Lu's own words.", "lock_version": lu_lock, "_action": "draft"}
    )
    assert clash.status_code == 409
    page = clash.get_data(as_text=True)
    theirs = page.split("Their version, saved meanwhile")[1].split("Your version")[0]
    assert "Kim wrote this meanwhile." in theirs
    assert "early March" in theirs  # kept as typed, though it is no date yet
    assert "Lu&#39;s own words." in page  # hers, kept in the form
