"""Every create form is stored once: the same form posted twice at once makes one record (R6).

Each case opens the create form, takes its one-time key, and posts the very same form
from two threads at the same instant (a double click). Exactly one row may come of it,
and both posts must land somewhere sensible: never an error page.
"""

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import (
    AgreedStep,
    CheckinRound,
    Demand,
    DemandAmendment,
    DemandStatusChange,
    Meeting,
    Membership,
    PrivateLink,
    Questionnaire,
    ReportBack,
    Role,
)
from tests import factories
from tests.conftest import csrf_token, submit

DAY = (date.today() - timedelta(days=3)).isoformat()


@dataclass(frozen=True)
class Case:
    page: Callable[[dict], str]  # where the create form is shown
    post: Callable[[dict], str]  # where it is posted
    data: Callable[[dict], dict]
    counted: Callable[[], sa.Select]  # the rows the post creates
    expected: int = 1  # rows one post makes


def _count(model, *where) -> Callable[[], sa.Select]:
    return lambda: sa.select(sa.func.count()).select_from(model).where(*where)


CASES = {
    "meeting": Case(
        page=lambda w: "/p/alpha/meetings/",
        post=lambda w: "/p/alpha/meetings/",
        data=lambda w: {"kind": "with_him", "day": DAY, "time": "", "place": "", "expected": ""},
        counted=_count(Meeting),
    ),
    "agreed step": Case(
        page=lambda w: "/p/alpha/steps/new",
        post=lambda w: "/p/alpha/steps/new",
        data=lambda w: {
            "what": "Write to the programme",
            "owner": "him",
            "agreed_on": DAY,
            "deadline": (date.today() + timedelta(days=20)).isoformat(),
            "demand_id": "",
        },
        counted=_count(AgreedStep),
    ),
    "amendment": Case(
        page=lambda w: f"/p/alpha/demands/{w['demand_id']}/amend",
        post=lambda w: f"/p/alpha/demands/{w['demand_id']}/amend",
        data=lambda w: {"text": "Amended one.", "reason": "He asked for clarity."},
        counted=_count(DemandAmendment),
    ),
    "demand status": Case(
        page=lambda w: f"/p/alpha/demands/{w['demand_id']}/status",
        post=lambda w: f"/p/alpha/demands/{w['demand_id']}/status",
        data=lambda w: {"status": "partly_met", "on": DAY, "evidence": "", "reason": "Talked."},
        counted=_count(DemandStatusChange),
    ),
    "check-in round": Case(
        page=lambda w: "/p/alpha/checkins/",
        post=lambda w: "/p/alpha/checkins/",
        data=lambda w: {
            "title": "R",
            "form_id": "checkin",
            "intro": "",
            "days": "28",
            "send_email": "no",
            "people": "partner\nfriend",
        },
        counted=_count(PrivateLink),
        expected=2,  # one round, one link per person named
    ),
    "his link": Case(
        page=lambda w: f"/p/alpha/checkins/him/{w['minutes_id']}",
        post=lambda w: f"/p/alpha/checkins/him/{w['minutes_id']}",
        data=lambda w: {"email": "", "days": "28"},
        counted=_count(PrivateLink),
    ),
    "member": Case(
        page=lambda w: "/p/alpha/members/new",
        post=lambda w: "/p/alpha/members/new",
        data=lambda w: {"display_name": "Bo", "username": "bo", "role": "contact"},
        counted=_count(Membership),
    ),
    "report-back": Case(
        page=lambda w: "/p/alpha/reports/",
        post=lambda w: "/p/alpha/reports/",
        data=lambda w: {"since": "", "until": DAY, "assessment": ""},
        counted=_count(ReportBack),
    ),
    "questionnaire": Case(
        page=lambda w: "/p/alpha/questionnaires/",
        post=lambda w: "/p/alpha/questionnaires/new",
        data=lambda w: {"start": "blank:link"},
        counted=_count(Questionnaire),
    ),
}


@pytest.fixture
def world(app) -> dict:
    """Process alpha after its handover (one demand), with minutes to send him a link for."""
    app.config["REPORT_RENDER_INLINE"] = True  # no worker left running after the test
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.record(
            alpha, "handover", sam, {"demands": [{"text": "One."}], "wants_updates": "none"}
        )
        minutes = factories.record(
            alpha,
            "minutes",
            kim,
            {
                "kind": "with_him",
                "planned_date": DAY,
                "outcome": "held",
                "steps": [
                    {
                        "what": "Write to the programme",
                        "owner": "him",
                        "deadline": (date.today() + timedelta(days=20)).isoformat(),
                    }
                ],
            },
        )
        demand_id = db.session.scalar(sa.select(Demand.id))
        return {"demand_id": demand_id, "minutes_id": minutes.id}


def _form_key(page: str) -> str:
    match = re.search(r'name="form_key" value="([^"]+)"', page)
    assert match, "the create form carries no one-time key"
    return match.group(1)


def _rows(app, select: sa.Select) -> int:
    with app.app_context():
        return db.session.scalar(select)


@pytest.mark.parametrize("name", CASES)
def test_the_same_form_posted_twice_at_once_stores_once(app, client, world, name):
    case = CASES[name]
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    before = _rows(app, case.counted())
    page = client.get(case.page(world)).get_data(as_text=True)
    data = {
        **case.data(world),
        "csrf_token": csrf_token(client, case.page(world)),
        "form_key": _form_key(page),
    }
    start = threading.Barrier(2)

    def post(_n: int) -> tuple[int, str | None]:
        start.wait()
        response = client.post(case.post(world), data=data)
        return response.status_code, response.headers.get("Location")

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(post, range(2)))
    made = _rows(app, case.counted()) - before
    assert made == case.expected, results
    # One post shows what it made (a page or a redirect); the other is sent where it led.
    statuses = sorted(status for status, _where in results)
    assert all(status in (200, 302) for status in statuses), results
    assert 302 in statuses, results
    if name == "check-in round":
        assert _rows(app, _count(CheckinRound)()) == 1


def test_a_refused_step_leaves_the_key_for_the_corrected_one(app, client, world):
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    case = CASES["agreed step"]
    before = _rows(app, _count(AgreedStep)())
    key = _form_key(client.get("/p/alpha/steps/new").get_data(as_text=True))
    token = csrf_token(client, "/p/alpha/steps/new")
    # A deadline before the day it was agreed is refused; the form keeps its key.
    wrong = {**case.data(world), "deadline": "2020-01-01", "csrf_token": token, "form_key": key}
    refused = client.post("/p/alpha/steps/new", data=wrong)
    assert refused.status_code == 200
    assert _form_key(refused.get_data(as_text=True)) == key
    right = {**case.data(world), "csrf_token": token, "form_key": key}
    stored = client.post("/p/alpha/steps/new", data=right)
    assert stored.status_code == 302
    again = client.post("/p/alpha/steps/new", data=right)
    assert again.headers["Location"] == stored.headers["Location"]
    assert _rows(app, _count(AgreedStep)()) == before + 1
