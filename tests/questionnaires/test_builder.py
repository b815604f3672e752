"""The builder, used as a browser without script uses it: pages, forms and buttons."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import Questionnaire
from intake.questionnaires import store
from tests.conftest import AuthActions, csrf_token, submit


def _draft(app) -> dict:
    with app.app_context():
        return store.working_copy(db.session.scalars(sa.select(Questionnaire)).one())


def _ids(app) -> list[list[str]]:
    return [[f["id"] for f in s["fields"]] for s in _draft(app)["sections"]]


def _text(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def test_add_edit_move_and_remove_questions_and_sections(app, client, builder) -> None:
    page = builder.start()
    assert _ids(app) == [["quote_consent"]], "a link questionnaire starts with the consent question"
    added = builder.press(page, "add_question:1")
    assert added.headers["Location"].endswith("/questions/1.2")
    response = builder.question(
        page,
        "1.2",
        field_id="seen",
        kind="yes_no_unsure",
        label_en="Have you seen him?",
        label_de="Hast du ihn gesehen?",
        travel="report",
    )
    assert response.status_code == 302
    builder.press(page, "up:1.2")
    assert _ids(app) == [["seen", "quote_consent"]]
    builder.press(page, "down:1.1")
    assert _ids(app) == [["quote_consent", "seen"]]
    builder.press(page, "add_section")
    builder.press(page, "add_question:2")
    assert _ids(app) == [["quote_consent", "seen"], ["question_1"]]
    builder.press(page, "section_up:2")
    assert _ids(app) == [["question_1"], ["quote_consent", "seen"]]
    builder.press(page, "remove:1.1")
    builder.press(page, "section_remove:1")
    assert _ids(app) == [["quote_consent", "seen"]]
    shown = _text(client.get(page))
    assert "Have you seen him?" in shown and "may appear in report-backs" in shown


def test_every_kind_with_choices_scale_labels_a_group_and_a_condition(app, client, builder) -> None:
    page = builder.start("blank:contact")
    kinds = {
        "text": {},
        "long_text": {},
        "single_choice": {"choices": "a | A | A-de\nb | B | B-de"},
        "multiple_choice": {"choices": "x | X | X-de\ny | Y | Y-de"},
        "yes_no_unsure": {},
        "date": {},
        "datetime": {},
        "scale": {
            "scale_min": "1",
            "scale_max": "4",
            "scale_labels": "1 | Low | Niedrig\n4 | High | Hoch",
        },
        "email": {},
        "repeat": {},
    }
    for n, (kind, extra) in enumerate(kinds.items(), 1):
        builder.press(page, "add_question:1")
        response = builder.question(
            page,
            f"1.{n}",
            field_id=f"q_{kind}",
            kind=kind,
            label_en=f"{kind} en",
            label_de=f"{kind} de",
            **extra,
        )
        if kind != "repeat":
            assert response.status_code == 302, _text(response)[:800]
    # A repeating group needs questions of its own; the builder says so, and keeps it.
    assert "needs fields" in _text(response)
    builder.press(page, "add_question:1.10")
    builder.question(page, "1.10.1", field_id="what", kind="text", label_en="What", label_de="Was")
    response = builder.question(
        page,
        "1.9",
        field_id="q_email",
        kind="email",
        label_en="Mail",
        label_de="Post",
        travel="never",
        show_if_field="q_yes_no_unsure",
        show_if_values="yes, unsure",
    )
    assert response.status_code == 302
    draft = _draft(app)
    fields = {f["id"]: f for f in draft["sections"][0]["fields"]}
    assert fields["q_scale"]["labels"] == {
        "1": {"en": "Low", "de": "Niedrig"},
        "4": {"en": "High", "de": "Hoch"},
    }
    assert fields["q_email"]["show_if"] == {"field": "q_yes_no_unsure", "in": ["yes", "unsure"]}
    assert fields["q_repeat"]["fields"][0]["id"] == "what"
    with app.app_context():
        made = db.session.scalars(sa.select(Questionnaire)).one()
        assert store.problems_of(made, draft) == []
    preview = client.get(f"{page}/preview?language=de")
    assert preview.status_code == 200
    text = _text(preview)
    for kind in kinds:
        assert (f"{kind} de" if kind != "email" else "Post") in text
    assert "Niedrig" in text and "A-de" in text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"field_id": "csrf_token"}, "'csrf_token' is a name the service uses itself"),
        ({"label_de": ""}, "write the German"),
        (
            {"kind": "single_choice", "choices": " | Yes | Ja\nno | No | Nein"},
            "choice 1: value must be",
        ),
        ({"show_if_field": "later"}, "must be asked earlier"),
    ],
)
def test_a_wrong_question_is_kept_and_the_place_to_fix_is_named(
    app, client, builder, values, expected
) -> None:
    page = builder.start("blank:contact")
    builder.press(page, "add_question:1")
    builder.press(page, "add_question:1")
    builder.question(
        page, "1.2", field_id="later", kind="yes_no_unsure", label_en="L", label_de="L"
    )
    typed = {
        "field_id": "mine",
        "kind": "text",
        "label_en": "Typed words",
        "label_de": "Getippt",
        **values,
    }
    response = builder.question(page, "1.1", **typed)
    assert response.status_code == 422
    assert expected in _text(response)
    assert "Typed words" in response.get_data(as_text=True), "what was typed is on the page"
    stored = _draft(app)["sections"][0]["fields"][0]
    assert stored["label"]["en"] == "Typed words", "and kept in the draft"
    assert expected in _text(client.get(page)), "the questionnaire page lists it too"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"field_id": "csrf_token"},
            "Abschnitt 'questions', Frage 'csrf_token': die ID 'csrf_token' verwendet der Dienst",
        ),
        (
            {"label_de": ""},
            "Beschriftung (label): jede Sprache braucht einen Text; es fehlt: Deutsch",
        ),
        (
            {"kind": "single_choice", "choices": " | Yes | Ja\nno | No | Nein"},
            "Frage 'mine', Auswahl 1: value muss ein nicht leerer Text sein",
        ),
        ({"show_if_field": "later"}, "die Frage 'later' muss vorher gestellt werden"),
    ],
)
def test_the_place_to_fix_is_named_in_german_on_german_pages(
    app, client, builder, values, expected
) -> None:
    submit(client, "/language", {"lang": "de", "next": "/"})
    page = builder.start("blank:contact")
    builder.press(page, "add_question:1")
    builder.press(page, "add_question:1")
    builder.question(
        page, "1.2", field_id="later", kind="yes_no_unsure", label_en="L", label_de="L"
    )
    typed = {"field_id": "mine", "kind": "text", "label_en": "T", "label_de": "G", **values}
    response = builder.question(page, "1.1", **typed)
    assert response.status_code == 422
    assert expected in _text(response)
    assert "is a name the service" not in _text(response)


def test_a_stale_page_does_not_overwrite_a_newer_save(app, client, builder) -> None:
    page = builder.start()
    old = builder.lock(page)
    builder.press(page, "add_section")
    token = csrf_token(client, page)
    response = client.post(
        f"{page}/change",
        data={"csrf_token": token, "lock_version": old, "action": "section_remove:1"},
        follow_redirects=True,
    )
    assert "Someone else changed this questionnaire meanwhile" in _text(response)
    assert len(_draft(app)["sections"]) == 2


def test_only_a_coordinator_publishes(app, client, people) -> None:
    from tests.questionnaires.conftest import Builder

    AuthActions(client).login("lou")
    builder = Builder(client)
    page = builder.start()
    assert "Publish as version" not in _text(client.get(page))
    assert builder.publish(page).status_code == 404
    AuthActions(client).logout()
    AuthActions(client).login("kim")
    assert builder.publish(page).status_code == 302
    assert "Version 1 is published" in _text(client.get(page))


@pytest.mark.parametrize("who", ["sam", "cem", "root", "bo"])
def test_nobody_outside_the_contact_group_sees_or_changes_them(app, client, people, who) -> None:
    from tests.questionnaires.conftest import Builder

    AuthActions(client).login("kim")
    page = Builder(client).start()
    AuthActions(client).logout()
    AuthActions(client).login(who)
    token = csrf_token(client, "/")
    for path in ("", "/preview", "/download", "/sections/1", "/questions/1.1"):
        assert client.get(f"{page}{path}").status_code == 404, path
    for path in ("/change", "/publish", "/heading"):
        assert client.post(f"{page}{path}", data={"csrf_token": token}).status_code == 404
    assert client.get("/p/alpha/questionnaires/").status_code == 404
    assert len(_draft(app)["sections"]) == 1


def test_starters_are_offered_copied_and_ready_to_publish(app, client, builder) -> None:
    index = _text(client.get("/p/alpha/questionnaires/"))
    for name in (
        "Check-in",
        "Check-in for his political group",
        "Reflection before a meeting",
        "How she wants to be updated (for the support group)",
    ):
        assert name in index, name
    # A starter is not a form of its own: no process fills it in or sends it as it is.
    assert "political group" not in _text(client.get("/p/alpha/checkins/"))
    assert "political group" not in _text(client.get("/p/alpha/submissions/"))
    page = builder.start("form:starter_political_group")
    draft = _draft(app)
    assert "template" not in draft and draft["fill"] == ["link"]
    assert draft["sections"][0]["fields"][0]["id"] == "group_told"
    assert builder.publish(page).status_code == 302
    assert "Version 1 is published" in _text(client.get(page))
