"""Bad input never answers 500: every id in every route, every form's buttons.

The routes and forms are walked, not listed, so a new one is covered as soon as
it exists. Each test runs on SQLite and on PostgreSQL, which fail differently
(PostgreSQL on numbers past 32 bits, SQLite past 64).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from intake.checkins.private_links import Person, start_round
from intake.converters import MAX_ID
from intake.extensions import db
from intake.formdef import FormDefinition
from intake.models import Account, Process, Role
from intake.submissions import service
from tests import factories
from tests.conftest import csrf_token

SWEEP = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KEPT = "words-typed-3e1"
NO_BUTTON = "This form has no such button"


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """A process with a whole record (handover, step, meeting, round, report-back)."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
        return factories.process_record(alpha, kim.account)


def signed_in(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = csrf_token(client)
    client.post(
        "/login", data={"csrf_token": token, "username": username, "password": factories.PASSWORD}
    )
    return client, csrf_token(client, "/")


def id_routes(app: Flask, ident: int) -> Iterator[tuple[str, str]]:
    """(method, path) for every route that takes an id, each id set to ``ident``."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            ids = {n for n in rule.arguments if isinstance(rule._converters[n], IntegerConverter)}
            if not ids:
                continue
            values = {name: ident for name in ids}
            if "short_name" in rule.arguments:
                values["short_name"] = "alpha"
            if "place" in rule.arguments:  # a question's place in a questionnaire
                values["place"] = "1.1"
            if "section_id" in rule.arguments:  # a section of a form filled in from a task list
                values["section_id"] = "demands"
            path = url_for(rule.endpoint, **values)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield method, path


def test_every_id_route_is_walked(app: Flask) -> None:
    paths = {path for _method, path in id_routes(app, 7)}
    assert len(paths) >= 20
    assert "/p/alpha/submissions/7/history/7" in paths


@pytest.fixture
def members(app: Flask, world) -> dict[str, tuple[FlaskClient, str]]:
    """Kim (contact group) and Sam (support group), signed in once for every example."""
    return {name: signed_in(app, name) for name in ("kim", "sam")}


@SWEEP
@given(
    ident=st.one_of(
        st.integers(min_value=MAX_ID + 1, max_value=2**90),
        st.integers(min_value=1, max_value=MAX_ID),
        st.just(0),
    )
)
@example(ident=10**23)
@example(ident=2**63)
@example(ident=2**31)
@example(ident=MAX_ID)
def test_no_id_answers_500(app: Flask, members, ident: int) -> None:
    """Any number in any id of any route: the page, or 404; never a database error."""
    for username, (client, token) in members.items():
        for method, path in id_routes(app, ident):
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code < 500, f"{username}: {method} {path}"
            if ident > MAX_ID or ident == 0:
                assert response.status_code == 404, f"{method} {path}"


@pytest.mark.parametrize(
    "query", ["meeting=99999999999999999999999", "meeting=2147483648", "meeting=-1"]
)
def test_ids_in_query_strings_are_not_found(app: Flask, world, query: str) -> None:
    client, _token = signed_in(app, "kim")
    assert client.get(f"/p/alpha/submissions/new/minutes?{query}").status_code == 404


@pytest.mark.parametrize("version", ["abc", "²", "99999999999999999999999", "2147483648", "-1", ""])
def test_a_garbled_version_reads_as_a_change_meanwhile(app: Flask, world, version: str) -> None:
    """The hidden version field names no version a row can have: 'changed meanwhile'."""
    client, token = signed_in(app, "kim")
    step = client.post(
        f"/p/alpha/steps/{world['step_id']}",
        data={
            "csrf_token": token,
            "status": "done",
            "deadline": "2026-05-01",
            "reason": KEPT,
            "lock_version": version,
        },
    )
    assert step.status_code == 409
    assert KEPT in step.get_data(as_text=True)
    meeting = client.post(
        f"/p/alpha/meetings/{world['meeting_id']}/outcome",
        data={"csrf_token": token, "state": "cancelled", "lock_version": version},
        follow_redirects=True,
    )
    if version:
        assert "Someone changed this meeting meanwhile" in meeting.get_data(as_text=True)
    else:  # the form is incomplete
        assert meeting.status_code == 400
    record = client.post(
        "/p/alpha/submissions/new/contact",
        data={"csrf_token": token, "_action": "draft", "summary": KEPT, "lock_version": version},
    )
    assert record.status_code == 302  # a new record starts from no version


# ---------------------------------------------------------------- buttons


def _field_ids(definition: FormDefinition) -> set[str]:
    found = set()
    for spec in definition.fields():
        found.add(spec.id)
        found.update(sub.id for sub in spec.fields)
    return found


def _text_field(definition: FormDefinition) -> str:
    return next(s.id for s in definition.fields() if s.type in ("text", "long_text"))


def action_values(definition: FormDefinition) -> Iterator[tuple[str, bool]]:
    """(value, whether this form has that button) for every field and a few odd shapes."""
    groups = {s.id for s in definition.fields() if s.type == "repeat"}
    for name in sorted(_field_ids(definition) | {"csrf_token", "", "nope"}):
        yield f"add:{name}", name in groups
    for name in sorted(groups) or ["nope"]:
        yield f"remove:{name}:0", name in groups
        for index in ("²", "٣", "-1", "99999999999999999999", "0:0", ""):
            yield f"remove:{name}:{index}", False
        yield f"add:{name}:1", False
    for odd in ("", ":", "add", "remove", "SUBMIT", "submit ", "draft\n", "add::", "x" * 300):
        yield odd, False


def post_every_button(client: FlaskClient, path: str, token: str, definition: FormDefinition):
    for value, exists in action_values(definition):
        typed = {"csrf_token": token, "_action": value, _text_field(definition): KEPT}
        response = client.post(path, data=typed)
        assert response.status_code < 500, f"{path} _action={value!r}"
        body = response.get_data(as_text=True)
        if exists:
            assert response.status_code == 200, f"{path} _action={value!r}"
        else:
            assert response.status_code == 400, f"{path} _action={value!r}"
            assert NO_BUTTON in body, value
        assert KEPT in body, f"{path} _action={value!r} lost the words"


def definitions(app: Flask) -> list[FormDefinition]:
    with app.app_context():
        return list(service.definitions().values())


def form_path(app: Flask, definition: FormDefinition) -> str:
    """Where a member fills this form in: a form filled in once is edited from then on."""
    with app.app_context():
        process = db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))
        existing = service.first_of(process, definition.id) if definition.once else None
        if existing is not None:
            return f"/p/alpha/submissions/{existing.id}/edit"
    return f"/p/alpha/submissions/new/{definition.id}"


def test_every_button_value_of_every_member_form(app: Flask, members) -> None:
    """Every form a member fills in, every field name in every button shape."""
    checked = 0
    for definition in definitions(app):
        for username, role in (("kim", Role.CONTACT), ("sam", Role.SUPPORT)):
            if role.value in definition.fill:
                client, token = members[username]
                post_every_button(client, form_path(app, definition), token, definition)
                checked += 1
    assert checked >= 4


def test_every_button_value_of_every_link_form(app: Flask, world) -> None:
    """The questionnaires people fill in through a private link, without an account."""
    link_forms = [d for d in definitions(app) if "link" in d.fill]
    assert {d.id for d in link_forms} >= {"checkin", "reflection"}
    for definition in link_forms:
        with app.app_context():
            alpha = db.session.scalar(db.select(Process).where(Process.short_name == "alpha"))
            kim = db.session.scalar(db.select(Account).where(Account.username == "kim"))
            _round, issued = start_round(
                alpha,
                title="t",
                form_id=definition.id,
                intro="",
                people=[Person("p", "")],
                days=7,
                by=kim,
            )
            db.session.commit()
            link = issued[0].token
        client = app.test_client()
        client.get(f"/c/{link}")
        post_every_button(client, "/c", csrf_token(client, "/c"), definition)


@SWEEP
@given(value=st.text(max_size=60))
def test_any_button_value_is_answered(app: Flask, members, value: str) -> None:
    client, token = members["kim"]
    response = client.post(
        "/p/alpha/submissions/new/minutes",
        data={"csrf_token": token, "_action": value, "attended": KEPT},
    )
    assert response.status_code in (200, 302, 400, 422), repr(value)


def test_adding_past_the_maximum_is_refused_with_the_words_kept(app: Flask, members) -> None:
    client, token = members["sam"]
    demands = {f"demands-{i}-text": f"{KEPT} {i}" for i in range(20)}
    handover = next(d for d in definitions(app) if d.id == "handover")
    response = client.post(
        form_path(app, handover),
        data={"csrf_token": token, "_action": "add:demands", **demands},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Add at most 20." in body
    assert f"{KEPT} 19" in body
