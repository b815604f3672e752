"""The ``intake`` command: accounts, processes, demo, check, first run."""

import re

import pytest

from intake.extensions import db
from intake.models import Account, Membership, Process, Role, Submission
from tests import factories
from tests.conftest import submit

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/setup/[A-Za-z0-9_-]{40,})")


def test_user_add_prints_a_working_setup_link(app, runner) -> None:
    result = runner.invoke(args=["user", "add", "Kim", "--name", "Kim K"])
    assert result.exit_code == 0, result.output
    link = LINK.search(result.output)
    assert link
    assert app.test_client().get(link.group(1)).status_code == 302
    with app.app_context():
        kim = db.session.query(Account).filter_by(username="kim").one()
        assert kim.display_name == "Kim K" and not kim.is_instance_admin


def test_user_add_refuses_duplicates_clearly(app, runner) -> None:
    runner.invoke(args=["user", "add", "kim"])
    result = runner.invoke(args=["user", "add", "kim"])
    assert result.exit_code == 1
    assert "That sign-in name is taken." in result.output


def test_process_add_and_member(app, runner) -> None:
    result = runner.invoke(args=["process", "add", "case-1", "X", "--language", "de"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["process", "member", "case-1", "kim", "--role", "contact", "--coordinator"]
    )
    assert result.exit_code == 0, result.output
    assert LINK.search(result.output)
    with app.app_context():
        membership = db.session.query(Membership).one()
        assert membership.role is Role.CONTACT and membership.is_coordinator
        assert membership.process.language == "de"


def test_process_add_bad_short_name(app, runner) -> None:
    result = runner.invoke(args=["process", "add", "A B", "X"])
    assert result.exit_code == 1
    assert "short name" in result.output


SIGN_IN = re.compile(r"^  (\w+)\s+(\S+)\s+password: (\S+)$", re.MULTILINE)
DEMO_PEOPLE = {"central": "demo-central", "contact": "demo-contact", "support": "demo-support"}


def _signs_in(app, username: str, password: str) -> bool:
    """Whether these words, typed on the sign-in page, open the demo process."""
    browser = app.test_client()
    submit(browser, "/login", {"username": username, "password": password})
    return browser.get("/p/demo/").status_code == 200


def test_demo_is_safe_to_run_twice(app, runner) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        stored = db.session.query(Submission).count()
    assert stored > 0
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert db.session.query(Process).filter_by(short_name="demo").count() == 1
        demo = db.session.query(Process).filter_by(short_name="demo").one()
        roles = sorted(m.role.value for m in demo.memberships if m.is_current)
        assert roles == ["central", "contact", "support"]
        assert db.session.query(Submission).count() == stored  # the story is not told twice
    # The second run prints one sign-in per role, each of which works on the sign-in page,
    # and new passwords: those printed the first time no longer open anything.
    before = {role: (name, password) for role, name, password in SIGN_IN.findall(first.output)}
    printed = {role: (name, password) for role, name, password in SIGN_IN.findall(second.output)}
    assert {role: name for role, (name, _password) in printed.items()} == DEMO_PEOPLE
    assert len(SIGN_IN.findall(second.output)) == len(DEMO_PEOPLE)
    for role, (username, password) in printed.items():
        assert password != before[role][1], role
        assert _signs_in(app, username, password), role
        assert not _signs_in(app, username, before[role][1]), role
    assert "keeps the data and prints new passwords" in second.output


def test_demo_sign_in_works_in_the_browser_flow(app, runner, client) -> None:
    output = runner.invoke(args=["demo"]).output
    username, password = re.search(r"(demo-contact)\s+password: (\S+)", output).groups()
    submit(client, "/login", {"username": username, "password": password})
    assert client.get("/p/demo/").status_code == 200


def test_deactivate_ends_sessions(app, runner, client, auth) -> None:
    with app.app_context():
        factories.account("kim")
    auth.login("kim")
    result = runner.invoke(args=["user", "deactivate", "kim"])
    assert "1 session(s) ended" in result.output
    assert client.get("/").status_code == 302


def test_firstrun_prints_admin_link_until_someone_can_sign_in(app, runner) -> None:
    first = runner.invoke(args=["firstrun"])
    link = LINK.search(first.output)
    assert link, first.output
    again = runner.invoke(args=["firstrun"])
    newer = LINK.search(again.output)
    assert newer and newer.group(1) != link.group(1)
    client = app.test_client()
    assert client.get(link.group(1)).status_code == 404  # replaced by the newer one
    assert client.get(newer.group(1)).status_code == 302
    with app.app_context():
        admin = db.session.query(Account).filter_by(username="admin").one()
        assert admin.is_instance_admin
        factories.account("kim")
    done = runner.invoke(args=["firstrun"])
    assert "/setup/" not in done.output
    assert "/login" in done.output


def test_check_passes_on_a_migrated_database(app, runner) -> None:
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_check_fails_on_short_secret(app, runner) -> None:
    app.config["SECRET_KEY"] = "short"
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "SECRET_KEY" in result.output


@pytest.mark.sqlite_only
def test_check_says_where_guesses_are_counted(app, runner, redis_url, tmp_path) -> None:
    assert "Redis" not in runner.invoke(args=["check"]).output
    app.config["REDIS_URL"] = redis_url
    assert "counted in Redis" in runner.invoke(args=["check"]).output
    app.config["REDIS_URL"] = f"unix://{tmp_path}/gone.sock"
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0
    assert "Redis does not answer" in result.output
