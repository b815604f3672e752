"""Questionnaires in and out as files: the YAML the loader reads, and XLSForm spreadsheets."""

from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa
import yaml
from openpyxl import Workbook

from intake.extensions import db
from intake.models import Questionnaire
from intake.questionnaires import store
from tests.conftest import csrf_token

INDEX = "/p/alpha/questionnaires/"


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def _upload(client, name: str, data: bytes):
    token = csrf_token(client, INDEX)
    return client.post(
        "/p/alpha/questionnaires/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _drafts(app) -> list[dict]:
    with app.app_context():
        found = db.session.scalars(sa.select(Questionnaire).order_by(Questionnaire.id)).all()
        return [store.working_copy(q) for q in found]


def test_a_download_uploads_again_as_an_equal_draft(app, client, builder) -> None:
    page = builder.start("form:checkin")
    downloaded = client.get(f"{page}/download")
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    response = _upload(client, "mine.yaml", downloaded.data)
    assert "Imported as a draft" in _text(response)
    first, second = _drafts(app)
    assert first["sections"] == second["sections"] and first["title"] == second["title"]
    assert first["id"] != second["id"], "the service gives each questionnaire its own id"
    assert "To fix before publishing" not in _text(response)


def test_every_problem_of_an_uploaded_file_is_listed(app, client, builder) -> None:
    broken = {
        "id": "anything",
        "version": 7,
        "fill": ["link"],
        "title": {"en": "Broken", "de": "Kaputt"},
        "sections": [
            {
                "id": "one",
                "title": "One",
                "fields": [
                    {
                        "id": "early",
                        "type": "text",
                        "label": "Early",
                        "show_if": {"field": "later", "equals": "yes"},
                    },
                    {"id": "later", "type": "yes_no_unsure", "label": "Later"},
                    {"id": "later", "type": "text", "label": "Twice"},
                    {
                        "id": "pick",
                        "type": "single_choice",
                        "label": "Pick",
                        "choices": [{"value": "", "label": "A"}, {"value": "b", "label": "B"}],
                    },
                    {"id": "words", "type": "text", "label": {"en": "Words", "de": ""}},
                    {"id": "lock_version", "type": "text", "label": "Clash"},
                ],
            }
        ],
    }
    response = _upload(client, "broken.yaml", yaml.safe_dump(broken).encode())
    shown = _text(response)
    for expected in (
        "section 'one' field 'early' show_if: field 'later' must be asked earlier",
        "section 'one' field 'later': id is used twice in this form",
        "section 'one' field 'pick' choice 1: value must be a non-empty text",
        "section 'one' field 'words' label: every language needs a non-empty text; "
        "write the German",
        "section 'one' field 'lock_version': id 'lock_version' is a name the service uses itself",
    ):
        assert expected in shown, expected
    (draft,) = _drafts(app)
    assert len(draft["sections"][0]["fields"]) == 6, "kept as a draft to fix, nothing dropped"


def _xlsform() -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    rows = [
        (
            "type",
            "name",
            "label::English (en)",
            "label::German (de)",
            "hint::English (en)",
            "hint::German (de)",
            "required",
            "relevant",
            "constraint",
            "appearance",
            "parameters",
        ),
        ("begin_group", "about", "About him", "Über ihn", "", "", "", "", "", "", ""),
        (
            "select_one yn",
            "told",
            "Were you told?",
            "Wurdest du informiert?",
            "",
            "",
            "yes",
            "",
            "",
            "",
            "",
        ),
        (
            "select_multiple who",
            "told_by",
            "Who told you?",
            "Wer?",
            "",
            "",
            "",
            "${told} = 'yes'",
            "",
            "",
            "",
        ),
        (
            "text",
            "what_said",
            "What did he say?",
            "Was hat er gesagt?",
            "In your words",
            "In deinen Worten",
            "",
            "selected(${told_by}, 'him')",
            "",
            "multiline",
            "",
        ),
        ("integer", "times", "How often?", "Wie oft?", "", "", "", "", ". > 0", "", ""),
        ("date", "last_seen", "Last seen", "Zuletzt gesehen", "", "", "", "", "", "", ""),
        ("end_group", "", "", "", "", "", "", "", "", "", ""),
        ("note", "thanks_note", "Thank you", "Danke", "", "", "", "", "", "", ""),
        ("calculate", "score", "", "", "", "", "", "", "", "", ""),
        (
            "range",
            "safe",
            "How safe do you feel?",
            "Wie sicher fühlst du dich?",
            "",
            "",
            "",
            "",
            "",
            "",
            "start=1 end=5",
        ),
        (
            "text",
            "Contact-Email",
            "Where to reach you",
            "Wo erreichen wir dich",
            "",
            "",
            "",
            "${times} > 2",
            "",
            "",
            "",
        ),
        ("geopoint", "where", "Where?", "Wo?", "", "", "", "", "", "", ""),
        ("begin_repeat", "groups", "Groups he is in", "Seine Gruppen", "", "", "", "", "", "", ""),
        ("text", "group_name", "Name", "Name", "", "", "", "", "", "", ""),
        ("end_repeat", "", "", "", "", "", "", "", "", "", ""),
        ("datetime", "meeting_at", "Meeting", "Treffen", "", "", "", "", "", "", ""),
        (
            "select_one consent",
            "quote_consent",
            "May we quote you?",
            "Dürfen wir dich zitieren?",
            "",
            "",
            "yes",
            "",
            "",
            "",
            "",
        ),
    ]
    for row in rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    for row in [
        ("list_name", "name", "label::English (en)", "label::German (de)"),
        ("yn", "yes", "Yes", "Ja"),
        ("yn", "no", "No", "Nein"),
        ("who", "him", "He did", "Er selbst"),
        ("who", "others", "Others", "Andere"),
        ("consent", "yes", "Yes", "Ja"),
        ("consent", "no", "No", "Nein"),
    ]:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(("form_title", "form_id"))
    settings.append(("Friends check-in", "friends"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsform_becomes_a_draft_with_what_was_not_carried_listed(app, client, builder) -> None:
    response = _upload(client, "friends.xlsx", _xlsform())
    shown = _text(response)
    (draft,) = _drafts(app)
    assert draft["title"] == {"en": "Friends check-in", "de": "Friends check-in"}
    fields = {f["id"]: f for s in draft["sections"] for f in s["fields"]}
    assert [s["id"] for s in draft["sections"]] == ["about", "questions"]
    assert fields["told"]["type"] == "single_choice" and fields["told"]["required"] is True
    assert fields["told"]["label"] == {"en": "Were you told?", "de": "Wurdest du informiert?"}
    assert fields["told_by"]["show_if"] == {"field": "told", "in": ["yes"]}
    assert fields["what_said"]["type"] == "long_text"
    assert fields["what_said"]["show_if"] == {"field": "told_by", "in": ["him"]}
    assert fields["what_said"]["help"] == {"en": "In your words", "de": "In deinen Worten"}
    assert (fields["safe"]["type"], fields["safe"]["min"], fields["safe"]["max"]) == ("scale", 1, 5)
    assert (
        fields["groups"]["type"] == "repeat" and fields["groups"]["fields"][0]["id"] == "group_name"
    )
    assert fields["last_seen"]["type"] == "date" and fields["meeting_at"]["type"] == "datetime"
    assert "contact_email" in fields and "show_if" not in fields["contact_email"]
    # Question by question, what stayed behind.
    for expected in (
        "row 6 “times” a number in XLSForm; taken as short text",
        "row 6 “times” constraint “. > 0” not carried over",
        "row 9 “thanks_note” type “note” has no place in intake; left out",
        "row 10 “score” type “calculate” has no place in intake; left out",
        "row 12 “Contact-Email” id “Contact-Email” became “contact_email”",
        "row 12 “Contact-Email” condition “${times} > 2” not carried over: "
        "the question is always asked",
        "row 13 “where” type “geopoint” has no place in intake; left out",
    ):
        assert expected in shown, expected
    assert "To fix before publishing" not in shown, "what was carried over is a usable draft"


def test_a_spreadsheet_that_is_not_an_xlsform_is_refused_saying_why(app, client, builder) -> None:
    book = Workbook()
    book.active.append(("date", "channel", "summary"))
    out = io.BytesIO()
    book.save(out)
    shown = _text(_upload(client, "log.xlsx", out.getvalue()))
    assert "not an XLSForm: it needs a sheet named “survey”" in shown
    assert _drafts(app) == []


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notes.txt", b"hello", "Upload a .yaml file downloaded from intake, or an XLSForm"),
        ("bad.yaml", b"id: [unclosed\n", "not valid YAML (near line 2)"),
        ("list.yaml", b"- a\n- b\n", "not a questionnaire"),
        ("big.yaml", b"#" * (1024 * 1024 + 10), "larger than 1 MB"),
    ],
)
def test_files_that_cannot_be_drafts_say_what_to_fix(app, client, builder, name, data, expected):
    assert expected in _text(_upload(client, name, data))
    assert _drafts(app) == []


def test_a_ten_megabyte_upload_is_refused_with_a_message(app, client, builder) -> None:
    response = _upload(client, "huge.xlsx", b"0" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert "A questionnaire file (.yaml or .xlsx) is at most 1 MB" in _text(response)
    assert _drafts(app) == []
