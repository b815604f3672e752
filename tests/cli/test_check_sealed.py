"""``intake check`` opens a sample of every kind of sealed data and fails when any will not open."""

from __future__ import annotations

import sqlalchemy as sa

from intake.extensions import db
from intake.models import Meeting, Role, Submission
from intake.security.encryption import Keyring, keyring
from tests import factories


def _instance(app, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    with app.app_context():
        keyring().new_key()
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="SAMPLE")


def test_check_opens_every_kind_of_sealed_data(app, runner, tmp_path) -> None:
    _instance(app, tmp_path)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "OK    Sealed data opens (" in result.output


def test_check_names_what_cannot_be_read(app, runner, tmp_path) -> None:
    _instance(app, tmp_path)
    with app.app_context():
        # Moved to another process's place: it no longer opens.
        meeting = db.session.scalars(sa.select(Meeting)).one()
        meeting.place = keyring().encrypt(b"Room", "process:999:meeting")
        db.session.commit()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "FAIL  meeting.place: 1 of 1 tried cannot be read (1 stored under key" in result.output
    assert "restore them from a database backup" in result.output


def test_check_names_data_whose_key_is_gone(app, runner, tmp_path) -> None:
    _instance(app, tmp_path)
    with app.app_context():
        ring = keyring()
        old = ring.current
        answers = db.session.scalars(sa.select(Submission)).all()
        ring.new_key()  # a new key made current without re-encrypting, then the old one deleted
        ring.retire(old)
        assert {Keyring.key_id_of(a.answers) for a in answers} == {old}
        count = len(answers)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert f"FAIL  submission.answers: {count} of {count} tried cannot be read" in result.output
    assert f"key {old} is missing: put it back into" in result.output
    assert "meeting.place" in result.output and "demand.text" in result.output
