"""Agreed steps (R2) and meetings: from minutes, by hand, overdue, conflicts, cadence."""

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.models import (
    AgreedStep,
    Meeting,
    MeetingKind,
    MeetingState,
    Process,
    Role,
    StepStatus,
    Submission,
)
from intake.record import meetings as meeting_service
from tests import factories
from tests.conftest import submit


@pytest.fixture
def group(app):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lu", Role.CONTACT)
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.record(
            alpha,
            "handover",
            sam,
            {
                "demands": [{"text": "First."}, {"text": "Second."}],
                "wants_updates": "none",
            },
        )
        return alpha.id


def _minutes(client, day: date, outcome="held", steps=(), **extra):
    data = {
        "kind": "with_him",
        "planned_date": day.isoformat(),
        "outcome": outcome,
        "_action": "submit",
        **extra,
    }
    for i, (what, deadline, demand) in enumerate(steps):
        data |= {
            f"steps-{i}-what": what,
            f"steps-{i}-owner": "him",
            f"steps-{i}-deadline": deadline.isoformat(),
            f"steps-{i}-demand": demand,
        }
    return submit(client, "/p/alpha/submissions/new/minutes", data)


def test_minutes_create_meeting_and_steps(app, client, auth, group):
    auth.login("kim")
    day = today() - timedelta(days=30)
    response = _minutes(
        client,
        day,
        steps=[
            ("Write to a programme", day + timedelta(days=10), "1"),
            ("Tell his group", day + timedelta(days=90), ""),
        ],
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.query(Meeting).one()
        assert meeting.state is MeetingState.HELD and meeting.starts_at.date() == day
        steps = db.session.query(AgreedStep).order_by(AgreedStep.deadline).all()
        assert [s.deadline for s in steps] == [day + timedelta(days=10), day + timedelta(days=90)]
        assert steps[0].demand.number == 1 and steps[1].demand is None
        assert steps[0].agreed_on == day
    page = client.get("/p/alpha/").get_data(as_text=True)
    assert "Write to a programme" in page
    # The first is overdue: marked in words and in red on the overview and the list.
    assert re.search(r'class="step overdue">\s*<a [^>]*>Write to a programme', page)
    steps_page = client.get("/p/alpha/steps/").get_data(as_text=True)
    assert "overdue" in steps_page


def test_editing_minutes_does_not_duplicate_steps(app, client, auth, group):
    auth.login("kim")
    day = today() - timedelta(days=3)
    url = _minutes(client, day, steps=[("One", day + timedelta(days=5), "")]).headers["Location"]
    edit = url + "/edit"
    lock = re.search(r'name="lock_version" value="(\d+)"', client.get(edit).get_data(as_text=True))
    data = {
        "kind": "with_him",
        "planned_date": day.isoformat(),
        "outcome": "held",
        "steps-0-what": "One",
        "steps-0-owner": "him",
        "steps-0-deadline": (day + timedelta(days=5)).isoformat(),
        "steps-1-what": "Two",
        "steps-1-owner": "him",
        "steps-1-deadline": (day + timedelta(days=6)).isoformat(),
        "lock_version": lock.group(1),
        "_action": "submit",
    }
    assert submit(client, edit, data).status_code == 302
    with app.app_context():
        assert db.session.query(AgreedStep).count() == 2
        assert db.session.query(Meeting).count() == 1


@pytest.mark.parametrize(
    ("outcome", "day_offset", "deadline_offset", "message"),
    [
        ("held", 5, 10, "cannot have been held or missed yet"),
        ("missed", 5, 10, "cannot have been held or missed yet"),
        ("held", -5, -10, "the deadline is before the meeting"),
    ],
)
def test_dates_in_the_wrong_order_are_explained(
    app, client, auth, group, outcome, day_offset, deadline_offset, message
):
    auth.login("kim")
    day = today() + timedelta(days=day_offset)
    response = _minutes(
        client,
        day,
        outcome,
        steps=[("Step", day + timedelta(days=deadline_offset), "")],
        his_reflections="Kept text",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Kept text" in page
    with app.app_context():
        assert db.session.query(Submission).filter_by(form_id="minutes").count() == 0


def test_step_by_hand_and_changes_with_conflict(app, client, auth, group):
    auth.login("kim")
    bad = submit(
        client,
        "/p/alpha/steps/new",
        {
            "what": "Send the letter",
            "owner": "contact_group",
            "agreed_on": "2026-03-10",
            "deadline": "2026-03-01",
            "demand_id": "",
        },
    )
    assert bad.status_code == 200
    assert "deadline is before the day it was agreed" in bad.get_data(as_text=True)
    assert 'value="Send the letter"' in bad.get_data(as_text=True)

    made = submit(
        client,
        "/p/alpha/steps/new",
        {
            "what": "Send the letter",
            "owner": "contact_group",
            "agreed_on": "2026-03-01",
            "deadline": "2026-03-10",
            "demand_id": "",
        },
    )
    step_url = made.headers["Location"]
    page = client.get(step_url).get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)

    lu = app.test_client()
    submit(lu, "/login", {"username": "lu", "password": factories.PASSWORD})
    done = submit(
        lu,
        step_url,
        {"status": "done", "deadline": "2026-03-10", "reason": "", "lock_version": lock},
    )
    assert done.status_code == 302
    stale = submit(
        client,
        step_url,
        {"status": "missed", "deadline": "2026-03-10", "reason": "", "lock_version": lock},
    )
    assert stale.status_code == 409
    assert "Someone changed this step" in stale.get_data(as_text=True)
    with app.app_context():
        step = db.session.query(AgreedStep).one()
        assert step.status is StepStatus.DONE
    fresh = re.search(
        r'name="lock_version" type="hidden" value="(\d+)"', stale.get_data(as_text=True)
    ).group(1)
    no_reason = submit(
        client,
        step_url,
        {"status": "dropped", "deadline": "2026-03-10", "reason": "", "lock_version": fresh},
    )
    assert "Say why the step is dropped." in no_reason.get_data(as_text=True)
    history = client.get(step_url).get_data(as_text=True)
    assert history.count("<li>") >= 2  # created, then done


# Long enough to fold twice, with characters of two and three bytes across the folds,
# and the characters iCalendar escapes: comma, semicolon, backslash.
PLACE = (
    "Raum 4, Gemeindehaus an der Straße – großer Saal im Erdgeschoss; "
    "Eingang über den Hof, Tor 2 \\ Klingel „Gruppe“, dann die Treppe hinauf; "
    "bitte leise – oben wohnt jemand"
)
ESCAPED = PLACE.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def test_meeting_planning_outcome_and_ical(app, client, auth, group):
    auth.login("kim")
    soon = today() + timedelta(days=10)
    response = submit(
        client,
        "/p/alpha/meetings/",
        {
            "kind": "with_him",
            "day": soon.isoformat(),
            "time": "18:30",
            "place": PLACE,
            "expected": "Kim, him",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.query(Meeting).one()
    ics = client.get("/p/alpha/meetings/upcoming.ics")
    assert ics.mimetype == "text/calendar"
    assert "attachment" in ics.headers["Content-Disposition"]
    body = ics.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and f"DTSTART:{soon.strftime('%Y%m%d')}T183000Z" in body
    # Every line ends in CRLF, the last one too; no bare CR or LF anywhere.
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    lines = body.split("\r\n")[:-1]
    assert not any("\r" in line or "\n" in line for line in lines)
    # Lines longer than 75 octets are folded: CRLF and one space, never inside a character
    # (the body decoded), each piece as long as 75 octets allow; unfolded they read whole.
    assert all(len(line.encode()) <= 75 for line in lines)
    start = next(n for n, line in enumerate(lines) if line.startswith("LOCATION:"))
    folded = [lines[start]]
    while lines[start + len(folded)].startswith(" "):
        folded.append(lines[start + len(folded)])
    assert len(folded) == 3
    assert "".join([folded[0], *(piece[1:] for piece in folded[1:])]) == "LOCATION:" + ESCAPED
    for piece, after in itertools.pairwise(folded):
        assert len(piece.encode()) + len(after[1].encode()) > 75  # no earlier fold than needed
    assert "LOCATION:" + ESCAPED + "\r\n" in body.replace("\r\n ", "")

    # A future meeting cannot be recorded as held.
    refused = submit(
        client,
        f"/p/alpha/meetings/{meeting.id}/outcome",
        {"state": "held", "lock_version": "1"},
        page="/p/alpha/meetings/",
    )
    assert refused.status_code == 303
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).state is MeetingState.PLANNED
    cancelled = submit(
        client,
        f"/p/alpha/meetings/{meeting.id}/outcome",
        {"state": "cancelled", "lock_version": "1"},
        page="/p/alpha/meetings/",
    )
    assert cancelled.status_code == 302
    assert "BEGIN:VEVENT" not in client.get("/p/alpha/meetings/upcoming.ics").get_data(as_text=True)


def test_minutes_for_a_planned_meeting(app, client, auth, group):
    with app.app_context():
        process = db.session.get(Process, group)
        kim = db.session.query(factories.Account).filter_by(username="kim").one()
        meeting = meeting_service.plan(
            process,
            kind=MeetingKind.WITH_HIM,
            starts_at=datetime.now(UTC) - timedelta(days=2),
            place="",
            expected="",
            by=kim,
        )
        db.session.commit()
        meeting_id = meeting.id
    auth.login("kim")
    page = client.get(f"/p/alpha/submissions/new/minutes?meeting={meeting_id}").get_data(
        as_text=True
    )
    assert re.search(r'<input checked id="kind-0" name="kind"[^>]*value="with_him">', page)
    day = (datetime.now(UTC) - timedelta(days=2)).date()
    response = submit(
        client,
        f"/p/alpha/submissions/new/minutes?meeting={meeting_id}",
        {
            "kind": "with_him",
            "planned_date": day.isoformat(),
            "outcome": "missed",
            "_action": "submit",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(Meeting).count() == 1
        assert db.session.get(Meeting, meeting_id).state is MeetingState.MISSED
        assert (
            db.session.query(Submission).filter_by(form_id="minutes").one().meeting_id == meeting_id
        )
    assert "missed: he did not come" in client.get("/p/alpha/meetings/").get_data(as_text=True)


def test_the_pages_rhythm_counted_by_the_database_is_the_rule(app, group):
    """``cadence_of`` (one query, what the pages show) gives what the rule ``cadence``
    gives over the same meetings, on the days around each of them."""
    from intake.models import Account, Process

    with app.app_context():
        process = db.session.get(Process, group)
        process.meeting_cadence_days = 30
        kim = db.session.query(Account).filter_by(username="kim").one()
        start = datetime(2026, 1, 5, 18, tzinfo=UTC)
        # A missed meeting after the last one held, and one planned after it.
        states = [
            MeetingState.HELD,
            MeetingState.MISSED,
            MeetingState.HELD,
            MeetingState.MISSED,
            MeetingState.PLANNED,
        ]
        for n, (kind, state) in enumerate(
            itertools.product([MeetingKind.WITH_HIM, MeetingKind.INTERNAL], states)
        ):
            meeting = meeting_service.plan(
                process,
                kind=kind,
                starts_at=start + timedelta(days=17 * n),
                place="",
                expected="",
                by=kim,
                now=start - timedelta(days=1),
            )
            meeting.state = state
        db.session.commit()
        views = meeting_service.views(process)
        for offset in range(-2, 17 * 10 + 40, 3):
            day = start.date() + timedelta(days=offset)
            assert meeting_service.cadence_of(process, day) == meeting_service.cadence(
                process, views, day
            ), day


def test_cadence_and_overdue(app, client, auth, group):
    from intake.record.meetings import MeetingView, cadence

    process = type("P", (), {"meeting_cadence_days": 90})()
    held = MeetingView(
        1,
        MeetingKind.WITH_HIM,
        datetime(2026, 1, 1, tzinfo=UTC),
        "",
        "",
        MeetingState.HELD,
        None,
        1,
    )
    missed = MeetingView(
        2,
        MeetingKind.WITH_HIM,
        datetime(2026, 3, 1, tzinfo=UTC),
        "",
        "",
        MeetingState.MISSED,
        None,
        1,
    )
    planned = MeetingView(
        3,
        MeetingKind.WITH_HIM,
        datetime(2026, 5, 1, tzinfo=UTC),
        "",
        "",
        MeetingState.PLANNED,
        None,
        1,
    )
    before = cadence(process, [held, missed], date(2026, 3, 31))
    assert before.due_on == date(2026, 4, 1) and not before.overdue
    late = cadence(process, [held, missed], date(2026, 4, 2))
    assert late.overdue  # a missed meeting does not count as met
    planned_ahead = cadence(process, [held, missed, planned], date(2026, 4, 2))
    assert not planned_ahead.overdue and planned_ahead.next_planned.date() == date(2026, 5, 1)
    assert (
        cadence(type("P", (), {"meeting_cadence_days": None})(), [held], date(2027, 1, 1)).due_on
        is None
    )

    auth.login("kim")
    bad = submit(
        client, "/p/alpha/meetings/cadence", {"every_days": "3"}, page="/p/alpha/meetings/"
    )
    assert "Use 7 to 730 days." in bad.get_data(as_text=True)
    assert (
        submit(
            client, "/p/alpha/meetings/cadence", {"every_days": "91"}, page="/p/alpha/meetings/"
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Process, group).meeting_cadence_days == 91
