"""The report's chronology groups the routine contact log by month, lists the notable
things on their day, and adds every entry as an appendix only when asked; read back
from the real PDF."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import pytest

from intake.clock import today
from intake.extensions import db
from intake.models import Process, ReportBack
from intake.report.content import assemble, first_day
from intake.report.render import report_html, to_pdf
from intake.report.service import pdf_of
from intake.report.story import answered_words
from tests import factories
from tests.conftest import submit
from tests.report.conftest import INTERNAL, NEVER, NO_CONSENT, REPORTABLE, pdf_text

NOTE = "Says he has read the letter twice"


def _month_before_the_story() -> tuple[date, date]:
    # The demo story starts 4.3 years ago: five years back, a month of our own.
    first = (today() - timedelta(days=5 * 365)).replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _a_month_of_contacts(app, story) -> tuple[date, date]:
    first, last = _month_before_the_story()
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        kim = process.memberships[0].account

        def contact(day: int, direction: str, **more) -> None:
            answers = {
                "date": first.replace(day=day).isoformat(),
                "channel": "email",
                "direction": direction,
                "summary": INTERNAL,
                **more,
            }
            factories.record(process, "contact", kim, answers)

        for day in range(1, 8):
            contact(day, "we_wrote")
        contact(10, "he_wrote", answer_kind="real")
        contact(11, "he_wrote", answer_kind="real")
        contact(12, "he_wrote", answer_kind="acknowledgement")
        contact(14, "someone_else")
        contact(20, "we_wrote", report_note=NOTE)
    return first, last


def _flat(app, story, since: date, until: date, **kwargs) -> str:
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        html = report_html(assemble(process, since, until, **kwargs))
        return " ".join(pdf_text(to_pdf(html)).split())


def _chronology(flat: str) -> str:
    # Up to the next section, whose heading is the kind label of the steps in it.
    return flat.split(" Chronology ", 1)[1].split(" Agreed steps Find a perpetrator", 1)[0]


def test_a_month_of_routine_entries_is_one_line_and_a_noted_one_stands_alone(app, story):
    first, last = _a_month_of_contacts(app, story)
    flat = _flat(app, story, first, last)
    chronology = _chronology(flat)
    month = first.strftime("%b %Y")
    # Every entry of the month counted in its line, the noted one too.
    assert (
        f"{month} Contacts We wrote to him 8 times; he answered 3 times "
        "(2 of them real answers, the rest only acknowledgements); "
        "1 contact with someone else."
    ) in chronology
    # The noted entry on its own day, with its note; the routine ones nowhere on their own.
    noted_day = first.replace(day=20).strftime("%b %-d, %Y")
    assert f"{noted_day} Contacts We wrote to him {NOTE}" in chronology
    assert chronology.count("We wrote to him") == 2
    assert chronology.count("He answered") == 0
    assert first.replace(day=3).strftime("%b %-d, %Y") not in chronology
    for marker in (NEVER, INTERNAL, NO_CONSENT):
        assert marker not in flat


def test_a_noted_entry_keeps_its_note_in_its_block_and_other_lines_are_one_element(app, story):
    # The block is never broken across pages (report.css); a line alone needs no block
    # around it, and a five-year chronology has hundreds of lines to lay out.
    first, last = _a_month_of_contacts(app, story)
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        html = report_html(assemble(process, first, last))
    blocks = re.findall(r'<div class="event[^"]*">(.*?)</div>', html, re.S)
    assert len(blocks) == 1
    assert re.search(rf'<p class="note">{NOTE}</p>', blocks[0])
    assert re.search(r'<p class="event month"><span class="when">', html)


def test_a_month_without_an_answer_says_so(app, story):
    first, last = _month_before_the_story()
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        kim = process.memberships[0].account
        for day in (2, 9, 16):
            factories.record(
                process,
                "contact",
                kim,
                {
                    "date": first.replace(day=day).isoformat(),
                    "channel": "letter",
                    "direction": "we_wrote",
                    "summary": INTERNAL,
                },
            )
    flat = _flat(app, story, first, last)
    assert f"{first.strftime('%b %Y')} Contacts We wrote to him 3 times; he did not answer." in flat


def test_the_notable_things_of_the_whole_process_stand_on_their_own_lines(app, story):
    with app.app_context():
        since = first_day(db.session.get(Process, story["process_id"]))
    flat = _flat(app, story, since, today(), whole=True)
    chronology = _chronology(flat)
    for notable in (
        "Handover from the support group",
        "Meeting with him: held",
        "Meeting with him: missed: he did not come",
        "Demand 1: refused",  # a status change
        "Step agreed: Find a perpetrator programme and write to it",
        "No answer for",  # a silence longer than the group's limit
        "Says he needs time to think.",  # a contact's note that may travel
        f"His reflections: {REPORTABLE}",  # minutes' words that may travel
    ):
        assert notable in chronology, notable
    # Each step once, on the day it was agreed, with its deadline and how it stands.
    assert re.search(
        r"Step agreed: Find a perpetrator programme and write to it · by [A-Z][a-z]{2} "
        r"\d{1,2}, \d{4} · (done|missed|dropped|open|overdue)",
        chronology,
    )
    assert "Deadline of a step" not in chronology
    assert "Step: done" not in chronology and "Step: missed" not in chronology
    # The many reminders of the demo story (none with a note) are counted, not listed.
    assert "Contacts We wrote to him once; he did not answer." in chronology
    assert not re.findall(r"[A-Z][a-z]{2} \d{1,2}, \d{4} Contacts We wrote", chronology)
    assert "Appendix: every entry" not in flat


@pytest.mark.parametrize("asked", [False, True])
def test_every_entry_is_an_appendix_only_when_asked(app, client, auth, story, asked):
    app.config["REPORT_RENDER_INLINE"] = True  # no worker left running after the test
    first, _last = _a_month_of_contacts(app, story)
    auth.login("kim")
    form = {"since": first.isoformat(), "until": today().isoformat(), "whole": "y"}
    if asked:
        form["appendix"] = "y"
    assert submit(client, "/p/alpha/reports/", form).status_code == 302
    with app.app_context():
        report = db.session.query(ReportBack).one()
        assert report.appendix is asked
        flat = " ".join(pdf_text(pdf_of(report)).split())
    assert ("Appendix: every entry of the chronology" in flat) is asked
    routine_day = first.replace(day=3).strftime("%b %-d, %Y")
    assert (f"{routine_day} Contacts We wrote to him" in flat) is asked
    for marker in (NEVER, INTERNAL, NO_CONSENT):
        assert marker not in flat
    if asked:
        appendix = flat.split("Appendix: every entry of the chronology", 1)[1]
        assert f"We wrote to him {NOTE}" in appendix  # its note travels there too, no more


def test_the_form_offers_the_appendix_unticked(app, client, auth, story):
    auth.login("kim")
    page = client.get("/p/alpha/reports/").get_data(as_text=True)
    assert 'name="appendix"' in page
    field = page.split('name="appendix"', 1)[0].rsplit("<input", 1)[1]
    assert "checked" not in field


def test_the_month_line_in_german(app, story):
    first, last = _a_month_of_contacts(app, story)
    with app.app_context():
        db.session.get(Process, story["process_id"]).language = "de"
        db.session.commit()
    flat = _flat(app, story, first, last)
    assert "Kontakte Wir haben ihm 8-mal geschrieben; er hat 3-mal geantwortet" in flat
    assert "1 Kontakt mit jemand anderem." in flat
    assert "Anhang: jeder Eintrag" not in flat


def test_the_command_line_adds_the_appendix_when_asked(app, runner, story, tmp_path):
    out = tmp_path / "r.pdf"
    plain = runner.invoke(args=["report", "alpha", "-o", str(out), "--whole"])
    assert plain.exit_code == 0, plain.output
    assert "Appendix: every entry" not in pdf_text(out.read_bytes())
    asked = runner.invoke(args=["report", "alpha", "-o", str(out), "--whole", "--appendix"])
    assert asked.exit_code == 0, asked.output
    assert "Appendix: every entry of the chronology" in " ".join(pdf_text(out.read_bytes()).split())


def test_a_period_lists_its_steps_and_every_open_one_not_those_closed_before(app, story):
    kept_long_ago = "Send him the list of groups to inform"
    with app.test_request_context():
        process = db.session.get(Process, story["process_id"])
        quarter = assemble(process, today() - timedelta(days=91), today())
        whole = assemble(process, first_day(process), today(), whole=True)
        done = next(s for s in whole.steps if s.what == kept_long_ago)
        closing_day = assemble(process, done.agreed_on + timedelta(days=5), today())
    listed = {s.what for s in quarter.steps}
    assert kept_long_ago not in listed
    assert {s.what for s in whole.steps if s.status.value == "open"} <= listed
    assert kept_long_ago in {s.what for s in closing_day.steps}  # closed within it
    flat = _flat(app, story, today() - timedelta(days=91), today())
    steps_part = flat.split("Steps agreed, due or closed in this period", 1)[1]
    assert kept_long_ago not in steps_part


def test_answers_that_only_acknowledged_are_said_so_plainly() -> None:
    assert answered_words(1, 0) == "he answered once (only an acknowledgement)"
    assert answered_words(3, 0) == "he answered 3 times (only acknowledgements)"
    assert answered_words(3, 3) == "he answered 3 times"
    assert answered_words(3, 1) == (
        "he answered 3 times (1 of them a real answer, the rest only acknowledgements)"
    )
