"""The report-back PDF: every section true to the records, and only what may travel."""

from datetime import date, timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.models import Process, Submission
from intake.report.content import assemble, first_day
from intake.report.render import report_html, to_pdf
from tests.report.conftest import INTERNAL, NEVER, NO_CONSENT, REPORTABLE, pdf_text


def _render(app, story, since, until, whole=False):
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        assessment = db.session.get(Submission, story["assessment_id"])
        content = assemble(process, since, until, whole=whole, assessment=assessment)
        html = report_html(content)
        return content, html, to_pdf(html)


@pytest.mark.parametrize("whole", [False, True])
def test_sections_follow_the_records_and_markers_stay_out(app, story, whole):
    until = today()
    with app.app_context():
        since = (
            first_day(db.session.get(Process, story["process_id"]))
            if whole
            else (until - timedelta(days=91))
        )
    content, html, pdf = _render(app, story, since, until, whole)
    text = pdf_text(pdf)
    for marker in (NEVER, INTERNAL, NO_CONSENT):
        assert marker not in html, marker
        assert marker not in text, marker
    flat = " ".join(text.split())
    assert "Report-back" in flat and "Process about X" in flat and "Confidential" in flat
    # At a glance: the figures as computed from the log.
    s = content.silence
    assert f"{s.days_since_last_answer} Days since his last answer" in flat
    assert f"{s.unanswered_since_last_answer} Unanswered since then" in flat
    assert f"{s.meetings_held} / {s.meetings_missed} Meetings held / missed" in flat
    assert "Since the start, as of" in flat and "In this period" in flat
    assert "How these figures are counted" in flat
    # Demands: status now and at the start, and word for word in the appendix.
    assert "Demand 1: refused" in flat
    assert "Seek critical help, such as a perpetrator programme" in flat
    assert "say in advance when he cannot" in flat  # the approved amendment
    # Assessment and consented quotes, and nothing else of the check-ins' words.
    assert "He refuses every demand." in flat
    assert REPORTABLE + " quoted (cousin)" in flat
    assert "Were you told about his abusive behaviour?" in flat
    if whole:
        assert "Handover from the support group" in flat
        assert "Find a perpetrator programme and write to it" in flat
    else:
        assert "Handover from the support group" not in flat
        assert "We wrote to him" in flat


def test_pdf_metadata_has_a_title_and_no_author(app, story):
    import io

    from pypdf import PdfReader

    _content, _html, pdf = _render(app, story, today() - timedelta(days=30), today())
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert "Report-back" in meta.title and "X" in meta.title
    assert not meta.author
    assert meta.get("/Producer")


def test_german_report(app, story):
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        process.language = "de"
        db.session.commit()
    _content, _html, pdf = _render(app, story, today() - timedelta(days=91), today())
    flat = " ".join(pdf_text(pdf).split())
    assert "Rückmeldebericht" in flat and "Prozess zu X" in flat
    assert "Forderung 1: verweigert" in flat
    assert "Vertraulich" in flat


def test_single_document_pdf_carries_only_what_may_travel(app, client, auth, story):
    auth.login("kim")
    with app.app_context():
        ids = [
            s.id
            for s in db.session.query(Submission).filter(
                Submission.form_id.in_(["handover", "minutes", "checkin"])
            )
        ]
    for record_id in ids:
        response = client.get(f"/p/alpha/records/{record_id}/pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        text = pdf_text(response.data)
        for marker in (NEVER, INTERNAL, NO_CONSENT):
            assert marker not in text
    with app.app_context():
        handover_id = db.session.query(Submission).filter_by(form_id="handover").one().id
    handover = client.get(f"/p/alpha/records/{handover_id}/pdf")
    assert "Seek critical help" in " ".join(pdf_text(handover.data).split())


def test_command_line_writes_the_same_report(app, runner, story, tmp_path):
    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = runner.invoke(
        args=[
            "report",
            "alpha",
            "-o",
            str(out),
            "--html",
            str(html),
            "--since",
            "2026-01-01",
            "--until",
            "2026-11-01",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        in_app = report_html(assemble(process, date(2026, 1, 1), date(2026, 11, 1)))
        in_app_pdf = to_pdf(in_app)
    assert html.read_text() == in_app
    assert NEVER not in in_app
    text = " ".join(pdf_text(out.read_bytes()).split())
    assert text == " ".join(pdf_text(in_app_pdf).split())
    whole = runner.invoke(args=["report", "alpha", "-o", str(out), "--whole"])
    assert whole.exit_code == 0 and "Handover from the support group" in pdf_text(out.read_bytes())
    bad = runner.invoke(args=["report", "nope", "-o", str(out)])
    assert bad.exit_code == 1 and "No process named" in bad.output
