"""Long histories come in pages of a bounded size; walking them shows every item once."""

import re
from datetime import timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.models import ContactEntry, Role
from intake.record import paging
from intake.submissions import service
from tests import factories
from tests.conftest import submit

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
ROW = re.compile(r'<tr class="dir-')


@pytest.fixture
def long_log(app, client):
    """250 contact entries, several on one day (the id decides their order)."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        for n in range(250):
            day = today() - timedelta(days=n // 3)
            answers = {"date": day.isoformat(), "direction": "we_wrote", "summary": f"n{n}"}
            service.save(alpha, service.definition("contact"), kim, answers, submit=True)
        db.session.commit()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    return client


def _links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}


def test_walking_older_then_newer_shows_every_entry_once(app, long_log):
    html = long_log.get("/p/alpha/contacts").get_data(as_text=True)
    sizes, seen, pages = [], [], [html]
    while "next" in _links(html):
        html = long_log.get(_links(html)["next"]).get_data(as_text=True)
        pages.append(html)
        assert len(pages) < 10, "the older links go round in a circle"
    sizes = [len(ROW.findall(p)) for p in pages]
    assert sizes == [100, 100, 50]
    assert "prev" not in _links(pages[0]) and "next" not in _links(pages[-1])
    # Back again by the "newer" links: the same pages.
    back = [pages[-1]]
    while "prev" in _links(back[-1]):
        back.append(long_log.get(_links(back[-1])["prev"]).get_data(as_text=True))
    assert [len(ROW.findall(p)) for p in back] == [50, 100, 100]
    with app.app_context():
        seen = []
        cursor = None
        while True:
            page = paging.newest_first(
                db.select(ContactEntry), ContactEntry.on, ContactEntry.id, before=cursor
            )
            assert len(page.items) <= paging.PAGE_SIZE
            seen += [(e.on, e.id) for e in page.items]
            if page.older is None:
                break
            cursor = paging.parse_cursor(page.older)
        assert len(seen) == len(set(seen)) == 250
        assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("size", [1, 7, 100])
def test_pages_of_any_size_hold_each_item_once_both_ways(app, long_log, size):
    with app.app_context():
        query = db.select(ContactEntry)
        forward, cursor = [], None
        while True:
            page = paging.newest_first(
                query, ContactEntry.on, ContactEntry.id, before=cursor, size=size
            )
            assert 0 < len(page.items) <= size
            forward.append([e.id for e in page.items])
            if page.older is None:
                break
            cursor = paging.parse_cursor(page.older)
        backward, after = [], paging.parse_cursor(page.newer) if page.newer else None
        backward.append([e.id for e in page.items])
        while after is not None:
            page = paging.newest_first(
                query, ContactEntry.on, ContactEntry.id, after=after, size=size
            )
            backward.append([e.id for e in page.items])
            after = paging.parse_cursor(page.newer) if page.newer else None
        flat = [i for p in forward for i in p]
        assert len(flat) == len(set(flat)) == 250
        assert [i for p in reversed(backward) for i in p] == flat


@pytest.mark.parametrize("cursor", ["", "yesterday", "2024-13-01.5", "2024-01-01.x", "1.2.3"])
def test_a_cursor_that_makes_no_sense_shows_the_newest_page(long_log, cursor):
    response = long_log.get(f"/p/alpha/contacts?before={cursor}&after={cursor}")
    assert response.status_code == 200
    assert len(ROW.findall(response.get_data(as_text=True))) == 100
