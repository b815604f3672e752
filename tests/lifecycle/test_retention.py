"""Retention: a day to erase a process, warnings before it, and the daily command."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import AuditEvent, Process, Role
from tests import factories
from tests.conftest import submit

EXPORT = "/p/alpha/export"
RETENTION = "/p/alpha/retention"


@pytest.fixture
def alpha(app):
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        factories.member(process, "lou", Role.CONTACT)
        factories.member(process, "cem", Role.CENTRAL)
        other = factories.process("beta", "Y")
        factories.member(other, "bo", Role.CONTACT, coordinator=True)
        db.session.commit()
        return process.id


def erase_on(app, short_name: str, days: int | None) -> None:
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.short_name == short_name))
        process.erase_on = today() + timedelta(days=days) if days is not None else None
        db.session.commit()


def stored_day(app, process_id: int):
    with app.app_context():
        return db.session.get(Process, process_id).erase_on


def test_coordinator_sets_and_clears_the_day(app, client, auth, alpha):
    auth.login("kim")
    day = today() + timedelta(days=200)
    response = submit(client, RETENTION, {"erase_on": day.isoformat()}, page=EXPORT)
    assert response.status_code == 302
    assert stored_day(app, alpha) == day
    page = client.get(EXPORT).get_data(as_text=True)
    assert "This process will be erased on" in page
    # Far off: the overview says so quietly, without a warning on every page.
    overview = client.get("/p/alpha/").get_data(as_text=True)
    assert "This process will be erased on" in overview
    assert "will be erased on" not in client.get("/p/alpha/members").get_data(as_text=True)

    response = submit(client, RETENTION, {"erase_on": ""}, page=EXPORT)
    assert response.status_code == 302
    assert stored_day(app, alpha) is None
    with app.app_context():
        subjects = db.session.scalars(
            sa.select(AuditEvent.subject).where(
                AuditEvent.action == "retention-changed", AuditEvent.process_id == alpha
            )
        ).all()
    assert sorted(subjects) == sorted([day.isoformat(), "none"])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2001-01-01", "Choose a day after today."),
        ("today", "Not a valid date value."),
        ("31.02.2030", "Not a valid date value."),
    ],
)
def test_a_wrong_day_is_explained_and_kept(app, client, auth, alpha, typed, message):
    erase_on(app, "alpha", 300)
    before = stored_day(app, alpha)
    auth.login("kim")
    response = submit(client, RETENTION, {"erase_on": typed}, page=EXPORT)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in body
    assert f'value="{typed}"' in body
    assert stored_day(app, alpha) == before


def test_everyone_is_warned_in_the_last_thirty_days(app, client, auth, alpha):
    erase_on(app, "alpha", 10)
    auth.login("cem")
    for path in ("/p/alpha/", "/p/alpha/reports/", "/p/alpha/members"):
        body = client.get(path).get_data(as_text=True)
        assert "will be erased on" in body and "in 10 days" in body, path
        assert "Ask a coordinator of the contact group" in body
    auth.logout()
    auth.login("kim")
    body = client.get("/p/alpha/submissions/").get_data(as_text=True)
    assert "Export it, or change the day" in body
    erase_on(app, "alpha", 31)
    assert "in 31 days" not in client.get("/p/alpha/submissions/").get_data(as_text=True)
    # The day came but the daily command has not run yet: said so, not "in 0 days".
    erase_on(app, "alpha", -1)
    body = client.get("/p/alpha/submissions/").get_data(as_text=True)
    assert "is due to be erased" in body and "in -1 days" not in body


def test_only_contact_group_coordinators_set_the_day(app, client, auth, alpha):
    day = (today() + timedelta(days=50)).isoformat()
    for who in ("lou", "cem", "bo"):
        auth.login(who)
        assert submit(client, RETENTION, {"erase_on": day}, page="/").status_code == 404
        auth.logout()
    assert stored_day(app, alpha) is None


def test_the_daily_command_erases_what_is_due(app, runner, alpha):
    erase_on(app, "alpha", 0)
    erase_on(app, "beta", 12)
    listed = runner.invoke(args=["retention", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert "Due: alpha" in listed.output
    assert "beta will be erased on" in listed.output and "in 12 days" in listed.output
    assert stored_day(app, alpha) is not None

    erase_on(app, "beta", 45)
    assert "beta" not in runner.invoke(args=["retention", "--dry-run"]).output  # not yet
    erase_on(app, "beta", 12)
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Erased alpha" in result.output
    with app.app_context():
        assert db.session.get(Process, alpha) is None
        assert db.session.scalar(sa.select(Process).where(Process.short_name == "beta"))
        erased = db.session.scalars(
            sa.select(AuditEvent.subject).where(AuditEvent.action == "process-erased")
        ).all()
    assert erased == [f"process:{alpha} retention"]


def test_the_admin_sees_a_day_that_passed_without_erasing(app, client, auth, alpha):
    with app.app_context():
        factories.account("root", admin=True)
    erase_on(app, "alpha", -2)
    auth.login("root")
    body = client.get("/admin/").get_data(as_text=True)
    assert "intake retention” has not run" in body
