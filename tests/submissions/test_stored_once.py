"""Each answer is stored once: a create form posted twice makes one record (R6)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from intake.extensions import db
from intake.models import ContactEntry, FormKey, Submission
from tests.conftest import csrf_token

NEW = "/p/alpha/submissions/new/contact"
ENTRY = {
    "date": "2026-02-03",
    "channel": "email",
    "direction": "we_wrote",
    "summary": "Asked him to confirm the meeting.",
    "awaiting_answer": "yes",
    "_action": "submit",
}


def _form_key(page: str) -> str:
    match = re.search(r'name="form_key" value="([^"]+)"', page)
    assert match, "the create form carries no one-time key"
    return match.group(1)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_double_click_on_submit_makes_one_contact_entry(app, client, auth, group):
    auth.login("kim")
    page = client.get(NEW).get_data(as_text=True)
    data = {**ENTRY, "csrf_token": csrf_token(client, NEW), "form_key": _form_key(page)}
    start = threading.Barrier(2)

    def post(_n: int):
        start.wait()
        response = client.post(NEW, data=data)
        return response.status_code, response.headers.get("Location")

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(post, range(2)))
    assert _count(app, Submission) == 1
    assert _count(app, ContactEntry) == 1
    with app.app_context():
        submission_id = db.session.scalar(sa.select(Submission.id))
    # Both clicks land on the one record.
    assert results == [(302, f"/p/alpha/submissions/{submission_id}")] * 2


def test_a_refused_post_leaves_the_key_for_the_corrected_one(app, client, auth, group):
    auth.login("kim")
    key = _form_key(client.get(NEW).get_data(as_text=True))
    token = csrf_token(client, NEW)
    refused = client.post(NEW, data={**ENTRY, "date": "", "csrf_token": token, "form_key": key})
    assert refused.status_code == 422
    assert _form_key(refused.get_data(as_text=True)) == key
    stored = client.post(NEW, data={**ENTRY, "csrf_token": token, "form_key": key})
    assert stored.status_code == 302
    again = client.post(NEW, data={**ENTRY, "csrf_token": token, "form_key": key})
    assert again.headers["Location"] == stored.headers["Location"]
    assert _count(app, Submission) == 1
    assert _count(app, FormKey) == 1


def test_a_new_form_gets_a_new_key(app, client, auth, group):
    auth.login("kim")
    first = _form_key(client.get(NEW).get_data(as_text=True))
    assert first != _form_key(client.get(NEW).get_data(as_text=True))
