"""The at-a-glance page and the chronology: complete, per role, and fast as years pass."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from intake.cli.demo_data import load_story
from intake.clock import today
from intake.extensions import db
from intake.models import (
    AgreedStep,
    ContactEntry,
    DemandAmendment,
    DemandStatusChange,
    Direction,
    Meeting,
    Process,
    Role,
    StepChange,
    StepStatus,
    Submission,
    SubmissionStatus,
)
from intake.record.chronology import chronology
from intake.record.glance import facts_of
from intake.record.silence import gaps
from tests import factories
from tests.conftest import submit
from tests.statements import statements


@pytest.fixture
def story(app):
    """The demo story: years of contacts, meetings, steps, an amendment, check-ins."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.member(alpha, "alex", Role.CENTRAL)
        load_story(alpha, sam, kim, today())
        db.session.commit()
        return alpha.id


def test_chronology_holds_every_record(app, story):
    with app.app_context():
        process = db.session.get(Process, story)
        events = chronology(process, today())
        count = lambda model, *where: db.session.scalar(  # noqa: E731
            sa.select(sa.func.count()).select_from(model).where(*where)
        )
        by_kind = {}
        for e in events:
            if e.flag != "silence":
                by_kind[e.kind] = by_kind.get(e.kind, 0) + 1
        submitted = Submission.status == SubmissionStatus.SUBMITTED
        assert by_kind["handover"] == 1
        assert by_kind["contact"] == count(ContactEntry, ContactEntry.process_id == story)
        assert by_kind["meeting"] == count(Meeting, Meeting.process_id == story)
        steps = count(AgreedStep, AgreedStep.process_id == story)
        closed = count(StepChange, StepChange.status != StepStatus.OPEN)
        assert by_kind["step"] == 2 * steps + closed  # agreed, deadline, each closing
        amendments = count(DemandAmendment)
        decided = count(DemandAmendment, DemandAmendment.decided_at.is_not(None))
        assert by_kind["demand"] == amendments + decided + count(DemandStatusChange)
        assert by_kind["checkin"] == count(Submission, Submission.form_id == "checkin", submitted)
        assert [e.on for e in events] == sorted(e.on for e in events)
        # Silences longer than the group's limit are marked, each where it began.
        long_ones = [g for g in gaps(facts_of(process), today()) if g.days > 60]
        marked = [e for e in events if e.flag == "silence"]
        assert long_ones and [e.on for e in marked] == [g.start for g in long_ones]
        assert all(
            f"No answer for {g.days} days" in e.title
            for e, g in zip(marked, long_ones, strict=True)
        )


def test_chronology_filters_by_kind_and_period(app, client, auth, story):
    auth.login("kim")
    everything = client.get("/p/alpha/chronology").get_data(as_text=True)
    assert "Handover from the support group" in everything
    only = client.get("/p/alpha/chronology?kind=meeting").get_data(as_text=True)
    assert "Meeting with him" in only and "We wrote to him" not in only
    recent = (today() - timedelta(days=40)).isoformat()
    page = client.get(f"/p/alpha/chronology?since={recent}").get_data(as_text=True)
    assert "Handover from the support group" not in page
    assert "We wrote to him" in page  # nine days ago
    bad = client.get("/p/alpha/chronology?since=yesterday")
    assert bad.status_code == 200 and "Not a valid date value" in bad.get_data(as_text=True)


def test_glance_shows_where_it_stands(app, client, auth, story):
    auth.login("kim")
    page = client.get("/p/alpha/").get_data(as_text=True)
    for text in (
        "Days since his last answer",
        "Unanswered since then",
        "Meetings held / missed",
        "Agreed steps not kept",
        "How these figures are counted",
        "<svg",
        "Next meeting with him",
        "amendment awaiting approval",
    ):
        assert text in page, text
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_roles_see_their_part_of_the_overview(app, client, auth, story):
    auth.login("sam")
    support = client.get("/p/alpha/").get_data(as_text=True)
    assert "Seek critical help" in support and "Days since his last answer" not in support
    for path in (
        "/p/alpha/contacts",
        "/p/alpha/chronology",
        "/p/alpha/steps/",
        "/p/alpha/meetings/",
    ):
        assert client.get(path).status_code == 404, path
    submit(client, "/logout", page="/")
    auth.login("alex")
    central = client.get("/p/alpha/").get_data(as_text=True)
    assert "Seek critical help" not in central and "<svg" not in central
    assert client.get("/p/alpha/search?q=programme").status_code == 404


def test_search_finds_what_the_role_may_read(app, client, auth, story):
    auth.login("kim")
    page = client.get("/p/alpha/search?q=PROGRAMME").get_data(as_text=True)
    assert "perpetrator programme" in page
    assert "Meeting minutes" in page  # found in minutes, as the contact group
    submit(client, "/logout", page="/")
    auth.login("sam")
    page = client.get("/p/alpha/search?q=programme").get_data(as_text=True)
    assert "#1" in page  # the demand itself
    assert "Meeting minutes" not in page  # raw minutes are not the support group's
    short = client.get("/p/alpha/search?q=a").get_data(as_text=True)
    assert "at least 2" in short or "Field must be between 2" in short


def _add_log_entries(process_id: int, n: int) -> None:
    first = date(2020, 1, 1)
    rows = [
        {
            "process_id": process_id,
            "form_id": "contact",
            "form_version": 1,
            "snapshot_id": 1,
            "status": SubmissionStatus.SUBMITTED,
            "answers": b"-",
            "lock_version": 1,
        }
        for _ in range(n)
    ]
    db.session.execute(sa.insert(Submission), rows)
    ids = db.session.scalars(
        sa.select(Submission.id).where(Submission.answers == b"-").order_by(Submission.id)
    ).all()
    db.session.execute(
        sa.insert(ContactEntry),
        [
            {
                "process_id": process_id,
                "submission_id": sid,
                "on": first + timedelta(days=i % 2000),
                "direction": Direction.WE_WROTE if i % 3 else Direction.HE_WROTE,
                "channel": "email",
                "awaiting_answer": False,
            }
            for i, sid in enumerate(ids)
        ],
    )
    db.session.commit()


def _queries_for(app, client, path: str) -> int:
    return len(_statements_for(app, client, path))


def test_glance_query_count_does_not_grow_with_the_log(app, client, auth, story):
    auth.login("kim")
    client.get("/p/alpha/")  # warm caches: form snapshots, sessions
    small = _queries_for(app, client, "/p/alpha/")
    with app.app_context():
        _add_log_entries(story, 5000)
        assert db.session.query(ContactEntry).count() > 5000
    large = _queries_for(app, client, "/p/alpha/")
    assert large == small, f"{small} queries with the story, {large} with 5,000 more entries"
    assert _queries_for(app, client, "/p/alpha/contacts") < 20


def _statements_for(app, client, path: str) -> list[str]:
    with app.app_context():
        engine = db.engine
    with statements(engine) as said:
        assert client.get(path).status_code == 200
    return said


def test_the_steps_pages_read_the_demands_and_count_the_steps_once(app, client, auth, story):
    # The at-a-glance page lists steps and counts them for the silence figures and for
    # its list; the steps page lists open and closed steps: each reads the demands they
    # serve once, and the at-a-glance page counts the steps in one question.
    auth.login("kim")
    for path in ("/p/alpha/", "/p/alpha/steps/"):
        said = _statements_for(app, client, path)
        assert sum(" FROM demand WHERE" in s for s in said) == 1, path
    counts = [s for s in _statements_for(app, client, "/p/alpha/") if "count(agreed_step.id)" in s]
    assert len(counts) == 1
