"""The records list in pages, newest first: each readable record once, nothing else,
and records saved at one moment (anonymous answers of a day) on one page."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import Process, Role, Submission
from intake.record import paging
from intake.submissions import listing
from tests import factories
from tests.conftest import submit
from tests.statements import statements

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
RECORD = re.compile(r'<td><a href="/p/alpha/submissions/(\d+)(/edit)?">')
MOMENT = datetime(2026, 2, 3, tzinfo=UTC)  # the start of a day, as anonymous answers keep it


@pytest.fixture
def many(app):
    """230 messages, minutes shared and not, drafts of both groups, and seven records
    saved at one moment, lying across the first page boundary."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.process_record(alpha, kim)
        for n in range(230):
            day = (MOMENT.date() - timedelta(days=n)).isoformat()
            answers = {"date": day, "direction": "we_wrote", "summary": f"n{n}"}
            factories.record(alpha, "contact", kim, answers)
        minutes = {"kind": "with_him", "planned_date": "2026-01-10", "outcome": "held"}
        shown = factories.record(alpha, "minutes", kim, {**minutes, "notes": "shown"})
        shown.shared_with_support = True
        factories.record(alpha, "minutes", kim, {**minutes, "notes": "kept"})
        factories.record(alpha, "contact", kim, {"summary": "draft"}, submit=False)
        factories.record(alpha, "handover", sam, {"wants_updates": "none"}, submit=False)
        records = db.session.scalars(
            sa.select(Submission).where(Submission.process_id == alpha.id).order_by(Submission.id)
        ).all()
        for n, record in enumerate(records):  # distinct moments, newest the last made
            record.updated_at = MOMENT + timedelta(minutes=n + 1)
        for record in records[-103:-96]:  # ranks 97 to 103 from the newest
            record.updated_at = MOMENT
        db.session.commit()
        return alpha.id


def as_member(role: Role) -> SimpleNamespace:
    """What the policy reads of a membership: its group, and whether it coordinates."""
    return SimpleNamespace(role=role, is_coordinator=False)


def _walk(app, process_id, role, size):
    with app.app_context():
        process = db.session.get(Process, process_id)
        pages, cursor = [], None
        while True:
            page = listing.records_page(process, as_member(role), before=cursor, size=size)
            pages.append(page)
            if page.older is None:
                return pages
            cursor = paging.parse_cursor(page.older)
            assert len(pages) < 300


@pytest.mark.parametrize("size", [1, 3, 100])
def test_every_readable_record_once_newest_first_both_ways(app, many, size):
    pages = _walk(app, many, Role.CONTACT, size)
    moments = [r.updated_at for p in pages for r in p.items]
    ids = [r.id for p in pages for r in p.items]
    assert len(ids) == len(set(ids)) and moments == sorted(moments, reverse=True)
    for page in pages:
        tied = [r for r in page.items if r.updated_at == MOMENT]
        assert tied == [] or len(tied) == 7, "one moment is never split"
        assert len(page.items) <= size or len(tied) == 7
    with app.app_context():
        process = db.session.get(Process, many)
        back, page = [[r.id for r in pages[-1].items]], pages[-1]
        while page.newer:
            page = listing.records_page(
                process, as_member(Role.CONTACT), after=paging.parse_cursor(page.newer), size=size
            )
            back.append([r.id for r in page.items])
        assert sorted(i for p in back for i in p) == sorted(ids)
        assert len([i for p in back for i in p]) == len(ids)


def _listed(client, user):
    submit(client, "/login", {"username": user, "password": factories.PASSWORD})
    html, seen = client.get("/p/alpha/submissions/").get_data(as_text=True), []
    while True:
        seen += [int(n) for n, _edit in RECORD.findall(html)]
        links = {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}
        if "next" not in links:
            break
        html = client.get(links["next"]).get_data(as_text=True)
    submit(client, "/logout", page="/")
    return seen


def test_each_role_lists_what_it_may_open_and_nothing_else(app, client, many):
    with app.app_context():
        everything = db.session.scalars(
            sa.select(Submission).where(Submission.process_id == many)
        ).all()
        paths = {
            r.id: f"/p/alpha/submissions/{r.id}" + ("/edit" if r.is_draft else "")
            for r in everything
        }
    for user in ("kim", "sam"):
        listed = _listed(client, user)
        assert len(listed) == len(set(listed))
        submit(client, "/login", {"username": user, "password": factories.PASSWORD})
        opens = {i for i, path in paths.items() if client.get(path).status_code == 200}
        submit(client, "/logout", page="/")
        assert set(listed) == opens, user
    assert len(_listed(client, "kim")) > 2 * paging.PAGE_SIZE


def test_a_page_reads_the_process_forms_once_and_who_saved_each_with_the_records(app, client, many):
    """The forms decide what the list shows and what may be filled in: read once a page.
    Who saved each record comes with the records, not in a question of its own."""
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    client.get("/p/alpha/submissions/")
    with app.app_context():
        engine = db.engine
    with statements(engine) as asked:
        page = client.get("/p/alpha/submissions/")
    assert page.status_code == 200
    assert sum("FROM questionnaire" in s for s in asked) == 1
    assert not [s for s in asked if s.startswith("SELECT account.")]
    assert any(s.startswith("SELECT submission.") and "JOIN account" in s for s in asked)
