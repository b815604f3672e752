"""The handover is written section by section from a task list, over several sittings."""

import re

from intake.extensions import db
from intake.models import Process, Submission, SubmissionStatus
from intake.record.demands import demands_of
from tests.conftest import submit

BASE = "/p/alpha/submissions"


def _lock(page: str) -> str:
    return re.search(r'name="lock_version" value="(\d+)"', page).group(1)


def _status_of(page: str, section: str) -> str:
    found = re.search(rf'id="task-{section}-status">([^<]*)<', page)
    return found.group(1).strip()


def _save_section(client, url: str, data: dict, action: str):
    page = client.get(url).get_data(as_text=True)
    extra = {"lock_version": _lock(page)} if 'name="lock_version"' in page else {}
    key = re.search(r'name="_form_key" value="([^"]+)"', page)
    if key:
        extra["_form_key"] = key.group(1)
    return submit(client, url, {**data, **extra, "_action": action})


def test_handover_in_sections_over_two_sittings(app, client, auth, group):
    auth.login("sam")
    tasks = client.get(f"{BASE}/new/handover").get_data(as_text=True)
    assert _status_of(tasks, "demands") == "Not started"
    assert "Send “" not in tasks
    assert 'href="/p/alpha/submissions/new/handover/sections/demands"' in tasks

    # First sitting: the demands, completed; the boundaries begun and left for later.
    first = _save_section(
        client,
        f"{BASE}/new/handover/sections/demands",
        {"demands-0-text": "Seek critical help.", "demands-1-text": "Tell new groups."},
        "continue_section",
    )
    assert first.status_code == 302
    with app.app_context():
        record_id = db.session.query(Submission).one().id
    assert first.headers["Location"] == f"{BASE}/{record_id}/sections/aims"
    later = _save_section(
        client,
        f"{BASE}/{record_id}/sections/boundaries",
        {"never_pass_on": "Where she lives now."},
        "later",
    )
    assert later.headers["Location"] == f"{BASE}/{record_id}/tasks"
    auth.logout()

    # Second sitting: the list shows where things stand and sending is refused.
    auth.login("sam")
    assert client.get(f"{BASE}/new/handover").headers["Location"] == f"{BASE}/{record_id}/tasks"
    tasks = client.get(f"{BASE}/{record_id}/tasks").get_data(as_text=True)
    assert _status_of(tasks, "demands") == "Completed"
    assert _status_of(tasks, "boundaries") == "In progress"
    assert _status_of(tasks, "history") == "Not started"
    assert "The survivor&#39;s boundaries" in re.search(r'id="still-missing">[^<]*', tasks).group(0)
    refused = submit(client, f"{BASE}/{record_id}/send", page=f"{BASE}/{record_id}/tasks")
    assert refused.status_code == 422
    assert "These sections still need answers: The survivor&#39;s boundaries." in (
        refused.get_data(as_text=True)
    )
    # The first sitting's answers are still there, section by section.
    boundaries = client.get(f"{BASE}/{record_id}/sections/boundaries").get_data(as_text=True)
    assert "Where she lives now." in boundaries
    assert "Seek critical help." not in boundaries  # each page shows its own section only

    # Completing needs the required answer; what was typed is kept.
    missing = _save_section(
        client,
        f"{BASE}/{record_id}/sections/boundaries",
        {"never_pass_on": "Where she lives now, and her work."},
        "continue_section",
    )
    assert missing.status_code == 422
    assert "Where she lives now, and her work." in missing.get_data(as_text=True)
    done = _save_section(
        client,
        f"{BASE}/{record_id}/sections/boundaries",
        {"never_pass_on": "Where she lives now.", "wants_updates": "none"},
        "continue_section",
    )
    assert done.headers["Location"] == f"{BASE}/{record_id}/sections/context"
    tasks = client.get(f"{BASE}/{record_id}/tasks").get_data(as_text=True)
    assert _status_of(tasks, "boundaries") == "Completed"
    with app.app_context():
        assert not demands_of(db.session.get(Process, group))  # nothing is handed over yet

    sent = submit(
        client,
        f"{BASE}/{record_id}/send",
        {"lock_version": _lock(tasks)},
        page=f"{BASE}/{record_id}/tasks",
    )
    assert sent.headers["Location"] == f"{BASE}/{record_id}"
    again = submit(
        client, f"{BASE}/{record_id}/send", {"lock_version": _lock(tasks)}, page=f"{BASE}/"
    )
    assert again.headers["Location"] == f"{BASE}/{record_id}"
    with app.app_context():
        record = db.session.get(Submission, record_id)
        assert record.status is SubmissionStatus.SUBMITTED
        assert len([r for r in record.revisions if r.status is SubmissionStatus.SUBMITTED]) == 1
        demands = demands_of(db.session.get(Process, group))
    assert [d.text for d in demands] == ["Seek critical help.", "Tell new groups."]


def test_section_drafts_stay_the_support_groups(app, client, auth, group):
    auth.login("sam")
    _save_section(
        client, f"{BASE}/new/handover/sections/aims", {"aims": "Keep the demands."}, "later"
    )
    with app.app_context():
        record_id = db.session.query(Submission).one().id
    auth.logout()
    auth.login("kim")
    for tail in ("/tasks", "/sections/aims"):
        assert client.get(f"{BASE}/{record_id}{tail}").status_code == 404, tail
    assert client.get(f"{BASE}/new/handover/sections/aims").status_code == 404


def test_a_section_saved_meanwhile_is_a_conflict(app, client, auth, group):
    auth.login("sam")
    _save_section(client, f"{BASE}/new/handover/sections/aims", {"aims": "First."}, "later")
    with app.app_context():
        record_id = db.session.query(Submission).one().id
    url = f"{BASE}/{record_id}/sections/aims"
    stale = _lock(client.get(url).get_data(as_text=True))
    _save_section(client, url, {"aims": "Second."}, "later")
    clash = submit(client, url, {"aims": "Mine.", "lock_version": stale, "_action": "later"})
    assert clash.status_code == 409
    assert "Mine." in clash.get_data(as_text=True)


def test_task_list_is_opt_in_and_not_for_links(tmp_path):
    import pytest

    from intake.formdef.loader import DefinitionError, parse_definition

    section = {"id": "s", "title": "S", "fields": [{"id": "q", "type": "text", "label": "Q"}]}
    form = {"id": "f", "version": 1, "title": "F", "sections": [section]}
    assert parse_definition(form, "t").task_list is False
    assert parse_definition({**form, "task_list": True}, "t").task_list is True
    with pytest.raises(DefinitionError, match="task_list"):
        parse_definition({**form, "task_list": "yes"}, "t")
    with pytest.raises(DefinitionError, match="task_list"):
        parse_definition({**form, "task_list": True, "fill": ["link"]}, "t")
