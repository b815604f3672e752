"""A report opens only the contact records that have a note for the report-back.

Each contact-log entry says whether its record has such a note; it follows every way a
record is written (a new entry, an edit, a spreadsheet import, a draft save). An entry
that does not know (from before this was kept) is opened as before, so no note is
ever left out of a report.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from intake.clock import today
from intake.extensions import db
from intake.formdef.travel import travelling, words_travel
from intake.models import ContactEntry, Process, Role, Submission
from intake.record import log_import
from intake.record.contact_log import fill_in_report_notes
from intake.report.content import assemble
from intake.report.story import NOTE_FORMS, _lines
from intake.security.encryption import Keyring, keyring
from intake.submissions import service
from tests import factories

DAY = (today() - timedelta(days=40)).isoformat()
PLAIN = {"date": DAY, "channel": "email", "direction": "we_wrote", "summary": "Internal words."}


@pytest.fixture
def alpha(app):
    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        return process.id


def _kim(process: Process):
    return process.memberships[0].account


def _flag(submission_id: int) -> bool | None:
    return db.session.scalars(
        sa.select(ContactEntry.has_report_note).where(ContactEntry.submission_id == submission_id)
    ).one()


def _travelling_notes(process: Process) -> list[str]:
    content = assemble(process, date(2020, 1, 1), today(), whole=True)
    return [line for lines in content.notes.values() for line in lines]


@pytest.fixture
def opened(monkeypatch) -> list[bytes]:
    """Every sealed value opened, as the bytes that were opened."""
    found: list[bytes] = []
    decrypt = Keyring.decrypt

    def counting(self: Keyring, blob: bytes, context: str) -> bytes:
        found.append(blob)
        return decrypt(self, blob, context)

    monkeypatch.setattr(Keyring, "decrypt", counting)
    return found


def test_a_note_added_by_an_edit_travels(app, alpha) -> None:
    with app.app_context():
        process = db.session.get(Process, alpha)
        record = factories.record(process, "contact", _kim(process), PLAIN)
        assert _flag(record.id) is False
        service.save(
            process,
            service.definition("contact"),
            _kim(process),
            {**PLAIN, "report_note": "Said he would answer by Friday."},
            submission=record,
            started_from=record.lock_version,
            submit=True,
        )
        db.session.commit()
        assert _flag(record.id) is True
        assert _travelling_notes(process) == ["Said he would answer by Friday."]

        # Taken out again by a later version: nothing is opened for it any more.
        service.save(
            process,
            service.definition("contact"),
            _kim(process),
            PLAIN,
            submission=record,
            started_from=record.lock_version,
            submit=True,
        )
        db.session.commit()
        assert _flag(record.id) is False
        assert _travelling_notes(process) == []


def test_a_draft_saved_over_a_sent_record_keeps_the_entry_in_step(app, alpha) -> None:
    """No page does this today; the service allows it, so the entry follows it too."""
    with app.app_context():
        process = db.session.get(Process, alpha)
        record = factories.record(process, "contact", _kim(process), PLAIN)
        service.save(
            process,
            service.definition("contact"),
            _kim(process),
            {**PLAIN, "report_note": "Came as a draft."},
            submission=record,
            started_from=record.lock_version,
            submit=False,
        )
        db.session.commit()
        assert _flag(record.id) is True
        assert _travelling_notes(process) == ["Came as a draft."]


def test_a_note_imported_from_a_spreadsheet_travels(app, alpha) -> None:
    table = (
        "kind;date;direction;channel;answer;summary;note;outcome\n"
        "contact;2023-01-05;we_wrote;email;;Sent the demands.;;\n"
        "contact;2023-03-01;he_wrote;letter;real;He wrote back.;Says he read them.;\n"
    )
    with app.app_context():
        process = db.session.get(Process, alpha)
        rows = log_import.read(table.encode(), "log.csv")
        log_import.check(process, rows, today())
        assert log_import.store(process, rows, _kim(process)) == 2
        db.session.commit()
        found = db.session.execute(sa.select(ContactEntry.on, ContactEntry.has_report_note))
        flags = dict(found.tuples().all())
        assert flags == {date(2023, 1, 5): False, date(2023, 3, 1): True}
        assert _travelling_notes(process) == ["Says he read them."]


def test_an_entry_from_before_is_opened_and_its_note_travels(app, alpha, opened) -> None:
    with app.app_context():
        process = db.session.get(Process, alpha)
        kim = _kim(process)
        noted = factories.record(process, "contact", kim, {**PLAIN, "report_note": "Old note."})
        plain = factories.record(process, "contact", kim, PLAIN)
        # As the entries written before the service kept whether a note is there.
        db.session.execute(sa.update(ContactEntry).values(has_report_note=None))
        db.session.commit()
        noted_id, plain_id, plain_words = noted.id, plain.id, plain.answers
        blobs = {noted.answers, plain_words}

        opened.clear()
        assert _travelling_notes(process) == ["Old note."]
        assert blobs <= set(opened), "not known: opened as before"

        assert fill_in_report_notes() == 2
        assert (_flag(noted_id), _flag(plain_id)) == (True, False)
        opened.clear()
        assert _travelling_notes(db.session.get(Process, alpha)) == ["Old note."]
        assert plain_words not in opened


def test_entries_without_a_note_are_not_opened(app, alpha, opened) -> None:
    with app.app_context():
        process = db.session.get(Process, alpha)
        kim = _kim(process)
        start = today() - timedelta(days=200)
        plain = [
            factories.record(
                process, "contact", kim, {**PLAIN, "date": (start + timedelta(days=n)).isoformat()}
            )
            for n in range(30)
        ]
        noted = factories.record(process, "contact", kim, {**PLAIN, "report_note": "One note."})
        without = {record.answers for record in plain}

        opened.clear()
        assert _travelling_notes(process) == ["One note."]
        assert not without & set(opened)
        assert noted.answers in opened


def test_rotating_the_keys_fills_in_entries_from_before(app, runner, alpha, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        process = db.session.get(Process, alpha)
        record = factories.record(process, "contact", _kim(process), {**PLAIN, "report_note": "N"})
        db.session.execute(sa.update(ContactEntry).values(has_report_note=None))
        db.session.commit()
        record_id = record.id

    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    assert "1 contact log entries now say whether they have a report note." in result.output
    with app.app_context():
        assert _flag(record_id) is True


def test_the_flag_says_what_the_report_prints(app, story) -> None:
    """``words_travel`` and the lines a report prints agree on every record that can
    carry a note: the flag is never False where the report would print something."""
    with app.app_context():
        records = db.session.scalars(
            sa.select(Submission).where(
                Submission.process_id == story["process_id"], Submission.form_id.in_(NOTE_FORMS)
            )
        ).all()
        assert {r.form_id for r in records} >= {"contact", "minutes"}
        for record in records:
            definition = service.definition_of(record)
            answers = service.answers_of(record)
            printed = _lines(definition, travelling(definition, answers), "en", {})
            assert words_travel(definition, answers) == bool(printed), record.form_id


def test_a_record_that_cannot_be_read_leaves_the_rotation_said_and_the_others_filled(
    app, runner, alpha, tmp_path
) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        process = db.session.get(Process, alpha)
        kim = _kim(process)
        good = factories.record(process, "contact", kim, {**PLAIN, "report_note": "N"})
        odd = factories.record(process, "contact", kim, PLAIN)
        # Sealed well, but not answers: opening works, reading them fails.
        odd.answers = keyring().encrypt(b"{not json", odd.encryption_context)
        db.session.execute(sa.update(ContactEntry).values(has_report_note=None))
        db.session.commit()
        good_id, odd_id = good.id, odd.id

    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    assert "Retired key" in result.output
    assert "1 contact log entries now say whether they have a report note." in result.output
    with app.app_context():
        assert (_flag(good_id), _flag(odd_id)) == (True, None)
