"""Encryption at rest: keys apart from the database, bound to their place, rotatable."""

import pytest

from intake.extensions import db
from intake.models import Demand, Submission, SubmissionRevision
from intake.security.encryption import Keyring, KeyringError
from intake.submissions import service
from tests import factories


@pytest.mark.sqlite_only
def test_round_trip_and_context_binding(backend, tmp_path) -> None:
    ring = Keyring.load(tmp_path)
    ring.new_key()
    sealed = ring.encrypt(b"what he said", "process:1:submission")
    assert b"what he said" not in sealed
    assert ring.decrypt(sealed, "process:1:submission") == b"what he said"
    with pytest.raises(KeyringError, match="does not match"):
        ring.decrypt(sealed, "process:2:submission")  # moved to another process: refused
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(KeyringError):
        ring.decrypt(tampered, "process:1:submission")


@pytest.mark.sqlite_only
def test_key_files_are_private(backend, tmp_path) -> None:
    ring = Keyring.load(tmp_path / "keys")
    key_id = ring.new_key()
    assert (tmp_path / "keys" / f"{key_id}.key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "keys").stat().st_mode & 0o077 == 0
    assert Keyring.load(tmp_path / "keys").current == key_id


@pytest.mark.sqlite_only
def test_missing_key_says_what_to_do(backend, tmp_path) -> None:
    with pytest.raises(KeyringError, match="intake keys init"):
        Keyring.load(tmp_path / "none").encrypt(b"x", "c")


def test_rotate_reencrypts_everything_and_retires_old_key(app, runner, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", coordinator=True).account
        record = factories.record(
            alpha,
            "contact",
            kim,
            {
                "date": "2026-01-05",
                "channel": "email",
                "direction": "we_wrote",
                "summary": "S1",
            },
        )
        submission_id = record.id
        old_key = Keyring.key_id_of(record.answers)
        factories.process_record(alpha, kim, marker="ROTATED")

    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted" in result.output and f"Retired key {old_key}" in result.output
    assert not (tmp_path / "keys" / f"{old_key}.key").exists()
    with app.app_context():
        app.extensions.pop("intake.keyring", None)
        record = db.session.get(Submission, submission_id)
        assert Keyring.key_id_of(record.answers) != old_key
        assert service.answers_of(record)["summary"] == "S1"
        for revision in db.session.query(SubmissionRevision):
            assert Keyring.key_id_of(revision.answers) != old_key
        # Everything sealed is still readable after the old key is gone.
        from intake.checkins import private_links
        from intake.models import CheckinRound, PrivateLink, Process, ReportBack
        from intake.record.demands import demand_views
        from intake.report.service import pdf_of

        process = db.session.query(Process).one()
        views = demand_views(process)
        assert views[0].original == "Demand ROTATED"
        assert views[0].amendments[0].text == "New ROTATED"
        assert private_links.title_of(db.session.query(CheckinRound).one()) == "Round ROTATED"
        assert private_links.label_of(db.session.query(PrivateLink).one()) == "partner ROTATED"
        assert pdf_of(db.session.query(ReportBack).one()).endswith(b"ROTATED")
        assert db.session.query(Demand).count() == 1
    listing = runner.invoke(args=["keys", "list"]).output
    assert "current in use" in listing
