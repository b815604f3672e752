"""Every field type through the web: what is typed is stored, and bad input is explained."""

import re

import pytest

from intake.extensions import db
from intake.models import Submission
from intake.submissions import service
from tests.conftest import submit

NEW = "/p/alpha/submissions/new/allkinds"
VALID = {
    "short": "  Twelve chars ",
    "long": "Line one\nLine two",
    "one": "b",
    "many": ["x", "y"],
    "sure": "yes",
    "day": "2026-03-01",
    "moment": "2026-03-01T18:30",
    "score": "4",
    "mail": "kim@example.org",
    "items-0-what": "Call the group",
    "items-0-when": "2026-04-01",
    "_action": "submit",
}


def _stored(app) -> dict:
    with app.app_context():
        record = db.session.query(Submission).one()
        return service.answers_of(record)


def test_valid_answers_are_stored_typed(app, client, auth, group) -> None:
    auth.login("kim")
    response = submit(client, NEW, VALID)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _stored(app) == {
        "short": "Twelve chars",
        "long": "Line one\nLine two",
        "one": "b",
        "many": ["x", "y"],
        "sure": "yes",
        "day": "2026-03-01",
        "moment": "2026-03-01T18:30",
        "score": 4,
        "mail": "kim@example.org",
        "items": [{"what": "Call the group", "when": "2026-04-01"}],
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Birch" in page and "Ex, Why" in page and "4 – " not in page  # 4 has no label
    assert "Call the group" in page


@pytest.mark.parametrize(
    ("changes", "message", "kept"),
    [
        ({"short": ""}, "This question needs an answer.", None),
        ({"short": "x" * 21}, "Use at most 20 characters.", "x" * 21),
        ({"one": "c"}, "Not a valid choice", None),
        ({"many": ["x", "zzz"]}, "not a valid choice", None),
        ({"day": "31.02.2026"}, "Not a valid date value", "31.02.2026"),
        ({"moment": "tomorrow"}, "Not a valid datetime value", "tomorrow"),
        ({"score": "9"}, "Not a valid choice", None),
        ({"mail": "kim at example"}, "Enter an email address like", "kim at example"),
        ({"sure": "no"}, "This question needs an answer.", None),  # why becomes required
        ({"items-0-what": "", "items-0-when": ""}, "Add at least 1.", None),
        (
            {"items-0-what": "", "items-0-when": "2026-04-01"},
            "This question needs an answer.",
            None,
        ),
    ],
)
def test_bad_input_is_explained_and_everything_kept(
    app, client, auth, group, changes, message, kept
) -> None:
    auth.login("kim")
    data = {**VALID, **changes}
    response = submit(client, NEW, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page
    assert message.lower() in page.lower()
    # What the person typed elsewhere is still there.
    if "items-0-what" not in changes:
        assert 'value="Call the group"' in page
    assert "Line one\nLine two" in page
    if kept:
        assert f'value="{kept}"' in page
    with app.app_context():
        assert db.session.query(Submission).count() == 0


def test_condition_not_met_drops_the_question(app, client, auth, group) -> None:
    auth.login("kim")
    response = submit(client, NEW, {**VALID, "sure": "yes", "why": "left over from before"})
    assert response.status_code == 302
    assert "why" not in _stored(app)


def test_condition_met_keeps_the_answer(app, client, auth, group) -> None:
    auth.login("kim")
    submit(client, NEW, {**VALID, "sure": "no", "why": "he denied it"})
    assert _stored(app)["why"] == "he denied it"


def test_conditional_question_is_shown_with_a_note_without_javascript(client, auth, group):
    auth.login("kim")
    page = client.get(NEW).get_data(as_text=True)
    assert 'data-show-if="sure" data-show-if-values="no"' in page
    assert "Only if the answer to “Sure?” is “No”." in page
    assert re.search(r'<script src="/static/show-if.js" defer></script>', page)


def test_add_and_remove_entries_without_javascript(app, client, auth, group) -> None:
    auth.login("kim")
    added = submit(client, NEW, {**VALID, "_action": "add:items"})
    page = added.get_data(as_text=True)
    assert 'name="items-1-what"' in page
    assert 'value="Call the group"' in page
    assert "There is a problem" not in page

    removed = submit(
        client,
        NEW,
        {**VALID, "items-1-what": "Second", "_action": "remove:items:0"},
    )
    page = removed.get_data(as_text=True)
    assert "Call the group" not in page
    assert 'value="Second"' in page
    with app.app_context():
        assert db.session.query(Submission).count() == 0  # nothing saved by these round trips


def test_too_many_entries_are_refused(app, client, auth, group) -> None:
    auth.login("kim")
    data = {**VALID}
    for i in range(4):
        data[f"items-{i}-what"] = f"step {i}"
    response = submit(client, NEW, data)
    assert response.status_code == 422
    assert "Add at most 3." in response.get_data(as_text=True)


def test_field_errors_are_linked_for_screen_readers(client, auth, group) -> None:
    auth.login("kim")
    page = submit(client, NEW, {**VALID, "short": ""}).get_data(as_text=True)
    assert '<a href="#short">' in page
    assert re.search(r'id="short"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="short"', page)
    assert 'aria-describedby="short-error"' in page
