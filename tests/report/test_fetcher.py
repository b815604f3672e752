"""Rendering fetches nothing: not from the network, not from the disk."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tests.report.conftest import pdf_text


@pytest.fixture
def bait():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # the name http.server calls
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()


@pytest.mark.sqlite_only
def test_planted_urls_fetch_and_embed_nothing(app, bait):
    from intake.report.render import to_pdf

    port, hits = bait
    html = f"""<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <style>body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style></head>
      <body><p>start</p><img src="http://127.0.0.1:{port}/img.png">
      <img src="file:///etc/passwd"><object data="file:///etc/passwd"></object>
      <iframe src="file:///etc/hostname"></iframe><p>end</p></body></html>"""
    with app.app_context():
        pdf = to_pdf(html)
    assert hits == []
    text = pdf_text(pdf)
    assert "start" in text and "end" in text
    assert "root:" not in text


def test_answers_with_markup_are_printed_as_text(app, client, auth, story, bait):
    from intake.extensions import db
    from intake.models import Process, Submission
    from intake.submissions import service
    from tests import factories

    port, hits = bait
    planted = f'<img src="http://127.0.0.1:{port}/p.png"> <a href="file:///etc/passwd">x</a>'
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        kim = db.session.query(factories.Account).filter_by(username="kim").one()
        record = factories.record(process, "report", kim, {"assessment": planted})
        submission_id = record.id
    auth.login("kim")
    response = client.get(f"/p/alpha/submissions/{submission_id}/pdf")
    text = " ".join(pdf_text(response.data).split())
    assert f'<img src="http://127.0.0.1:{port}/p.png">' in text  # shown, not followed
    assert hits == []
    with app.app_context():
        stored = service.answers_of(db.session.get(Submission, submission_id))
    assert stored["assessment"] == planted  # kept as typed; only the printing escapes it
