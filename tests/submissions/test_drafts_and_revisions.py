"""Nothing is lost (R6): drafts on the server, revisions for every save, conflicts shown."""

import re
from pathlib import Path

import yaml

from intake.extensions import db
from intake.models import Submission, SubmissionRevision
from intake.submissions import service
from tests import factories
from tests.conftest import submit

NEW = "/p/alpha/submissions/new/contact"
ENTRY = {
    "date": "2026-02-03",
    "channel": "email",
    "direction": "we_wrote",
    "summary": "Asked him to confirm the meeting.",
    "awaiting_answer": "yes",
}


def _record_id(app) -> int:
    with app.app_context():
        return db.session.query(Submission).one().id


def test_draft_saves_even_invalid_input_and_another_member_resumes(app, client, auth, group):
    auth.login("kim")
    response = submit(
        client, NEW, {"date": "3rd of Feb", "summary": "half a thought", "_action": "draft"}
    )
    assert response.status_code == 302
    submission_id = _record_id(app)
    assert response.headers["Location"] == f"/p/alpha/submissions/{submission_id}/edit"

    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    page = lu.get(f"/p/alpha/submissions/{submission_id}/edit").get_data(as_text=True)
    assert 'value="3rd of Feb"' in page  # kept exactly as typed
    assert "half a thought" in page
    assert "There is a problem" not in page  # a draft is not judged until submitted
    assert "Draft" in page


def test_submitting_a_draft_checks_it(app, client, auth, group):
    auth.login("kim")
    submit(client, NEW, {"date": "3rd of Feb", "_action": "draft"})
    submission_id = _record_id(app)
    edit = f"/p/alpha/submissions/{submission_id}/edit"
    lock = re.search(r'name="lock_version" value="(\d+)"', client.get(edit).get_data(as_text=True))
    response = submit(
        client, edit, {"date": "3rd of Feb", "lock_version": lock.group(1), "_action": "submit"}
    )
    assert response.status_code == 422
    assert "Not a valid date value" in response.get_data(as_text=True)
    response = submit(client, edit, {**ENTRY, "lock_version": lock.group(1), "_action": "submit"})
    assert response.status_code == 302
    with app.app_context():
        record = db.session.get(Submission, submission_id)
        assert not record.is_draft
        assert service.answers_of(record)["summary"] == ENTRY["summary"]


def _edit(client, submission_id: int, **changes):
    edit = f"/p/alpha/submissions/{submission_id}/edit"
    lock = re.search(r'name="lock_version" value="(\d+)"', client.get(edit).get_data(as_text=True))
    return submit(client, edit, {**ENTRY, **changes, "lock_version": lock.group(1)})


def test_every_edit_is_a_revision_and_history_shows_all(app, client, auth, group):
    auth.login("kim")
    submit(client, NEW, {**ENTRY, "_action": "submit"})
    submission_id = _record_id(app)
    _edit(client, submission_id, summary="Second wording.")
    _edit(client, submission_id, summary="Third wording.")
    with app.app_context():
        revisions = db.session.query(SubmissionRevision).order_by(SubmissionRevision.number).all()
        assert [r.number for r in revisions] == [1, 2, 3]
        assert [service.answers_of(r)["summary"] for r in revisions] == [
            ENTRY["summary"],
            "Second wording.",
            "Third wording.",
        ]
    history = client.get(f"/p/alpha/submissions/{submission_id}/history").get_data(as_text=True)
    assert history.count("Version ") == 3
    first = client.get(f"/p/alpha/submissions/{submission_id}/history/1").get_data(as_text=True)
    assert ENTRY["summary"] in first
    assert client.get(f"/p/alpha/submissions/{submission_id}/history/9").status_code == 404


def test_two_people_editing_at_once_get_a_conflict_not_an_overwrite(app, client, auth, group):
    auth.login("kim")
    submit(client, NEW, {**ENTRY, "_action": "submit"})
    submission_id = _record_id(app)
    edit = f"/p/alpha/submissions/{submission_id}/edit"

    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    kim_page = client.get(edit).get_data(as_text=True)
    lu_page = lu.get(edit).get_data(as_text=True)
    kim_lock = re.search(r'name="lock_version" value="(\d+)"', kim_page).group(1)
    lu_lock = re.search(r'name="lock_version" value="(\d+)"', lu_page).group(1)

    assert (
        submit(lu, edit, {**ENTRY, "summary": "Lu's words.", "lock_version": lu_lock}).status_code
        == 302
    )
    clash = submit(client, edit, {**ENTRY, "summary": "Kim's words.", "lock_version": kim_lock})
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Their version, saved meanwhile" in page
    assert "Lu&#39;s words." in page  # theirs, shown
    assert "Kim&#39;s words." in page  # mine, kept in the form
    with app.app_context():
        record = db.session.get(Submission, submission_id)
        assert service.answers_of(record)["summary"] == "Lu's words."
    # Saving again from the conflict page is a deliberate choice, and both stay in history.
    new_lock = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    assert (
        submit(
            client, edit, {**ENTRY, "summary": "Kim's words.", "lock_version": new_lock}
        ).status_code
        == 302
    )
    with app.app_context():
        revisions = db.session.query(SubmissionRevision).order_by(SubmissionRevision.number)
        summaries = [service.answers_of(r)["summary"] for r in revisions]
        assert summaries == [ENTRY["summary"], "Lu's words.", "Kim's words."]


def test_roles_that_may_not_read_a_form_get_404(app, client, auth, group):
    auth.login("kim")
    submit(client, NEW, {**ENTRY, "_action": "submit"})
    submission_id = _record_id(app)
    submit(client, "/logout", page="/")
    for who in ("sam", "alex"):  # support and central group never see raw contact logs
        auth.login(who)
        assert client.get(f"/p/alpha/submissions/{submission_id}").status_code == 404
        assert client.get(f"/p/alpha/submissions/{submission_id}/history").status_code == 404
        assert client.get(f"/p/alpha/submissions/{submission_id}/edit").status_code == 404
        assert client.get(NEW).status_code == 404
        assert "Contact log entry" not in client.get("/p/alpha/submissions/").get_data(as_text=True)
        submit(client, "/logout", page="/")


def test_answers_are_encrypted_at_rest(app, client, auth, group, backend, database_url):
    marker = "PLAINTEXT-MARKER-4471"
    auth.login("kim")
    submit(client, NEW, {**ENTRY, "summary": marker, "_action": "submit"})
    submit(client, NEW, {**ENTRY, "summary": marker + " draft", "_action": "draft"})
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        if backend == "sqlite":
            path = database_url.removeprefix("sqlite:///")
            raw = b"".join(Path(p).read_bytes() for p in (path, path + "-wal") if Path(p).exists())
        else:
            query = db.text(
                "SELECT answers FROM submission UNION ALL SELECT answers FROM submission_revision"
            )
            raw = b"".join(bytes(row[0]) for row in db.session.execute(query))
        assert raw
    assert marker.encode() not in raw
    with app.app_context():
        assert any(
            marker == service.answers_of(s).get("summary") for s in db.session.query(Submission)
        )


def test_old_submissions_stay_readable_after_a_definition_changes(
    app, client, auth, group, forms_dir, database_url
):
    auth.login("kim")
    submit(client, NEW, {**ENTRY, "_action": "submit"})
    submission_id = _record_id(app)

    # The group renames a question and bumps the version; "summary" no longer exists.
    definition = yaml.safe_load((forms_dir / "contact.yaml").read_text())
    definition["version"] = 2
    fields = definition["sections"][0]["fields"]
    summary = next(f for f in fields if f["id"] == "summary")
    summary["id"] = "what_happened"
    summary["label"] = {"en": "What happened", "de": "Was geschah"}
    (forms_dir / "contact.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))

    from intake import create_app
    from tests.conftest import app_config

    bumped = create_app(app_config(database_url, FORMS_DIR=str(forms_dir)))
    browser = bumped.test_client()
    submit(browser, "/login", {"username": "kim", "password": factories.PASSWORD})
    page = browser.get(f"/p/alpha/submissions/{submission_id}").get_data(as_text=True)
    assert ENTRY["summary"] in page
    assert "Summary" in page  # the label it was written under
    new_page = browser.get(NEW).get_data(as_text=True)
    assert "What happened" in new_page
    with bumped.app_context():
        db.engine.dispose()
