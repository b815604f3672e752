"""Raw minutes are the contact group's, unless it shares them with the support group."""

import dataclasses
import re

from tests.conftest import submit

MINUTES = {
    "kind": "internal",
    "planned_date": "2026-01-10",
    "outcome": "held",
    "his_reflections": "Shared words.",
    "_action": "submit",
}


def test_support_group_reads_minutes_only_when_shared(app, client, auth, group):
    auth.login("kim")
    url = submit(client, "/p/alpha/submissions/new/minutes", MINUTES).headers["Location"]
    submission_id = url.rstrip("/").rsplit("/", 1)[1]
    sam = app.test_client()
    submit(sam, "/login", {"username": "sam", "password": "correct horse battery"})
    assert sam.get(url).status_code == 404

    submit(client, f"/p/alpha/submissions/{submission_id}/share", page=url)
    assert "Shared words." in sam.get(url).get_data(as_text=True)
    assert "Meeting minutes" in sam.get("/p/alpha/submissions/").get_data(as_text=True)
    assert sam.get(url + "/edit").status_code == 404  # reading, not editing

    submit(client, f"/p/alpha/submissions/{submission_id}/share", page=url)
    assert sam.get(url).status_code == 404


def test_only_the_contact_group_shares(app, client, auth, group):
    auth.login("kim")
    url = submit(client, "/p/alpha/submissions/new/minutes", MINUTES).headers["Location"]
    submission_id = url.rstrip("/").rsplit("/", 1)[1]
    submit(client, "/logout", page="/")
    auth.login("sam")
    response = submit(client, f"/p/alpha/submissions/{submission_id}/share", page="/p/alpha/")
    assert response.status_code == 404


GROUP_ONLY = "GROUP-ONLY-NOTE-4471"


def test_notes_for_the_contact_group_stay_with_it_when_shared(app, client, auth, group):
    auth.login("kim")
    answers = {**MINUTES, "group_notes": GROUP_ONLY}
    url = submit(
        client, "/p/alpha/submissions/new/minutes", {**answers, "_action": "draft"}
    ).headers["Location"]
    edit = url if url.endswith("/edit") else url + "/edit"
    record = edit.removesuffix("/edit")
    lock = re.search(r'name="lock_version" value="(\d+)"', client.get(edit).get_data(as_text=True))
    submitted = submit(client, edit, {**answers, "lock_version": lock.group(1)}, page=edit)
    assert submitted.status_code == 302
    submit(client, f"{record}/share", page=record)
    assert GROUP_ONLY in client.get(record).get_data(as_text=True)

    sam = app.test_client()
    submit(sam, "/login", {"username": "sam", "password": "correct horse battery"})
    page = sam.get(record).get_data(as_text=True)
    assert "Shared words." in page and GROUP_ONLY not in page
    assert "Notes for the contact group only" not in page  # not even the question
    revision = sam.get(f"{record}/history/2")
    assert revision.status_code == 200 and "Shared words." in revision.get_data(as_text=True)
    assert GROUP_ONLY not in revision.get_data(as_text=True)
    assert sam.get(f"{record}/history/1").status_code == 404  # the draft before it was shared
    history = sam.get(f"{record}/history").get_data(as_text=True)
    assert "Version 2" in history and "Version 1" not in history


def test_a_question_withheld_later_is_withheld_from_older_records(app):
    """Minutes made with a version that shared the notes still keep them back now."""
    from intake.formdef.travel import shared_view
    from intake.submissions import service

    with app.app_context():
        current = service.definition("minutes")
    older = dataclasses.replace(
        current,
        sections=tuple(
            dataclasses.replace(
                s, fields=tuple(dataclasses.replace(f, share=True) for f in s.fields)
            )
            for s in current.sections
        ),
    )
    answers = {"his_reflections": "Shared words.", "group_notes": GROUP_ONLY}
    assert shared_view(older, answers, None)[1] == answers
    form, shared = shared_view(older, answers, current)
    assert shared == {"his_reflections": "Shared words."}
    assert "group_notes" not in {f.id for f in form.fields()}
    assert "his_reflections" in {f.id for f in form.fields()}
