"""The audit logs in pages, newest first: every event once, in both directions."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import AuditEvent, Process, Role
from intake.record import paging
from intake.security import audit
from tests import factories
from tests.conftest import submit

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
SUBJECT = re.compile(r'<span class="quiet mono">n(\d+)</span>')


@pytest.fixture
def busy(app):
    """250 events of one process and 130 of the instance, many of them on one day."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.account("root", admin=True)
        db.session.execute(sa.delete(AuditEvent))
        start = datetime(2026, 3, 1, 9, tzinfo=UTC)
        for n in range(250):
            at = start + timedelta(days=n // 40, minutes=n)
            db.session.add(
                AuditEvent(
                    process_id=alpha.id, actor_id=kim.id, action="signin", subject=f"n{n}", at=at
                )
            )
        for n in range(130):
            db.session.add(AuditEvent(action="signin", subject=f"n{n}", at=start))
        db.session.commit()
        return alpha.id


def _walk_html(client, url):
    html, pages = client.get(url).get_data(as_text=True), []
    while True:
        pages.append([int(n) for n in SUBJECT.findall(html)])
        links = {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}
        if "next" not in links:
            return pages, html
        html = client.get(links["next"]).get_data(as_text=True)
        assert len(pages) < 10


def test_the_process_log_pages_newest_first(app, client, busy):
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    pages, last = _walk_html(client, "/p/alpha/audit")
    assert [len(p) for p in pages] == [100, 100, 50]
    assert [n for p in pages for n in p] == list(range(249, -1, -1))
    assert 'rel="prev"' in last


def test_the_instance_log_pages_where_all_fall_at_one_moment(app, client, busy):
    submit(client, "/login", {"username": "root", "password": factories.PASSWORD})
    pages, _ = _walk_html(client, "/admin/audit")
    numbers = [n for p in pages for n in p]
    assert sorted(numbers) == list(range(130)) and len(numbers) == 130
    assert numbers == sorted(numbers, reverse=True)  # written later, shown first


@pytest.mark.parametrize("size", [1, 7])
def test_pages_hold_each_event_once_both_ways(app, busy, size):
    with app.app_context():
        process = db.session.get(Process, busy)
        forward, cursor = [], None
        while True:
            page = audit.events_page(process, before=cursor, size=size)
            forward.append([e.id for e in page.items])
            if page.older is None:
                break
            cursor = paging.parse_cursor(page.older)
        flat = [i for p in forward for i in p]
        assert flat == sorted(flat, reverse=True) and len(flat) == len(set(flat)) == 250
        back, newer = [forward[-1]], page.newer
        while newer:
            page = audit.events_page(process, after=paging.parse_cursor(newer), size=size)
            back.append([e.id for e in page.items])
            newer = page.newer
        assert back == list(reversed(forward))
