"""The report-back PDF: every section true to the records, and only what may travel."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from intake.clock import today
from intake.extensions import db
from intake.models import Process, ReportBack, StepStatus, Submission
from intake.record.chronology import KINDS, kind_label
from intake.record.demands import demands_of
from intake.report.content import assemble, first_day
from intake.report.render import kind_column_mm, report_html, to_pdf
from intake.report.service import html_for
from tests.conftest import submit
from tests.fonts import width
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
    with app.app_context():
        since = first_day(db.session.get(Process, story["process_id"]))
    _content, html, pdf = _render(app, story, since, today(), whole=True)
    flat = " ".join(pdf_text(pdf).split())
    # The chronology's events and the picture are worded before the template, for the
    # process, not in the language of whoever asked (the render worker has none).
    assert "Übergabe der Unterstützungsgruppe" in flat
    assert "Treffen mit ihm" in flat and "Meeting with him" not in flat
    assert "Schritt vereinbart" in flat and "Step agreed" not in flat
    assert "Gesendete Nachrichten" in html and "Messages sent" not in html


def test_single_document_pdf_carries_only_what_may_travel(app, client, auth, story):
    auth.login("kim")
    with app.app_context():
        ids = [
            s.id
            for s in db.session.query(Submission).filter(
                Submission.form_id.in_(["handover", "minutes", "checkin"])
            )
        ]
    for submission_id in ids:
        response = client.get(f"/p/alpha/submissions/{submission_id}/pdf")
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert "attachment" in response.headers["Content-Disposition"]
        text = pdf_text(response.data)
        for marker in (NEVER, INTERNAL, NO_CONSENT):
            assert marker not in text
    with app.app_context():
        handover_id = db.session.query(Submission).filter_by(form_id="handover").one().id
    handover = client.get(f"/p/alpha/submissions/{handover_id}/pdf")
    assert "Seek critical help" in " ".join(pdf_text(handover.data).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_command_line_writes_the_same_report(app, runner, client, auth, story, tmp_path):
    """`intake report` writes what the app makes for the same period and assessment,
    and what it writes is true to the records."""
    since, until = today() - timedelta(days=300), today()
    period = {"since": since.isoformat(), "until": until.isoformat()}
    assessment = str(story["assessment_id"])
    app.config["REPORT_RENDER_INLINE"] = True
    auth.login("kim")
    asked = submit(client, "/p/alpha/reports/", {**period, "assessment": assessment})
    assert asked.status_code == 302, asked.get_data(as_text=True)[:300]
    in_app = client.get(asked.headers["Location"] + "/pdf")
    assert in_app.status_code == 200 and in_app.mimetype == "application/pdf"

    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    arguments = ["report", "alpha", "-o", str(out), "--html", str(html)]
    arguments += ["--since", period["since"], "--until", period["until"]]
    result = runner.invoke(args=[*arguments, "--assessment", assessment])
    assert result.exit_code == 0, result.output
    assert f"Wrote {out} ({since} to {until})." in result.output
    written = _flat(pdf_text(out.read_bytes()))
    assert written == _flat(pdf_text(in_app.data))
    with app.test_request_context():
        report = db.session.scalars(sa.select(ReportBack)).one()
        assert html.read_text() == html_for(report)
        demands = demands_of(db.session.get(Process, story["process_id"]))
    # True to the records: every demand in its words as they stand, the assessment chosen,
    # the consented quote; none of the words that must not travel.
    assert [d.number for d in demands] == [1, 2, 3]
    for demand in demands:
        assert _flat(demand.text) in written, demand.number
    assert "He refuses every demand. " + REPORTABLE in written
    assert REPORTABLE + " quoted (cousin)" in written
    for marker in (NEVER, INTERNAL, NO_CONSENT):
        assert marker not in written and marker not in html.read_text(), marker
    whole = runner.invoke(args=["report", "alpha", "-o", str(out), "--whole"])
    assert whole.exit_code == 0 and "Handover from the support group" in pdf_text(out.read_bytes())
    bad = runner.invoke(args=["report", "nope", "-o", str(out)])
    assert bad.exit_code == 1 and "No process named" in bad.output


def test_the_steps_not_kept_and_only_they_are_marked_in_red(app, story):
    until = today()
    with app.app_context():
        since = first_day(db.session.get(Process, story["process_id"]))
    content, html, _pdf = _render(app, story, since, until, whole=True)
    listed = html.split("<h2>Agreed steps</h2>", 1)[1].split("</section>", 1)[0]
    lines = re.findall(r'<p class="step">(.*?)</p>', listed, re.S)
    assert len(lines) == len(content.steps)
    not_kept = 0
    for step, line in zip(content.steps, lines, strict=True):
        assert line.startswith(str(escape(step.what)))
        red = re.findall(r'<span class="(overdue|missed)">', line)
        kept_or_open = not (step.overdue or step.status is StepStatus.MISSED)
        assert red == ([] if kept_or_open else ["overdue" if step.overdue else "missed"])
        not_kept += not kept_or_open
    assert 0 < not_kept < len(lines)  # the story has steps of both


def test_the_chronology_columns_are_as_wide_as_each_language_needs(app, story):
    for language in ("en", "de"):
        with app.test_request_context(), force_locale(language):
            column = kind_column_mm()
            # The kind is 8.5 pt; a point is 25.4 / 72 mm. A gap of a millimetre at least.
            widest = max(width(kind_label(kind), 8.5) for kind in KINDS) * 25.4 / 72
        assert widest + 1 < column, language
        assert column == 26 or widest + 6 > column  # no wider than needed
    with app.app_context():
        db.session.get(Process, story["process_id"]).language = "de"
        db.session.commit()
    _content, html, _pdf = _render(app, story, today() - timedelta(days=91), today())
    assert f'style="--column: {column}mm; --indent: {2 * column}mm"' in html
