"""Walk every route and prove nothing leaks to strangers (R5).

New routes are picked up automatically: each must answer an anonymous
visitor with the sign-in page, and a member of another process, or the
instance admin, with 404 for a process they are not part of.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, url_for

from intake.extensions import db
from intake.models import ActKind, ActRequest, AuditEvent, Process, Role
from intake.security.access import PUBLIC_ENDPOINTS
from intake.security.policy import RULES
from intake.security.tokens import new_token
from tests import factories
from tests.conftest import AuthActions, csrf_token

MARKER = "MARKER-7f3a9c"  # planted in the other process; must never show up


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        beta = factories.process("beta", f"Y {MARKER}")
        bo = factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        bo.account.display_name = f"Bo {MARKER}"
        factories.db.session.commit()
        factories.account("root", admin=True)
        record = factories.record(
            beta,
            "contact",
            bo.account,
            {
                "date": "2026-01-05",
                "channel": "email",
                "direction": "we_wrote",
                "summary": f"secret {MARKER}",
            },
        )
        other = factories.process_record(beta, bo.account, marker=MARKER)
        asked = ActRequest(process_id=beta.id, kind=ActKind.ERASE, requested_by_id=bo.account.id)
        factories.db.session.add(asked)
        questionnaire = factories.questionnaire(beta, bo.account, marker=MARKER)
        factories.db.session.commit()
        return {
            **other,
            "membership_id": bo.id,
            "request_id": asked.id,
            "token": new_token(),
            "submission_id": record.id,
            "form_id": "contact",
            "number": 1,
            "session_id": 1,
            "questionnaire_id": questionnaire.id,
            "section": 1,
            "section_id": "demands",
            "place": "1.1",
        }


def requests_for(app: Flask, values: dict[str, object]) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, path) for every route, with ids from the other process."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static":
                continue
            path = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, path


def call(client, method: str, path: str, token: str):
    if method == "GET":
        return client.get(path)
    return client.open(path, method=method, data={"csrf_token": token})


def test_public_endpoints_are_few_and_known() -> None:
    assert (
        frozenset(
            {
                "static",
                "health.healthz",
                "auth.login",
                "auth.setup_link",
                "auth.setup",
                "auth.second_step",
                "i18n.choose_language",
                "respond.open_link",
                "respond.page",
                "respond.confirm",
                # Check your answers and Send: only for the link held in this browser's session.
                "respond.check",
                "respond.send",
            }
        )
        == PUBLIC_ENDPOINTS
    )


def test_every_process_view_names_an_act_of_the_policy(app: Flask) -> None:
    process_endpoints = [
        rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/p/")
    ]
    assert len(process_endpoints) >= 10
    for endpoint in process_endpoints:
        view = app.view_functions[endpoint]
        assert getattr(view, "_intake_act", None) in RULES, f"{endpoint} has no @allow(Act...)"


def test_anonymous_visitor_gets_nothing(app: Flask, client, world) -> None:
    values = {"short_name": "beta", **world}
    token = csrf_token(client)
    checked = 0
    for endpoint, method, path in requests_for(app, values):
        response = call(client, method, path, token)
        body = response.get_data(as_text=True)
        assert MARKER not in body, f"{method} {path} leaked to an anonymous visitor"
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        assert response.status_code in (302, 401), f"{method} {path}: {response.status_code}"
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login"), f"{method} {path}"
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("who", ["kim", "root"])
def test_outsiders_get_404_for_a_process(app: Flask, client, auth, world, who: str) -> None:
    """A member of another process, and the instance admin, cannot open process pages."""
    auth.login(who)
    token = csrf_token(client, "/")
    checked = 0
    for _endpoint, method, path in requests_for(app, {"short_name": "beta", **world}):
        if not path.startswith("/p/"):
            continue
        response = call(client, method, path, token)
        assert response.status_code == 404, f"{who}: {method} {path} -> {response.status_code}"
        assert MARKER not in response.get_data(as_text=True)
        checked += 1
    assert checked >= 5
    # Still signed in: the 404s were not a sign-out in disguise.
    assert client.get("/").status_code == 200


OTHER_PROCESS_IDS = {
    "submission_id",
    "membership_id",
    "request_id",
    "report_id",
    "round_id",
    "link_id",
    "demand_id",
    "amendment_id",
    "step_id",
    "meeting_id",
    "questionnaire_id",
}


def refusals(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access-refused"))
        )


def test_ids_of_another_process_are_refused_and_logged(app: Flask, client, auth, world) -> None:
    """Kim coordinates alpha; every alpha route given beta's ids answers 404 and is logged."""
    auth.login("kim")
    token = csrf_token(client, "/")
    checked = 0
    # Kim's role may not use these at all; they are refused before any id is looked at.
    forbidden_to_kim = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if hasattr(view, "_intake_act") and Role.CONTACT not in RULES[view._intake_act].groups
    }
    with app.test_request_context():
        rules = [
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/p/") and rule.arguments & OTHER_PROCESS_IDS
        ]
    for rule in rules:
        with app.test_request_context():
            path = url_for(
                rule.endpoint,
                **{name: world[name] for name in rule.arguments - {"short_name"}},
                short_name="alpha",
            )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            before = len(refusals(app))
            response = call(client, method, path, token)
            assert response.status_code == 404, f"{method} {path} -> {response.status_code}"
            assert MARKER not in response.get_data(as_text=True)
            logged = refusals(app)[before:]
            assert len(logged) == 1, f"{method} {path} was not logged"
            event = logged[0]
            if rule.endpoint in forbidden_to_kim:
                assert event.subject == rule.endpoint, path
            else:
                assert event.process_id is None and event.subject.startswith("alpha/"), path
            checked += 1
    assert checked >= 20


def test_strangers_and_wrong_roles_are_logged(app: Flask, client, auth, world) -> None:
    """A stranger's attempt is the admin's to see; a member's wrong-role try, the process's."""
    with app.app_context():
        alpha = db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))
        factories.member(alpha, "sam", Role.SUPPORT)
        alpha_id = alpha.id
    auth.login("kim")
    assert client.get("/p/beta/submissions/").status_code == 404
    auth.logout()
    auth.login("sam")
    assert client.get("/p/alpha/contacts").status_code == 404
    stranger, wrong_role = refusals(app)
    assert (stranger.process_id, stranger.subject) == (None, "beta")
    assert wrong_role.process_id == alpha_id


INSTANCE_PAGES = {
    ("GET", "/admin/"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/processes/new"),
    ("POST", "/admin/processes/new"),
    ("GET", "/admin/processes/beta"),
    ("POST", "/admin/processes/beta"),
}


def test_members_cannot_reach_instance_pages(app: Flask, client, auth, world) -> None:
    """Every instance page answers a member 404; the same pages open for the instance admin.

    The list is spelled out: a new instance page fails this test until it is added,
    and the admin's visit proves the addresses are real pages, not 404s anyway."""
    instance = [
        (method, path)
        for endpoint, method, path in requests_for(app, {"short_name": "beta", **world})
        if endpoint.startswith("admin.")
    ]
    assert set(instance) == INSTANCE_PAGES and len(instance) == len(INSTANCE_PAGES)
    auth.login("kim")
    token = csrf_token(client, "/")
    for method, path in instance:
        response = call(client, method, path, token)
        assert response.status_code == 404, f"{method} {path}"
        assert MARKER not in response.get_data(as_text=True)
    root = app.test_client()
    AuthActions(root).login("root")
    for method, path in instance:
        if method == "GET":
            assert root.get(path).status_code == 200, path
