"""Search in pages, newest first: each hit once, a bounded number of records read for
each page, and the query kept by the "older" links."""

import re
from types import SimpleNamespace

import pytest

from intake.extensions import db
from intake.models import Process, Role
from intake.record import paging
from intake.record import search as search_module
from intake.record.search import search
from intake.submissions import service
from tests import factories
from tests.conftest import submit
from tests.statements import statements

LINK = re.compile(r'<a href="([^"]+)" rel="(prev|next)">')
HIT = re.compile(r'<a href="/p/alpha/submissions/(\d+)">')


@pytest.fixture
def log(app):
    """A handover, a demand and a step naming the word, and 130 messages, every third
    naming it."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="Lantern")
        ids = []
        for n in range(130):
            summary = f"message {n}" + (" about the lantern" if n % 3 == 0 else "")
            answers = {"date": "2026-01-05", "direction": "we_wrote", "summary": summary}
            ids.append(factories.record(alpha, "contact", kim, answers).id)
        handover = service.first_of(alpha, "handover").id  # its demand names the word
        return alpha.id, [handover] + [i for n, i in enumerate(ids) if n % 3 == 0]


def _walk(process, word, **limits):
    pages, cursor = [], None
    while True:
        kim = SimpleNamespace(role=Role.CONTACT, is_coordinator=True)  # as the policy sees her
        page = search(process, kim, word, "en", before=cursor, **limits)
        pages.append(page)
        if page.older is None:
            return pages
        cursor = paging.parse_cursor(page.older)
        assert len(pages) < 100


@pytest.mark.parametrize(("hits", "reads"), [(7, 600), (50, 20), (1, 3)])
def test_each_hit_once_newest_first(app, log, hits, reads):
    process_id, matching = log
    with app.app_context():
        process = db.session.get(Process, process_id)
        pages = _walk(process, "LANTERN", hits_per_page=hits, reads_per_page=reads)
        found = [h for p in pages for h in p.items]
        records = [h.link[1]["submission_id"] for h in found if h.link[0] == "submissions.show"]
        assert records == sorted(matching, reverse=True)
        assert [h.link[0] for h in found[:2]] == ["demands.index", "steps.show"]
        assert [h.link[0] for h in found].count("demands.index") == 1
        assert all(len(p.items) <= hits for p in pages[1:]) and len(pages[0].items) <= hits + 2


def test_a_page_reads_a_bounded_number_of_records(app, log):
    process_id, _ = log
    with app.app_context():
        process = db.session.get(Process, process_id)
        pages = _walk(process, "no such word", reads_per_page=20)
        assert len(pages) == 7  # 131 records (the handover too), 20 at a time
        assert all(p.items == [] for p in pages)


def _walked_with_reads(app, process_id, word, **limits):
    """The pages of a search walked to the end, and the questions that read records."""
    with app.app_context():
        process = db.session.get(Process, process_id)
        with statements(db.engine) as asked:
            pages = _walk(process, word, **limits)
    return pages, [s for s in asked if "FROM submission" in s and "EXISTS" not in s]


def test_a_word_found_nowhere_reads_the_records_in_two_questions(app, log, monkeypatch):
    # A first few, which a common word fills, then the rest of the page's reads at once:
    # on PostgreSQL each question is a round trip.
    monkeypatch.setattr(search_module, "FIRST_BATCH", 10)
    pages, reads = _walked_with_reads(app, log[0], "no such word")
    assert [p.items for p in pages] == [[]]
    assert len(reads) == 2


def test_the_second_read_stops_at_the_pages_bound(app, log, monkeypatch):
    # After the first few, a page reads the rest of its bound at once and no more: each
    # record is read once over the pages, and each hit found once.
    monkeypatch.setattr(search_module, "FIRST_BATCH", 10)
    pages, reads = _walked_with_reads(app, log[0], "lantern", reads_per_page=50)
    assert len(pages) == 3  # 131 records, 50 a page
    assert len(reads) == 2 * len(pages)
    found = [
        h.link[1]["submission_id"]
        for p in pages
        for h in p.items
        if h.link[0] == "submissions.show"
    ]
    assert found == sorted(log[1], reverse=True)


def test_search_reads_the_demands_words_and_nothing_else_of_them(app, log):
    # Their status history and who proposed or decided each amendment are the demands
    # page's, each a question of its own.
    process_id, _ = log
    with app.app_context():
        process = db.session.get(Process, process_id)
        with statements(db.engine) as asked:
            pages = _walk(process, "lantern")
    assert pages[0].items[0].link[0] == "demands.index"
    assert any("FROM demand_amendment" in s for s in asked)
    assert not any("FROM demand_status_change" in s for s in asked)


def test_the_older_links_keep_the_query(app, client, log):
    _, matching = log
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    html = client.get("/p/alpha/search?q=lantern").get_data(as_text=True)
    seen = []
    while True:
        seen += [int(n) for n in HIT.findall(html)]
        links = {rel: href.replace("&amp;", "&") for href, rel in LINK.findall(html)}
        if "next" not in links:
            break
        assert "q=lantern" in links["next"]
        html = client.get(links["next"]).get_data(as_text=True)
    assert [i for i in seen if i in matching] == sorted(matching, reverse=True)


@pytest.mark.parametrize(
    ("written", "asked"),
    [
        ('he said "not now" and left', '"not now"'),  # quotes, escaped in the stored JSON
        (r"the folder C:\Briefe\2024", r"briefe\2024"),  # backslashes, escaped too
        ("first line\nsecond line", "second line"),
        ("STRASSE and Straße", "straße"),  # folded: ß is ss
        ("Übergabe am Bahnhof", "übergabe"),  # not escaped, found as written
    ],
)
def test_words_are_found_however_the_record_stores_them(app, written, asked):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        answers = {"date": "2026-01-05", "direction": "we_wrote", "summary": written}
        found = factories.record(alpha, "contact", kim, answers).id
        factories.record(alpha, "contact", kim, {**answers, "summary": "nothing here"})
        db.session.commit()
        reader = SimpleNamespace(role=Role.CONTACT, is_coordinator=True)
        page = search(db.session.get(Process, alpha.id), reader, asked, "en")
        assert [hit.link[1]["submission_id"] for hit in page.items] == [found]
