"""Set-up and check-in links start with BASE_URL, whatever Host a request names."""

import re

import pytest

from intake import create_app
from intake.extensions import db
from tests import factories
from tests.checkins.conftest import process_ready  # noqa: F401 (a fixture)
from tests.conftest import app_config, submit

BASE = "https://intake.example.org"


def _browser_at_a_forged_host(app):
    """Every request names another Host, as through a proxy that passes the wrong one."""
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    return client


@pytest.fixture
def based_app(database_url, instance_dir):
    app = create_app(app_config(database_url, BASE_URL=BASE + "/"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_set_up_links_use_base_url_not_the_host_header(based_app):
    with based_app.app_context():
        factories.account("root", admin=True)
        factories.process("case-7")
    client = _browser_at_a_forged_host(based_app)
    submit(client, "/login", {"username": "root", "password": factories.PASSWORD})
    response = client.post(
        "/admin/processes/case-7",
        data={
            "csrf_token": _token(client, "/admin/processes/case-7"),
            "display_name": "Kim",
            "username": "kim",
            "role": "contact",
            "is_coordinator": "y",
        },
    )
    page = response.get_data(as_text=True)
    assert re.search(re.escape(BASE) + r"/setup/[A-Za-z0-9_-]{40,}", page), page[:2000]
    assert "evil.example" not in page


def test_check_in_links_use_base_url_not_the_host_header(based_app, process_ready):  # noqa: F811
    client = _browser_at_a_forged_host(based_app)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    data = {
        "csrf_token": _token(client, "/p/alpha/checkins/"),
        "title": "Spring round",
        "form_id": "checkin",
        "intro": "We are the contact group.",
        "people": "partner",
        "days": "28",
        "send_email": "no",
    }
    page = client.post("/p/alpha/checkins/", data=data).get_data(as_text=True)
    assert re.search(re.escape(BASE) + r"/c/[A-Za-z0-9_-]{40,}", page)
    assert "evil.example" not in page


def test_command_line_set_up_link_uses_base_url(based_app):
    with based_app.app_context():
        factories.account("kim")
    result = based_app.test_cli_runner().invoke(args=["user", "setup-link", "kim"])
    assert re.search(re.escape(BASE) + r"/setup/[A-Za-z0-9_-]{40,}", result.output)


def test_check_warns_when_base_url_is_unset_in_production(database_url, instance_dir):
    production = create_app(app_config(database_url, SESSION_COOKIE_SECURE=True))
    output = production.test_cli_runner().invoke(args=["check"]).output
    assert "WARN  BASE_URL is not set" in output
    based = create_app(app_config(database_url, SESSION_COOKIE_SECURE=True, BASE_URL=BASE))
    output = based.test_cli_runner().invoke(args=["check"]).output
    assert "BASE_URL is not set" not in output and f"Links are built on {BASE}" in output
    local = create_app(app_config(database_url))  # INTAKE_LOCAL_HTTP: plain http, loopback
    assert "BASE_URL" not in local.test_cli_runner().invoke(args=["check"]).output
    for app in (production, based, local):
        with app.app_context():
            db.engine.dispose()


def _token(client, page: str) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, page)
