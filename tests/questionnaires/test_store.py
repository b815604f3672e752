"""A process's own questionnaires: sealed at rest, versioned, and records keep their version."""

from __future__ import annotations

import sqlalchemy as sa

from intake.extensions import db
from intake.lifecycle import archive
from intake.lifecycle.erase import erase_process
from intake.models import FormSnapshot, Process, Questionnaire
from intake.questionnaires import store
from intake.submissions import service
from tests import factories

MARKER = "WORDS-OF-THE-GROUP-4411"


def _alpha() -> Process:
    return db.session.scalar(sa.select(Process).where(Process.short_name == "alpha"))


def _with_question(label: str) -> dict:
    raw = store.blank("link")
    raw["title"] = {"en": f"About {MARKER}", "de": f"Über {MARKER}"}
    raw["sections"][0]["fields"].insert(
        0,
        {
            "id": "seen_him",
            "type": "yes_no_unsure",
            "travel": "report",
            "label": {"en": label, "de": label},
        },
    )
    return raw


def test_drafts_and_published_versions_are_sealed_at_rest(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        kim = factories.account("kim2")
        made = store.create(alpha, kim, _with_question(f"Did {MARKER} come?"))
        store.publish(made, kim)
        store.save_draft(made, store.working_copy(made), made.lock_version)
        db.session.commit()
        rows = db.session.execute(
            sa.text("SELECT draft FROM questionnaire UNION ALL SELECT sealed FROM form_snapshot")
        ).all()
        plain = db.session.execute(sa.text("SELECT definition FROM form_snapshot")).all()
        assert rows and all(MARKER.encode() not in bytes(r[0] or b"") for r in rows)
        assert all(MARKER not in r[0] for r in plain)
        # Read back through the key, the words are there.
        assert MARKER in store.latest(made).title["en"]


def test_publishing_makes_versions_and_records_keep_theirs(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        kim = factories.account("kim2")
        made = store.create(alpha, kim, _with_question("First wording"))
        first = store.publish(made, kim)
        assert first.version == 1 and made.draft is None
        v1 = service.definition(made.form_id, alpha)
        saved = service.save(
            alpha, v1, kim, {"seen_him": "yes", "quote_consent": "no"}, submit=True
        )
        # Editing a published questionnaire opens a draft of the next version.
        draft = store.working_copy(made)
        assert draft["version"] == 2
        draft["sections"][0]["fields"][0]["label"] = {"en": "Second", "de": "Zweite"}
        store.save_draft(made, draft, made.lock_version)
        assert service.definition(made.form_id, alpha).version == 1, "a draft is not in use"
        assert store.publish(made, kim).version == 2
        db.session.commit()
        current = service.definition(made.form_id, alpha)
        assert (current.version, current.field("seen_him").label["en"]) == (2, "Second")
        record = db.session.get(type(saved.submission), saved.submission.id)
        kept = service.definition_of(record)
        assert (kept.version, kept.field("seen_him").label["en"]) == (1, "First wording")
        snapshots = db.session.scalars(
            sa.select(FormSnapshot).where(FormSnapshot.form_id == made.form_id)
        ).all()
        assert sorted(s.version for s in snapshots) == [1, 2]


def test_a_draft_with_problems_is_not_published(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        raw = _with_question("Fine")
        raw["sections"][0]["fields"][0]["show_if"] = {"field": "quote_consent", "equals": "yes"}
        made = store.create(alpha, None, raw)
        try:
            store.publish(made, None)
        except store.Unpublishable as refused:
            assert any("'seen_him' show_if" in p and "asked earlier" in p for p in refused.problems)
        else:
            raise AssertionError("published a condition on a later question")
        assert made.versions == [] and made.draft is not None


def test_another_process_never_sees_them(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        beta = db.session.scalar(sa.select(Process).where(Process.short_name == "beta"))
        made = factories.questionnaire(alpha, None)
        assert service.definition(made.form_id, alpha) is not None
        assert service.definition(made.form_id, beta) is None
        assert service.definition(made.form_id) is None
        assert made.form_id not in service.definitions(beta)
        assert db.session.query(Questionnaire).count() == 1


def test_erasing_the_process_takes_its_questionnaires(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        made = factories.questionnaire(alpha, None)
        service.save(
            alpha,
            service.definition(made.form_id, alpha),
            None,
            {"quote_consent": "yes"},
            submit=True,
        )
        db.session.commit()
        erase_process(alpha)
        assert db.session.query(Questionnaire).count() == 0
        assert (
            db.session.query(FormSnapshot).filter(FormSnapshot.process_id.is_not(None)).count() == 0
        )


def test_key_rotation_reseals_questionnaires(app, runner, people, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        made = factories.questionnaire(_alpha(), None, marker=MARKER)
        made_id = made.id
    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        app.extensions.pop("intake.keyring", None)
        made = db.session.get(Questionnaire, made_id)
        assert MARKER in store.latest(made).title["en"]
        assert MARKER in store.working_copy(made)["title"]["en"]


def test_the_process_export_carries_its_questionnaires(app, people) -> None:
    with app.app_context():
        alpha = _alpha()
        made = factories.questionnaire(alpha, None, marker=MARKER)
        service.save(
            alpha,
            service.definition(made.form_id, alpha),
            None,
            {"quote_consent": "yes"},
            submit=True,
        )
        exported = archive.records_of(alpha, "contact")
        (own,) = exported["questionnaires"]
        assert own["form_id"] == made.form_id and MARKER in own["versions"][0]["title"]["en"]
        assert any(MARKER in str(d.get("title")) for d in exported["form_definitions"].values())


def test_a_link_questionnaire_cannot_ask_for_a_review_of_the_demands(app, people) -> None:
    with app.app_context():
        raw = store.blank("link")
        raw["sections"][0]["fields"].append(
            {
                "id": "review",
                "type": "demand_review",
                "label": "Each demand",
                "fields": [{"id": "kept", "type": "yes_no_unsure", "label": "Kept?"}],
            }
        )
        made = store.create(_alpha(), None, raw)
        assert store.problems_of(made, raw) == [
            "section 'questions' field 'review': a review of each demand is for "
            "questionnaires filled in by members, not by private link"
        ]
        raw["fill"] = ["contact"]
        assert store.problems_of(made, raw) == []
