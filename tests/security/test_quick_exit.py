"""The neutral site behind "Exit this page": https only, chosen by coordinators."""

import pytest

from intake.models import Role
from intake.people.membership import process_by_short_name
from intake.security import audit, quick_exit
from tests import factories
from tests.conftest import submit

MEMBERS = "/p/alpha/members"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("https://example.org/news", "https://example.org/news"),
        ("  https://weather.example.com  ", "https://weather.example.com"),
        ("", None),
    ],
)
def test_an_https_address_is_kept(typed, stored):
    assert quick_exit.checked_exit_url(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "http://example.org/",
        "javascript:alert(1)",
        "/p/alpha/",
        "https://localhost/",
        "https://user:pw@example.org/",
        "https://example.org/\nx",
        "example.org",
        "https://example.org/" + "a" * 300,
    ],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(quick_exit.BadExitAddress):
        quick_exit.checked_exit_url(typed)


def test_coordinators_choose_the_site_and_bad_input_is_kept(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    refused = submit(
        client, "/p/alpha/exit-site", {"exit_url": "http://news.example"}, page=MEMBERS
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page and 'value="http://news.example"' in page
    saved = submit(
        client, "/p/alpha/exit-site", {"exit_url": "https://news.example/today"}, page=MEMBERS
    )
    assert saved.status_code == 302
    with app.app_context():
        assert process_by_short_name("alpha").exit_url == "https://news.example/today"


def test_only_coordinators_choose_it(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
    submit(client, "/login", {"username": "sam", "password": factories.PASSWORD})
    answer = submit(
        client, "/p/alpha/exit-site", {"exit_url": "https://news.example/"}, page=MEMBERS
    )
    assert answer.status_code in (403, 404)


def test_support_pages_have_the_button_and_contact_pages_not(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
    submit(client, "/login", {"username": "sam", "password": factories.PASSWORD})
    page = client.get("/p/alpha/").get_data(as_text=True)
    assert f'href="{quick_exit.DEFAULT_EXIT_URL}" rel="noreferrer noopener" data-quick-exit' in page
    submit(client, "/logout", page="/")
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    assert "data-quick-exit" not in client.get("/p/alpha/").get_data(as_text=True)


def test_a_change_of_the_site_is_audited_and_a_refusal_or_no_change_is_not(app, client):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})

    def changes() -> list[tuple[str, str]]:
        with app.app_context():
            events = audit.events_page(process_by_short_name("alpha")).items
            return [(e.action, e.actor.username) for e in events if e.action == "exit-site-changed"]

    submit(client, "/p/alpha/exit-site", {"exit_url": "http://news.example"}, page=MEMBERS)
    assert changes() == []
    submit(client, "/p/alpha/exit-site", {"exit_url": "https://news.example/"}, page=MEMBERS)
    assert changes() == [("exit-site-changed", "kim")]
    submit(client, "/p/alpha/exit-site", {"exit_url": "https://news.example/"}, page=MEMBERS)
    assert len(changes()) == 1
    submit(client, "/p/alpha/exit-site", {"exit_url": ""}, page=MEMBERS)
    assert len(changes()) == 2
    coordinators_log = client.get("/p/alpha/audit").get_data(as_text=True)
    assert "changed where “Exit this page” leads" in coordinators_log
