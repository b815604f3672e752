"""The steps and meetings pages of a long process come in pages; what is still to be done
(open steps, meetings whose outcome is not recorded, meetings to come) is never paged away."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from intake.clock import today
from intake.extensions import db
from intake.models import MeetingKind, MeetingState, Process, Role, StepOwner, StepStatus
from intake.record import meetings, steps
from tests import factories
from tests.conftest import submit
from tests.statements import statements

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
STEP = re.compile(r">(Open|Closed) step (\d+)</a>")
MEETING = re.compile(r'<span class="quiet">(Past|Waiting|Coming) (\d+)</span>')
CLOSED_STEPS = 120
PAST_MEETINGS = 60


@pytest.fixture
def long_process(app, client):
    """Years of steps and meetings: a few still to do, many done with."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        start = today() - timedelta(days=4 * 365)
        closed_states = [StepStatus.DONE, StepStatus.MISSED, StepStatus.DROPPED]
        for n in range(CLOSED_STEPS):
            agreed = start + timedelta(days=n * 10)
            step = steps.add_step(
                alpha,
                what=f"Closed step {n}",
                owner=StepOwner.HIM,
                # Two steps share each deadline: the id decides their order.
                deadline=agreed + timedelta(days=30 - (n % 2) * 10),
                agreed_on=agreed,
                by=kim,
            )
            step.status = closed_states[n % 3]
        for n in range(4):  # the oldest two overdue, the others still in time
            agreed = start + timedelta(days=n * 400)
            steps.add_step(
                alpha,
                what=f"Open step {n}",
                owner=StepOwner.HIM,
                deadline=agreed + timedelta(days=30) if n < 2 else today() + timedelta(days=n),
                agreed_on=agreed,
                by=kim,
            )

        def meeting(name: str, day, state: MeetingState) -> None:
            meetings.plan(
                alpha,
                kind=MeetingKind.WITH_HIM,
                starts_at=datetime.combine(day, time(10, 0), tzinfo=UTC),
                place=name,
                expected="",
                by=kim,
                state=state,
            )

        recorded = [MeetingState.HELD, MeetingState.MISSED, MeetingState.CANCELLED]
        for n in range(PAST_MEETINGS):
            meeting(f"Past {n}", start + timedelta(days=n * 20), recorded[n % 3])
        # Planned long ago and never recorded: older than any first page.
        for n in range(2):
            meeting(f"Waiting {n}", start - timedelta(days=30 + n), MeetingState.PLANNED)
        for n in range(2):
            meeting(f"Coming {n}", today() + timedelta(days=7 + n), MeetingState.PLANNED)
        db.session.commit()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    return client


def _links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}


def _walk(client, first: str) -> list[str]:
    """Every page from the first by the "older" links, then checked back by "newer"."""
    pages = [client.get(first).get_data(as_text=True)]
    while "next" in _links(pages[-1]):
        pages.append(client.get(_links(pages[-1])["next"]).get_data(as_text=True))
        assert len(pages) < 20, "the older links go round in a circle"
    back = [pages[-1]]
    while "prev" in _links(back[-1]):
        back.append(client.get(_links(back[-1])["prev"]).get_data(as_text=True))
    assert len(back) == len(pages)
    return pages


def test_open_steps_head_the_first_page_and_closed_ones_come_in_pages(app, long_process):
    pages = _walk(long_process, "/p/alpha/steps/")
    found = [STEP.findall(p) for p in pages]
    size = steps.CLOSED_PAGE_SIZE
    assert len(pages) == -(-CLOSED_STEPS // size) > 1
    # Every open step, overdue ones first, on the first page and only there.
    assert [n for kind, n in found[0] if kind == "Open"] == ["0", "1", "2", "3"]
    assert found[0][:2] == [("Open", "0"), ("Open", "1")]
    assert all(kind == "Closed" for p in found[1:] for kind, _ in p)
    closed = [int(n) for p in found for kind, n in p if kind == "Closed"]
    assert [len([1 for k, _ in p if k == "Closed"]) for p in found] == [
        min(size, CLOSED_STEPS - i * size) for i in range(len(pages))
    ]
    assert sorted(closed) == list(range(CLOSED_STEPS))  # each once
    with app.app_context():
        by_name = {
            int(s.what.split()[-1]): (s.deadline, s.id)
            for s in steps.steps_of(db.session.scalar(select(Process)), today())
            if s.what.startswith("Closed")
        }
    assert [by_name[n] for n in closed] == sorted(by_name.values(), reverse=True)
    assert "overdue" in pages[0]


def test_meetings_to_come_and_without_outcome_stay_on_the_first_page(app, long_process):
    pages = _walk(long_process, "/p/alpha/meetings/")
    found = [MEETING.findall(p) for p in pages]
    size = meetings.PAST_PAGE_SIZE
    assert len(pages) == -(-PAST_MEETINGS // size) > 1
    assert [m for m in found[0] if m[0] != "Past"] == [
        ("Coming", "0"),
        ("Coming", "1"),
        ("Waiting", "0"),
        ("Waiting", "1"),
    ]
    # Later pages go on with past meetings only; the meetings to come stay listed.
    assert all(kind in ("Past", "Coming") for p in found[1:] for kind, _ in p)
    past = [int(n) for p in found for kind, n in p if kind == "Past"]
    assert past == list(reversed(range(PAST_MEETINGS)))  # latest first, each once
    assert [sum(1 for k, _ in p if k == "Past") for p in found] == [
        min(size, PAST_MEETINGS - i * size) for i in range(len(pages))
    ]


def test_the_meetings_in_sight_are_read_in_one_question(app, long_process):
    # Those to come and those awaiting their outcome, then the page of the past ones,
    # then the rhythm's figures: on PostgreSQL each question is a round trip.
    with app.app_context():
        engine = db.engine
    with statements(engine) as asked:
        page = long_process.get("/p/alpha/meetings/").get_data(as_text=True)
    assert "Coming 0" in page and "Waiting 0" in page
    assert sum(" FROM meeting" in s for s in asked) == 3
    assert sum("FROM submission" in s and "meeting_id" in s for s in asked) == 2


@pytest.mark.parametrize("path", ["/p/alpha/steps/", "/p/alpha/meetings/"])
@pytest.mark.parametrize("cursor", ["", "yesterday", "2024-13-01.5", "1.2.3"])
def test_a_cursor_that_makes_no_sense_shows_the_first_page(long_process, path, cursor):
    first = long_process.get(path).get_data(as_text=True)
    response = long_process.get(f"{path}?before={cursor}&after={cursor}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert STEP.findall(html) == STEP.findall(first)
    assert MEETING.findall(html) == MEETING.findall(first)


def test_a_refused_rhythm_keeps_the_page_links_on_the_meetings_page(long_process):
    response = submit(
        long_process, "/p/alpha/meetings/cadence", {"every_days": "0"}, page="/p/alpha/meetings/"
    )
    assert response.status_code == 422
    older = _links(response.get_data(as_text=True))["next"]
    assert older.startswith("/p/alpha/meetings/?before=")


@pytest.mark.parametrize("path", ["/p/alpha/steps/", "/p/alpha/meetings/"])
def test_a_link_past_the_end_shows_the_first_page(long_process, path):
    # An "older" link kept from before, when there was more to page through.
    first = long_process.get(path).get_data(as_text=True)
    html = long_process.get(f"{path}?before=1991-01-01.1").get_data(as_text=True)
    assert STEP.findall(html) == STEP.findall(first)
    assert MEETING.findall(html) == MEETING.findall(first)


def test_at_a_glance_lists_the_first_steps_and_leads_to_them_all(app, long_process):
    page = long_process.get("/p/alpha/").get_data(as_text=True)
    steps_part = page.split('id="steps-h"', 1)[1]
    listed = STEP.findall(steps_part)
    assert len(listed) == steps.AT_A_GLANCE
    # Open steps as the steps page begins (overdue first), then the latest missed ones.
    missed = CLOSED_STEPS // 3
    assert listed == [("Open", "0"), ("Open", "1"), ("Open", "2"), ("Open", "3")] + [
        ("Closed", str(n)) for n in (118, 115, 112, 109, 106, 103)
    ]
    assert f"The first 10 of {4 + missed} steps open or not kept." in steps_part
    assert 'href="/p/alpha/steps/">All agreed steps</a>' in steps_part


def test_at_a_glance_lists_every_step_of_a_young_process(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        for n, status in enumerate([StepStatus.OPEN, StepStatus.MISSED, StepStatus.DONE]):
            step = steps.add_step(
                alpha,
                what=f"Open step {n}" if status is StepStatus.OPEN else f"Closed step {n}",
                owner=StepOwner.HIM,
                deadline=today() - timedelta(days=5 - n),
                agreed_on=today() - timedelta(days=40),
                by=kim,
            )
            step.status = status
        db.session.commit()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    steps_part = client.get("/p/alpha/").get_data(as_text=True).split('id="steps-h"', 1)[1]
    assert STEP.findall(steps_part) == [("Open", "0"), ("Closed", "1")]  # done ones are not
    assert "The first" not in steps_part
