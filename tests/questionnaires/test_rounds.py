"""A published questionnaire in a check-in round: answered by link, counted, reported, printed."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import sqlalchemy as sa
from pypdf import PdfReader

from intake.clock import today
from intake.extensions import db
from intake.models import Process, Questionnaire, Submission
from intake.questionnaires import store
from intake.report import content
from intake.report.render import report_html
from tests.checkins.conftest import link_post
from tests.conftest import AuthActions, submit

LINK = re.compile(r'value="https?://localhost(/c/[A-Za-z0-9_-]{40,})"')
QUOTABLE = "He says it was a misunderstanding"
UNQUOTABLE = "He laughed about it"
KEPT_HERE = "My number is 0123"


def _questionnaire(app) -> tuple[str, int]:
    """Published: a yes/no that travels, words that travel, words that never leave the page."""
    with app.app_context():
        alpha = db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))
        raw = store.blank("link")
        raw["title"] = {"en": "Group check", "de": "Gruppennachfrage"}
        raw["sections"][0]["fields"][:0] = [
            {
                "id": "told",
                "type": "yes_no_unsure",
                "travel": "report",
                "label": {"en": "Were you told?", "de": "Wurdest du informiert?"},
            },
            {
                "id": "said",
                "type": "long_text",
                "travel": "report",
                "label": {"en": "What did he say?", "de": "Was hat er gesagt?"},
            },
            {
                "id": "reach",
                "type": "text",
                "travel": "never",
                "label": {"en": "How to reach you", "de": "Wie erreichen wir dich"},
            },
        ]
        made = store.create(alpha, None, raw)
        store.publish(made, None)
        db.session.commit()
        return made.form_id, made.id


def _text(response) -> str:
    return _text_of(response.get_data(as_text=True))


def _text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _answer(app, link: str, answers: dict) -> None:
    respondent = app.test_client()
    assert respondent.get(link).status_code == 302
    response = link_post(respondent, {**answers, "anonymous": "no", "_action": "submit"})
    assert response.status_code == 200, _text(response)[:600]


def test_a_published_questionnaire_goes_out_in_a_round_and_comes_back_counted(
    app, client, people
) -> None:
    form_id, questionnaire_id = _questionnaire(app)
    AuthActions(client).login("kim")
    page = _text(client.get("/p/alpha/checkins/"))
    assert "Group check" in page
    response = submit(
        client,
        "/p/alpha/checkins/",
        {
            "title": "Spring",
            "form_id": form_id,
            "intro": "",
            "people": "friend\nflatmate",
            "days": "28",
            "send_email": "no",
        },
    )
    links = LINK.findall(response.get_data(as_text=True))
    assert len(links) == 2
    _answer(
        app, links[0], {"told": "yes", "said": QUOTABLE, "reach": KEPT_HERE, "quote_consent": "yes"}
    )
    _answer(app, links[1], {"told": "no", "said": UNQUOTABLE, "quote_consent": "no"})
    with app.app_context():
        round_id = db.session.execute(sa.text("SELECT id FROM checkin_round")).scalar()
    results = _text(client.get(f"/p/alpha/checkins/{round_id}"))
    assert "Were you told? Yes 1 No 1 Not sure 0" in results
    assert QUOTABLE in results and UNQUOTABLE in results, "members see every word"
    # The report-back counts the answers and quotes only the words agreed to be quoted.
    with app.app_context():
        alpha = db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))
        made = content.assemble(alpha, date(2020, 1, 1), today())
        ((title, answered, _questions),) = made.own_checkins
        assert (title, answered) == ("Group check", 2)
        assert made.checkins_answered == 0, "the built-in check-in counts only its own answers"
        printed = report_html(made)
    assert QUOTABLE in printed
    assert UNQUOTABLE not in printed and KEPT_HERE not in printed
    assert "How to reach you" not in printed
    # The builder says which round asked which version, and links to its results.
    built = client.get(f"/p/alpha/questionnaires/{questionnaire_id}").get_data(as_text=True)
    assert "Asked in 1 check-in round: Spring" in _text_of(built)
    assert f'href="/p/alpha/checkins/{round_id}"' in built


def test_version_one_answers_still_show_and_print_after_version_two(app, client, people) -> None:
    form_id, questionnaire_id = _questionnaire(app)
    AuthActions(client).login("kim")
    response = submit(
        client,
        "/p/alpha/checkins/",
        {"title": "R", "form_id": form_id, "people": "friend", "days": "28", "send_email": "no"},
    )
    (link,) = LINK.findall(response.get_data(as_text=True))
    _answer(app, link, {"told": "yes", "said": QUOTABLE, "quote_consent": "yes"})
    with app.app_context():
        made = db.session.get(Questionnaire, questionnaire_id)
        draft = store.working_copy(made)
        draft["sections"][0]["fields"][0]["label"] = {"en": "Changed wording", "de": "Neu"}
        store.save_draft(made, draft, made.lock_version)
        store.publish(made, None)
        db.session.commit()
        record_id = db.session.scalar(sa.select(Submission.id).where(Submission.form_id == form_id))
    shown = _text(client.get(f"/p/alpha/submissions/{record_id}"))
    assert "Were you told?" in shown and "Changed wording" not in shown
    printed = client.get(f"/p/alpha/submissions/{record_id}/pdf")
    assert printed.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.data)).pages)
    assert "Were you told?" in text and QUOTABLE in text
    versions = _text(client.get(f"/p/alpha/questionnaires/{questionnaire_id}"))
    assert "Version 2 is published" in versions
    second, first = versions.split("Version 2 ·", 1)[1].split("Version 1 ·", 1)
    assert "not asked in any check-in round yet" in second
    assert "Asked in 1 check-in round: R · sent" in first
