"""The instance admin creates processes and first members, and sees no content."""

import re

from intake.extensions import db
from intake.models import Membership, Process
from tests import factories
from tests.conftest import submit


def test_admin_creates_process_and_first_coordinator(app, client, auth) -> None:
    with app.app_context():
        factories.account("root", admin=True)
    auth.login("root")
    response = submit(
        client,
        "/admin/processes/new",
        {"pseudonym": "X", "short_name": "case-7", "language": "de"},
    )
    assert response.headers["Location"] == "/admin/processes/case-7"
    response = submit(
        client,
        "/admin/processes/case-7",
        {"display_name": "Kim", "username": "kim", "role": "contact", "is_coordinator": "y"},
    )
    page = response.get_data(as_text=True)
    assert re.search(r"/setup/[A-Za-z0-9_-]{40,}", page)
    with app.app_context():
        process = db.session.query(Process).filter_by(short_name="case-7").one()
        assert process.language == "de"
        membership = db.session.query(Membership).one()
        assert membership.is_coordinator and membership.process_id == process.id
    # Still no way in for the admin.
    assert client.get("/p/case-7/").status_code == 404


def test_bad_short_name_is_explained_and_kept(app, client, auth) -> None:
    with app.app_context():
        factories.account("root", admin=True)
        factories.process("taken", "Y")
    auth.login("root")
    for short_name, message in [
        ("Has Spaces", "lower-case letters, digits and dashes"),
        ("taken", "already used by another process"),
    ]:
        response = submit(
            client,
            "/admin/processes/new",
            {"pseudonym": "X", "short_name": short_name, "language": "en"},
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page
        assert f'value="{short_name}"' in page


def test_admin_overview_shows_names_and_sizes(app, client, auth) -> None:
    with app.app_context():
        factories.account("root", admin=True)
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", coordinator=True)
    auth.login("root")
    page = client.get("/admin/").get_data(as_text=True)
    assert "alpha" in page
    assert "<td>1</td>" in page
