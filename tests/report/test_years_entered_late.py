"""Four years of a process entered afterwards, out of order, through the pages and one
import: every figure exact on the at-a-glance page, and the report-back as of an earlier
day tells the story with the figures of that day."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.models import AgreedStep, Demand, Role
from tests import factories
from tests.conftest import csrf_token, submit
from tests.report.conftest import pdf_text


def ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


# The group's old spreadsheet: the first years, typed in long ago somewhere else.
SPREADSHEET = (
    "kind,date,direction,answer,summary,note,outcome\n"
    f"contact,{ago(1490)},we_wrote,,Sent the demands.,,\n"
    f"contact,{ago(1400)},he_wrote,acknowledgement,Received.,Says he got the letter.,\n"
    f"contact,{ago(1300)},we_wrote,,Asked for a meeting.,,\n"
    f"meeting,{ago(1200)},,,,,missed\n"
    f"contact,{ago(1100)},he_wrote,real,Long answer.,Says he will read the demands.,\n"
    f"meeting,{ago(1000)},,,,,held\n"
)


@pytest.fixture
def entered(app, client, auth):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
    # The support group hands over, dated the day it happened.
    auth.login("sam")
    handover = {
        "demands-0-text": "Seek help.",
        "wants_updates": "none",
        "handed_over_on": ago(1500),
        "_action": "submit",
    }
    assert submit(client, "/p/alpha/submissions/new/handover", handover).status_code == 302
    submit(client, "/logout", page="/")
    auth.login("kim")
    # The old spreadsheet, checked and imported.
    page = "/p/alpha/contacts/import"
    shown = client.post(
        page,
        data={
            "csrf_token": csrf_token(client, page),
            "file": (io.BytesIO(SPREADSHEET.encode()), "log.csv"),
        },
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    import html

    rows = html.unescape(re.search(r'name="rows" value="([^"]*)"', shown).group(1))
    client.post(page, data={"csrf_token": csrf_token(client, page), "rows": rows})
    # The rest through the pages, newest first, as a group catches up.
    for days in (300, 600):
        contact = {
            "date": ago(days),
            "channel": "email",
            "direction": "we_wrote",
            "summary": "No answer.",
            "_action": "submit",
        }
        assert submit(client, "/p/alpha/submissions/new/contact", contact).status_code == 302
    step = {
        "what": "Read the demands",
        "owner": "him",
        "agreed_on": ago(1000),
        "deadline": ago(900),
    }
    assert submit(client, "/p/alpha/steps/new", step).status_code == 302
    with app.app_context():
        step_row = db.session.scalar(sa.select(AgreedStep))
        step_id, version = step_row.id, step_row.lock_version
        demand_id = db.session.scalar(sa.select(Demand.id))
    missed = {
        "status": "missed",
        "on": ago(890),
        "deadline": ago(900),
        "lock_version": str(version),
    }
    assert submit(client, f"/p/alpha/steps/{step_id}", missed).status_code == 302
    refused = {"status": "refused", "on": ago(550), "reason": "He wrote that he will not."}
    assert submit(client, f"/p/alpha/demands/{demand_id}/status", refused).status_code == 302
    return client


def figure(page: str, label: str) -> str:
    found = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>([^<]*)</dd>", page)
    assert found, label
    return found.group(1).strip()


def test_every_figure_of_the_years_entered_late(app, entered):
    page = entered.get("/p/alpha/").get_data(as_text=True)
    assert figure(page, "Days since his last answer") == "1000"  # the meeting he came to
    assert figure(page, "Unanswered since then") == "2"
    assert figure(page, "Longest silence, in days") == "600"  # still going
    assert figure(page, "Average days until he answered") == "145.0"  # (90 + 200) / 2
    assert figure(page, "Days to his first real answer") == "390"  # the receipt is not one
    assert figure(page, "Days to the first meeting") == "490"
    assert figure(page, "Meetings held / missed") == "1 / 1"
    assert figure(page, "Agreed steps not kept") == "1"


def test_the_report_as_of_an_earlier_day_tells_the_story(app, runner, entered, tmp_path):
    out = tmp_path / "r.pdf"
    made = runner.invoke(args=["report", "alpha", "--closing", "--until", ago(700), "-o", str(out)])
    assert made.exit_code == 0, made.output
    flat = " ".join(pdf_text(out.read_bytes()).split())
    cover, rest = flat.split("Summary", 1)
    assert "This is the closing report-back" in cover
    assert "Demand 1: not started" in cover  # refused only later, 550 days ago
    summary = rest.split("At a glance", 1)[0]
    assert (
        "Over the whole process we wrote to him 2 times; he answered 2 times (1 of them a real "
        "answer, the rest only acknowledgements); his last answer was 300 days ago."
    ) in summary
    assert "He came to 1 of 2 meetings." in summary
    assert "1 agreed step was not kept: 1 missed, 0 overdue." in summary
    chronology = rest.split("Chronology", 1)[1]
    assert "No answer for 90 days" in chronology and "No answer for 200 days" in chronology
    assert (
        "Says he got the letter." in chronology and "Says he will read the demands." in chronology
    )
    assert "No answer for 600 days" not in chronology  # after the report's last day


def test_a_step_counts_as_it_stood_on_the_day_counted(app, entered):
    from intake.models import Process
    from intake.record.glance import steps_not_kept

    with app.app_context():
        process = db.session.scalar(sa.select(Process))
        assert steps_not_kept(process, today()) == (1, 0)
        # Before it was marked missed, it was open past its deadline: overdue then.
        assert steps_not_kept(process, today() - timedelta(days=895)) == (0, 1)
        # Before its deadline it was neither.
        assert steps_not_kept(process, today() - timedelta(days=950)) == (0, 0)


def test_the_page_and_the_report_show_the_same_figures_in_the_same_words(app, entered):
    from html import unescape

    from intake.models import Process
    from intake.report.content import assemble
    from intake.report.render import report_html

    page = entered.get("/p/alpha/").get_data(as_text=True)
    figures = page.split('<dl class="figures">')[1].split("</dl>")[0]
    on_page = re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", figures)
    with app.app_context(), app.test_request_context():
        process = db.session.query(Process).filter_by(short_name="alpha").one()
        html = report_html(assemble(process, date(2000, 1, 1), today(), whole=True))
    part = html.split("Since the start, as of", 1)[1].split('<div class="timeline">')[0]
    in_report = re.findall(r'<span class="value">([^<]*)</span><span class="label">([^<:]+)', part)
    assert on_page and [(unescape(k), v) for k, v in on_page] == [
        (unescape(k), v) for v, k in in_report
    ]
