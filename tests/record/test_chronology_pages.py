"""The chronology in pages, newest first: every event once, ties kept, filters kept."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from intake.cli.demo_data import load_story
from intake.clock import today
from intake.extensions import db
from intake.models import Process, Role
from intake.record import paging
from intake.record.chronology import chronology, newest_events
from intake.submissions import service
from tests import factories
from tests.conftest import submit

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
EVENT = re.compile(r'<li class="event kind-(\w+)')


@pytest.fixture
def story(app):
    """The demo story, twelve messages on one day (ties of one kind), on the day of
    other events (ties of several kinds), and a hundred answers more."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        load_story(alpha, sam, kim, today())
        busy = chronology(alpha, today())[len(chronology(alpha, today())) // 2].on
        for n in range(12):
            answers = {"date": busy.isoformat(), "direction": "we_wrote", "summary": f"n{n}"}
            service.save(alpha, service.definition("contact"), kim, answers, submit=True)
        for n in range(100):  # more than a page of filtered events
            day = (today() - timedelta(days=40 + 3 * n)).isoformat()
            answers = {"date": day, "direction": "he_wrote", "summary": f"m{n}"}
            service.save(alpha, service.definition("contact"), kim, answers, submit=True)
        db.session.commit()
        return alpha.id


def _walk(process, size, **filters):
    pages, cursor = [], None
    while True:
        page = newest_events(process, today(), before=cursor, size=size, **filters)
        assert len(page.items) <= size
        pages.append(page)
        if page.older is None:
            return pages
        cursor = paging.parse_cursor(page.older)
        assert len(pages) < 500, "the older links go round in a circle"


@pytest.mark.parametrize("size", [1, 5, 100])
def test_pages_hold_every_event_once_newest_first(app, story, size):
    with app.app_context():
        process = db.session.get(Process, story)
        whole = chronology(process, today())
        pages = _walk(process, size)
        walked = [e for p in pages for e in p.items]
        assert walked == list(reversed(whole))
        assert all(len(p.items) == size for p in pages[:-1])
        # Back by the "newer" links: the same pages, in the other direction.
        back, page = [pages[-1].items], pages[-1]
        while page.newer:
            page = newest_events(process, today(), after=paging.parse_cursor(page.newer), size=size)
            back.append(page.items)
        assert back == [p.items for p in reversed(pages)]


def test_same_day_ties_are_split_without_loss(app, story):
    with app.app_context():
        process = db.session.get(Process, story)
        whole = chronology(process, today())
        days = [e.on for e in whole]
        busy = max(set(days), key=days.count)
        assert days.count(busy) >= 13 and len({e.kind for e in whole if e.on == busy}) >= 2
        pages = _walk(process, 5)
        split = [p for p in pages if p.items and p.items[-1].on == busy and p.older]
        assert split, "some page ends within the busy day"
        assert [e for p in pages for e in p.items if e.on == busy] == [
            e for e in reversed(whole) if e.on == busy
        ]


def test_filters_hold_across_pages(app, story):
    with app.app_context():
        process = db.session.get(Process, story)
        since, until = today() - timedelta(days=3000), today() - timedelta(days=30)
        filters = {"kinds": {"contact", "step"}, "since": since, "until": until}
        whole = chronology(process, today(), **filters)
        assert len(whole) > 14
        walked = [e for p in _walk(process, 7, **filters) for e in p.items]
        assert walked == list(reversed(whole))


def test_the_page_links_keep_every_filter(app, client, story):
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    since = (today() - timedelta(days=3000)).isoformat()
    url = f"/p/alpha/chronology?kind=contact&kind=step&since={since}"
    html = client.get(url).get_data(as_text=True)
    kinds_seen, pages = set(), 0
    while True:
        pages += 1
        kinds_seen |= set(EVENT.findall(html))
        links = {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}
        if "next" not in links:
            break
        assert "kind=contact" in links["next"] and "kind=step" in links["next"]
        assert f"since={since}" in links["next"]
        html = client.get(links["next"]).get_data(as_text=True)
        assert pages < 50
    assert pages > 1 and kinds_seen == {"contact", "step"}
    first = client.get(url).get_data(as_text=True)
    assert len(EVENT.findall(first)) == paging.PAGE_SIZE


def test_a_page_is_one_question_to_the_database(app, story):
    """All places of the record are read in one query, however the page is asked for."""
    with app.app_context():
        process = db.session.get(Process, story)
        newest_events(process, today(), size=5)  # the silences are counted once per log
        second = newest_events(process, today(), size=5)
        asked = [
            {"size": 5},
            {"size": 5, "before": paging.parse_cursor(second.older)},
            {"size": 5, "after": paging.parse_cursor(second.older)},
            {"size": 5, "kinds": {"contact", "step"}, "since": today() - timedelta(days=900)},
            {"kinds": {"meeting"}, "until": today()},
        ]
        seen: list[str] = []

        def count(_conn, _cursor, statement, *_args):
            seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            for question in asked:
                seen.clear()
                page = newest_events(process, today(), **question)
                assert page.items, question
                assert len(seen) == 1, (question, seen)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
