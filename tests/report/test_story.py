"""A report-back that tells the story: cover, summary in words, travel notes, nothing empty."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask_babel import Babel

from intake.clock import today
from intake.extensions import db
from intake.models import (
    DemandStatus,
    Process,
    ReportBack,
    Submission,
)
from intake.record.silence import Period, Silence
from intake.report.content import assemble
from intake.report.render import report_html, to_pdf
from intake.report.story import summary
from intake.submissions import service
from tests import factories
from tests.report.conftest import INTERNAL, NEVER, REPORTABLE, pdf_text

SINCE, UNTIL = date(2026, 1, 1), date(2026, 3, 31)


def silence(**figures) -> Silence:
    base = dict(
        days_since_last_answer=204,
        ever_answered=True,
        unanswered_since_last_answer=5,
        longest_silence_days=204,
        average_days_to_answer=30.0,
        days_to_first_real_answer=40,
        days_to_first_meeting=90,
        meetings_held=1,
        meetings_missed=1,
        steps_missed=0,
        steps_overdue=1,
    )
    return Silence(**{**base, **figures})


@pytest.fixture
def words() -> Flask:
    """English words only, no database: the summary is made from figures alone."""
    app = Flask(__name__)
    Babel(app)
    return app


def test_the_summary_says_it_in_words(words) -> None:
    period = Period(
        SINCE, UNTIL, messages_sent=7, answers=2, real_answers=2, meetings_held=1, meetings_missed=1
    )
    statuses = [DemandStatus.REFUSED, DemandStatus.IN_PROGRESS, DemandStatus.NOT_STARTED]
    with words.test_request_context():
        said = summary(period, silence(), statuses, steps_agreed=3)
    assert said == [
        "In this period we wrote to him 7 times; he answered 2 times; "
        "his last answer was 204 days ago.",
        "He came to 1 of 2 meetings.",
        "0 of 3 demands are met, 1 refused.",
        "1 agreed step was not kept: 0 missed, 1 overdue.",
    ]


def test_the_summary_of_silence_and_acknowledgements(words) -> None:
    period = Period(
        SINCE, UNTIL, messages_sent=1, answers=3, real_answers=1, meetings_held=0, meetings_missed=0
    )
    recent = silence(days_since_last_answer=12, steps_overdue=0)
    with words.test_request_context():
        said = summary(period, recent, [], steps_agreed=2, whole=True)
        quiet = summary(
            Period(SINCE, UNTIL, 0, 0, 0, 0, 0),
            silence(ever_answered=False, steps_overdue=0),
            [],
            steps_agreed=0,
        )
    assert said[0] == (
        "Over the whole process we wrote to him once; he answered 3 times "
        "(1 of them a real answer, the rest only acknowledgements); "
        "his last answer was 12 days ago."
    )
    assert "No meeting with him was held or missed." in said
    assert "Every agreed step due so far was kept." in said
    assert (
        quiet[0]
        == "In this period we did not write to him; he did not answer; he has never answered."
    )
    assert not any("demand" in s for s in quiet)  # no demands: no sentence pretending there are


def _pdf(app, story, *, with_assessment: bool = False, **kwargs):
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        if with_assessment:
            kwargs["assessment"] = db.session.get(Submission, story["assessment_id"])
        content = assemble(process, **kwargs)
        html = report_html(content)
        return content, " ".join(pdf_text(to_pdf(html)).split())


def test_cover_summary_and_assessment_come_first(app, story):
    _content, flat = _pdf(
        app,
        story,
        since=today() - timedelta(days=91),
        until=today(),
        whole=True,
        closing=True,
        with_assessment=True,
        made_on=date(2026, 5, 2),
    )
    cover = flat.split("Summary", 1)[0]
    assert "This is the closing report-back" in cover
    assert "Where the demands stand Demand 1: refused" in cover
    assert "Made on May 2, 2026" in cover
    summary_part = flat.split("Summary", 1)[1].split("At a glance", 1)[0]
    assert "Over the whole process we wrote to him" in summary_part
    assert "He refuses every demand." in summary_part  # the assessment, before the details


def test_the_chronology_carries_what_may_travel(app, story):
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        kim = process.memberships[0].account
        factories.record(
            process,
            "contact",
            kim,
            {
                "date": (today() - timedelta(days=3)).isoformat(),
                "channel": "email",
                "direction": "he_wrote",
                "answer_kind": "real",
                "summary": INTERNAL,
                "report_note": "Says he is not like other perpetrators.",
            },
        )
    content, flat = _pdf(app, story, since=today() - timedelta(days=91), until=today())
    assert "He answered Says he is not like other perpetrators." in flat
    assert f"His reflections: {REPORTABLE}" in flat  # from minutes, marked to travel
    for marker in (NEVER, INTERNAL):
        assert marker not in flat
    # Each record's words appear once, under one of its events.
    assert flat.count("Says he is not like other perpetrators.") == 1
    assert sum(len(lines) for lines in content.notes.values()) == len(
        {line for lines in content.notes.values() for line in lines}
    )


def test_no_check_in_section_when_none_were_sent(app, story):
    long_ago = date(2020, 1, 1)
    _content, flat = _pdf(app, story, since=long_ago, until=long_ago + timedelta(days=30))
    assert "Check-ins" not in flat
    _content, flat = _pdf(app, story, since=today() - timedelta(days=30), until=today())
    assert "2 check-ins were sent in this period. 2 answers came back." in flat


def test_made_on_is_the_day_the_report_was_requested(app, client, auth, story):
    app.config["REPORT_RENDER_INLINE"] = True  # no worker left running after the test
    auth.login("kim")
    from tests.conftest import submit

    response = submit(
        client,
        "/p/alpha/reports/",
        {"since": "2026-01-01", "until": today().isoformat(), "closing": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.query(ReportBack).one()
        assert report.closing and report.whole
        report.created_at -= timedelta(days=10)
        db.session.commit()
        from intake.report.service import html_for

        with app.test_request_context():
            html = html_for(db.session.get(ReportBack, report.id))
    made = (today() - timedelta(days=10)).strftime("%b %-d, %Y")
    assert f"Made on {made}." in " ".join(html.split())


def test_the_command_line_takes_the_assessment(app, runner, story, tmp_path):
    out = tmp_path / "r.pdf"
    latest = runner.invoke(args=["report", "alpha", "-o", str(out), "--assessment", "latest"])
    assert latest.exit_code == 0, latest.output
    assert "He refuses every demand." in pdf_text(out.read_bytes())
    chosen = runner.invoke(
        args=["report", "alpha", "-o", str(out), "--assessment", str(story["assessment_id"])]
    )
    assert chosen.exit_code == 0 and "He refuses every demand." in pdf_text(out.read_bytes())
    wrong = runner.invoke(args=["report", "alpha", "-o", str(out), "--assessment", "99999"])
    assert wrong.exit_code == 1
    assert f"Its assessments: {story['assessment_id']}, " in wrong.output  # newest first
    with app.app_context():
        assert service.first_of(db.session.get(Process, story["process_id"]), "report")
