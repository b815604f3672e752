"""An unsent check-in is nobody's but the link holder's; an anonymous one names nobody."""

import hashlib
import io
import json
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from intake.checkins.results import results
from intake.extensions import db
from intake.models import PrivateLink, Process, Submission, SubmissionRevision
from intake.report.content import first_day
from intake.submissions import service
from tests.checkins.conftest import link_post
from tests.checkins.test_links import ANSWERS, _answer, _round
from tests.conftest import submit

DRAFT_WORDS = "Unsent-DRAFT-7731 words"
MOMENT = re.compile(r"\d{1,2}:\d{2}")


def _export(client) -> dict:
    response = submit(client, "/p/alpha/export", {"passphrase": ""})
    assert response.status_code == 200
    return json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("records.json"))


@pytest.fixture
def unsent(app, client, auth, process_ready):
    """A round of two; the first person saved a draft and has not sent it."""
    auth.login("kim")
    links = _round(client)
    respondent = app.test_client()
    saved = _answer(respondent, links[0], {"what_he_said": DRAFT_WORDS, "anonymous": "no"}, "draft")
    assert saved.status_code == 200
    with app.app_context():
        record = db.session.query(Submission).filter_by(form_id="checkin").one()
        # A draft begun long ago must not move the report's first day either.
        record.created_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.commit()
        return {"record": record.id, "links": links, "respondent": respondent}


def test_records_list_does_not_show_an_unsent_check_in(client, unsent):
    page = client.get("/p/alpha/submissions/").get_data(as_text=True)
    assert f"/submissions/{unsent['record']}" not in page
    assert 'class="tag"' not in page  # no "draft" marker either


@pytest.mark.parametrize("tail", ["", "/edit", "/history", "/history/1", "/pdf"])
def test_record_pages_of_an_unsent_check_in_answer_404(client, unsent, tail):
    assert client.get(f"/p/alpha/submissions/{unsent['record']}{tail}").status_code == 404


def test_round_page_and_count_show_no_draft(client, unsent):
    round_page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    assert "draft saved" not in round_page
    assert DRAFT_WORDS not in round_page
    assert "0 answers so far." in round_page
    assert "0 of 2 answered" in client.get("/p/alpha/checkins/").get_data(as_text=True)


def test_export_knows_nothing_of_an_unsent_check_in(client, unsent):
    exported = _export(client)
    assert all(r["form_id"] != "checkin" for r in exported["records"])
    assert all(i["record"] is None for i in exported["invitations"])
    assert DRAFT_WORDS not in json.dumps(exported)


def test_search_and_report_know_nothing_of_an_unsent_check_in(app, client, unsent):
    found = client.get("/p/alpha/log/search?q=Unsent-DRAFT").get_data(as_text=True)
    assert DRAFT_WORDS not in found and f"/submissions/{unsent['record']}" not in found
    with app.app_context():
        process = db.session.get(Process, unsent_process_id(app))
        assert first_day(process).year > 2020  # the draft's day is not the process's first
        answered, questions = results(process, service.definition("checkin"), "en")
        assert answered == 0
        assert all(not q.texts for q in questions)


def unsent_process_id(app) -> int:
    with app.app_context():
        return db.session.query(Process).filter_by(short_name="alpha").one().id


def test_saving_a_draft_again_replaces_it_and_sending_leaves_one_version(app, unsent):
    respondent = unsent["respondent"]
    again = link_post(respondent, {"what_he_said": "Second try", "_action": "draft"})
    assert again.status_code == 200
    with app.app_context():
        revisions = (
            db.session.query(SubmissionRevision).filter_by(submission_id=unsent["record"]).all()
        )
        assert len(revisions) == 1
        assert service.answers_of(revisions[0])[service.DRAFT_KEY] == [
            ["what_he_said", "Second try"]
        ]
    sent = link_post(respondent, {**ANSWERS, "_action": "submit"})
    assert "Thank you" in sent.get_data(as_text=True)
    with app.app_context():
        revisions = (
            db.session.query(SubmissionRevision).filter_by(submission_id=unsent["record"]).all()
        )
        assert [(r.number, r.status.value) for r in revisions] == [(1, "submitted")]
        record = db.session.get(Submission, unsent["record"])
        assert record.created_at == record.submitted_at  # it exists from when it was sent


def _answer_anonymously(app, link, words):
    response = _answer(
        app.test_client(),
        link,
        {**ANSWERS, "what_he_said": words, "quote_consent": "yes", "anonymous": "yes"},
    )
    assert "Thank you" in response.get_data(as_text=True)


def test_round_page_shows_who_answered_but_no_dates(app, client, auth, process_ready):
    auth.login("kim")
    named, hidden = _round(client, "partner\nneighbour")
    _answer(app.test_client(), named, {**ANSWERS, "what_he_said": "Named words."})
    _answer_anonymously(app, hidden, "Secret words.")
    page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    table = page[page.index("Who answered") : page.index("Results")]
    assert table.count(">answered<") == 2
    with app.app_context():
        answered_on = db.session.query(PrivateLink).first().answered_at
    for shown in (answered_on.strftime("%b %-d, %Y"), str(answered_on.year)):
        assert shown not in table


def test_anonymous_answer_keeps_only_its_day_everywhere(app, client, auth, process_ready):
    auth.login("kim")
    named, hidden = _round(client, "partner\nneighbour")
    _answer(app.test_client(), named, {**ANSWERS, "what_he_said": "Named words."})
    _answer_anonymously(app, hidden, "Secret words.")
    with app.app_context():
        link = db.session.query(PrivateLink).filter_by(anonymous=True).one()
        record = db.session.get(Submission, link.submission_id)
        submission_id = record.id
        stored = [record.created_at, record.updated_at, record.submitted_at]
        stored += [r.made_at for r in record.revisions] + [link.answered_at]
        assert all(moment.time() == datetime.min.time() for moment in stored)
        named_id = db.session.query(PrivateLink).filter_by(anonymous=False).one().submission_id
    listing = client.get("/p/alpha/submissions/").get_data(as_text=True)
    rows = dict(re.findall(r"/submissions/(\d+)\"(.*?)</tr>", listing, re.S))
    assert not MOMENT.search(rows[str(submission_id)])
    assert MOMENT.search(rows[str(named_id)])  # a named record keeps its time
    for tail in ("", "/history", "/history/1"):
        page = client.get(f"/p/alpha/submissions/{submission_id}{tail}").get_data(as_text=True)
        main = page[page.index("<main") :]
        assert not MOMENT.search(main), tail


def test_export_does_not_link_labels_to_anonymous_answers(app, client, auth, process_ready):
    auth.login("kim")
    named, hidden = _round(client, "partner\nneighbour")
    _answer(app.test_client(), named, {**ANSWERS, "what_he_said": "Named words."})
    _answer_anonymously(app, hidden, "Secret words.")
    exported = _export(client)
    with app.app_context():
        hidden_id = db.session.query(PrivateLink).filter_by(anonymous=True).one().submission_id
        named_id = db.session.query(PrivateLink).filter_by(anonymous=False).one().submission_id
    people = {i["label"]: i for i in exported["invitations"]}
    assert people["partner"]["record"] == named_id
    assert people["neighbour"]["record"] is None
    assert "anonymous" not in people["neighbour"]
    anonymous = [r for r in exported["records"] if r.get("anonymous")]
    assert len(anonymous) == 1 and "id" not in anonymous[0]
    assert hidden_id not in [r.get("id") for r in exported["records"]]
    assert "T" not in anonymous[0]["submitted_at"]  # a day, not a moment
    assert all("T" not in r["made_at"] for r in anonymous[0]["revisions"])


def test_anonymous_answers_are_listed_in_an_order_that_says_nothing(
    app, client, auth, process_ready
):
    auth.login("kim")
    links = _round(client, "\n".join(f"person {n}" for n in range(8)))
    for n, link in enumerate(links):
        _answer_anonymously(app, link, f"Words number {n}.")
    with app.app_context():
        records = (
            db.session.query(Submission).filter_by(form_id="checkin").order_by(Submission.id).all()
        )
        arrival = [service.answers_of(r)["what_he_said"] for r in records]
        in_neutral_order = sorted(records, key=lambda r: hashlib.sha256(r.answers).hexdigest())
        neutral = [service.answers_of(r)["what_he_said"] for r in in_neutral_order]
        ids_neutral = [r.id for r in in_neutral_order]
        process = db.session.get(Process, process_ready["alpha"])
        for_report = results(process, service.definition("checkin"), "en", for_report=True)[1]
    assert neutral != arrival
    said = next(q for q in for_report if q.label.startswith("What has he told"))
    assert [a.text for a in said.texts] == neutral
    page = client.get("/p/alpha/checkins/1").get_data(as_text=True)
    assert [int(n) for n in re.findall(r"Words number (\d)\.", page)] == [
        int(t.split()[-1].rstrip(".")) for t in neutral
    ]
    listing = client.get("/p/alpha/submissions/").get_data(as_text=True)
    listed = [int(n) for n in re.findall(r"/p/alpha/submissions/(\d+)\"", listing)]
    listed = [n for n in listed if n in ids_neutral]
    assert listed == list(reversed(ids_neutral))


def test_old_anonymous_answers_with_full_times_are_shown_by_day(app, client, auth, process_ready):
    auth.login("kim")
    (hidden,) = _round(client, "neighbour")
    _answer_anonymously(app, hidden, "Secret words.")
    with app.app_context():
        # As stored before answers were kept by the day.
        record = db.session.query(Submission).filter_by(form_id="checkin").one()
        record.submitted_at = record.updated_at = datetime(2026, 3, 4, 15, 47, tzinfo=UTC)
        record.revisions[0].made_at = record.submitted_at + timedelta(seconds=1)
        db.session.commit()
        submission_id = record.id
    exported = _export(client)
    anonymous = next(r for r in exported["records"] if r.get("anonymous"))
    assert anonymous["submitted_at"] == "2026-03-04"
    page = client.get(f"/p/alpha/submissions/{submission_id}").get_data(as_text=True)
    assert "15:47" not in page and "3:47" not in page
