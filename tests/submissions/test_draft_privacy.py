"""Drafts belong to those who fill the form in: the support group's unfinished handover."""

import io
import json
import re
import zipfile

import pytest

from intake.extensions import db
from intake.models import Submission
from tests import factories
from tests.conftest import submit
from tests.submissions.test_handover import HANDOVER

DRAFT_WORDS = "Half-written-DRAFT-2291"


def _as(app, username):
    browser = app.test_client()
    submit(browser, "/login", {"username": username, "password": factories.PASSWORD})
    return browser


@pytest.fixture
def handover_draft(app, group):
    sam = _as(app, "sam")
    saved = submit(
        sam,
        "/p/alpha/submissions/new/handover",
        {"demands-0-text": DRAFT_WORDS, "wants_updates": "none", "_action": "draft"},
    )
    assert saved.status_code == 302
    with app.app_context():
        return db.session.query(Submission).one().id


def test_contact_group_does_not_see_the_unfinished_handover(app, handover_draft):
    kim = _as(app, "kim")
    listing = kim.get("/p/alpha/submissions/").get_data(as_text=True)
    assert f"/submissions/{handover_draft}" not in listing
    for tail in ("", "/history", "/history/1", "/pdf", "/edit"):
        assert kim.get(f"/p/alpha/submissions/{handover_draft}{tail}").status_code == 404, tail
    # The support group itself resumes it.
    sam = _as(app, "sam")
    assert DRAFT_WORDS in sam.get(f"/p/alpha/submissions/{handover_draft}/edit").get_data(
        as_text=True
    )
    assert f"/submissions/{handover_draft}" in sam.get("/p/alpha/submissions/").get_data(
        as_text=True
    )


def test_after_handover_the_drafts_before_it_stay_the_support_groups(app, handover_draft):
    sam = _as(app, "sam")
    edit = f"/p/alpha/submissions/{handover_draft}/edit"
    lock = re.search(r'name="lock_version" value="(\d+)"', sam.get(edit).get_data(as_text=True))
    done = submit(sam, edit, {**HANDOVER, "lock_version": lock.group(1)})
    assert done.status_code == 302
    kim = _as(app, "kim")
    history = kim.get(f"/p/alpha/submissions/{handover_draft}/history").get_data(as_text=True)
    assert "Version 2" in history and "Version 1" not in history
    shown = kim.get(f"/p/alpha/submissions/{handover_draft}").get_data(as_text=True)
    assert "History (1)" in shown  # not even the number of drafts before it
    assert kim.get(f"/p/alpha/submissions/{handover_draft}/history/1").status_code == 404
    assert kim.get(f"/p/alpha/submissions/{handover_draft}/history/2").status_code == 200
    assert sam.get(f"/p/alpha/submissions/{handover_draft}/history/1").status_code == 200


def test_the_contact_groups_export_leaves_out_the_support_groups_draft(app, handover_draft):
    kim = _as(app, "kim")
    response = submit(kim, "/p/alpha/export", {"passphrase": ""})
    assert response.status_code == 200
    exported = zipfile.ZipFile(io.BytesIO(response.data)).read("records.json").decode()
    assert DRAFT_WORDS not in exported
    assert all(r["form_id"] != "handover" for r in json.loads(exported)["records"])


def test_the_contact_groups_export_keeps_its_own_drafts(app, group):
    kim = _as(app, "kim")
    submit(kim, "/p/alpha/submissions/new/contact", {"summary": DRAFT_WORDS, "_action": "draft"})
    response = submit(kim, "/p/alpha/export", {"passphrase": ""})
    assert DRAFT_WORDS in zipfile.ZipFile(io.BytesIO(response.data)).read("records.json").decode()
