"""R4: what the survivor marks as never to be passed on stays out of titles, URLs and logs.

Members click through every page their role reaches, as a browser would. The
marker may show in the body of the handover page (that is where it lives) but
never in a page title, an address, a download, an error page or a log line.
"""

from __future__ import annotations

import html
import io
import logging
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from pypdf import PdfReader

from intake.models import Role
from tests import factories

NEVER = "NEVER-PASS-ON-7731"
INTERNAL = "INTERNAL-ONLY-2290"
LINKS = re.compile(r'(?:href|src|action)="([^"]*)"')
HREFS = re.compile(r'href="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture
def alpha(app):
    with app.app_context():
        process = factories.process("alpha", "X")
        kim = factories.member(process, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(process, "sam", Role.SUPPORT, coordinator=True).account
        factories.member(process, "cem", Role.CENTRAL)
        survivor = {
            "wants_updates": "regular",
            "never_pass_on": NEVER,
            "update_how": NEVER,
            "who_knows": INTERNAL,
            "history": INTERNAL,
        }
        factories.process_record(process, sam, handover=survivor)
        factories.record(
            process,
            "contact",
            kim,
            {"date": "2026-01-05", "channel": "email", "direction": "we_wrote", "summary": "Hi"},
        )


def crawl(client, start: str, limit: int = 250):
    """Every page reachable by GET links from ``start``, inside the process: (path, response)."""
    seen = {start}
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        response = client.get(path)
        yield path, response
        if response.mimetype != "text/html":
            continue
        for link in HREFS.findall(response.get_data(as_text=True)):
            target = urlsplit(urljoin(path, html.unescape(link)))
            if target.netloc or not target.path.startswith("/p/alpha"):
                continue
            found = target.path + (f"?{target.query}" if target.query else "")
            if found not in seen:
                seen.add(found)
                queue.append(found)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    return metadata + " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("who", ["kim", "sam", "cem"])
def test_never_marker_stays_out_of_titles_addresses_downloads_and_logs(
    app, client, auth, alpha, caplog, who
):
    caplog.set_level(logging.DEBUG)
    auth.login(who)
    pages = pdfs = 0
    for path, response in crawl(client, "/p/alpha/"):
        assert response.status_code in (200, 302), f"{who}: {path} {response.status_code}"
        assert NEVER not in path and INTERNAL not in path
        assert NEVER not in response.headers.get("Location", "")
        assert NEVER not in response.headers.get("Content-Disposition", "")
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            title = TITLE.search(body).group(1)
            assert NEVER not in title and INTERNAL not in title, path
            for link in LINKS.findall(body):
                assert NEVER not in link and INTERNAL not in link, f"{path}: {link}"
            pages += 1
        elif response.data.startswith(b"%PDF-"):  # the factory's report-back is a stand-in
            text = pdf_text(response.data)
            assert NEVER not in text and INTERNAL not in text, path
            pdfs += 1
        else:
            assert NEVER.encode() not in response.data, path
    assert pages >= (25 if who == "kim" else 5)
    if who != "cem":
        assert pdfs >= 1, "the crawl reached no single-document PDF"
    assert NEVER not in caplog.text and INTERNAL not in caplog.text


def test_error_pages_do_not_echo_what_was_asked(app, client, auth, alpha):
    auth.login("kim")
    for path in (f"/p/alpha/{NEVER}", f"/p/alpha/submissions/?q={NEVER}&page={NEVER}", f"/{NEVER}"):
        response = client.get(path)
        assert NEVER not in response.get_data(as_text=True), path
    huge = client.post("/login", data={"username": NEVER * 200_000})
    assert huge.status_code == 413 and NEVER not in huge.get_data(as_text=True)
