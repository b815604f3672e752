"""Rotation's rules: workers follow a new key, and a key is retired only when nothing uses it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from intake.extensions import db
from intake.models import (
    Account,
    Demand,
    DemandStatus,
    DemandStatusChange,
    Process,
    Role,
    Submission,
)
from intake.models.base import Base
from intake.record.demands import reason_of, record_status_change
from intake.security.encryption import Keyring, KeyringError
from intake.security.key_rotation import SEALED_COLUMNS
from tests import factories


@pytest.mark.sqlite_only
def test_another_process_rotating_is_followed_without_a_restart(backend, tmp_path) -> None:
    worker = Keyring.load(tmp_path / "keys")
    old = worker.new_key()
    sealed_before = worker.encrypt(b"before", "c")

    operator = Keyring.load(tmp_path / "keys")  # `intake keys rotate` in its own process
    new = operator.new_key()
    sealed_by_operator = operator.encrypt(b"by the operator", "c")
    # The worker reads a value under a key it never loaded, and seals with the new one.
    assert worker.decrypt(sealed_by_operator, "c") == b"by the operator"
    assert Keyring.key_id_of(worker.encrypt(b"after", "c")) == new
    operator.retire(old)
    assert worker.encrypt(b"x", "c") and old not in worker.keys  # the retired key let go
    with pytest.raises(KeyringError, match=f"Key {old} is missing"):
        worker.decrypt(sealed_before, "c")


@pytest.mark.sqlite_only
def test_a_worker_never_seals_with_a_key_no_longer_current(backend, tmp_path) -> None:
    worker = Keyring.load(tmp_path / "keys")
    worker.new_key()
    worker.encrypt(b"x", "c")  # loaded and in use
    new = Keyring.load(tmp_path / "keys").new_key()
    assert Keyring.key_id_of(worker.encrypt(b"y", "c")) == new


def test_every_sealed_column_is_rotated(backend) -> None:
    """A column of sealed bytes missing from the list would keep its old key, and retiring
    that key would make it unreadable."""
    listed = {(s.model.__tablename__, s.column) for s in SEALED_COLUMNS}
    binary = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.LargeBinary)
    }
    assert binary <= listed, binary - listed


def test_retire_refuses_while_the_old_key_seals_something(app, runner, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="KEPT")
        record = db.session.scalars(sa.select(Submission)).first()
        old_key = Keyring.key_id_of(record.answers)
        # A value sealed for another place cannot be opened, so it cannot be re-encrypted.
        record.answers = app.extensions["intake.keyring"].encrypt(b"{}", "process:999:submission")
        db.session.commit()

    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 1
    assert f"Key {old_key} is kept: it still seals 1 value(s) (submission.answers: 1)" in (
        result.output
    )
    assert "Could not be opened, left as they were: submission.answers: 1" in result.output
    assert (tmp_path / "keys" / f"{old_key}.key").exists()


def test_status_change_reasons_are_rotated(app, runner, tmp_path) -> None:
    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        ids = factories.process_record(alpha, kim, marker="WHY")
        demand = db.session.get(Demand, ids["demand_id"])
        day = date(2026, 1, 5)
        record_status_change(
            demand, DemandStatus.REFUSED, day, by=kim, today=day, first_day=day, reason="No."
        )
        db.session.commit()
    result = runner.invoke(args=["keys", "rotate", "--retire"])
    assert result.exit_code == 0, result.output
    assert "Retired key" in result.output
    with app.app_context():
        assert reason_of(db.session.scalars(sa.select(DemandStatusChange)).one()) == "No."


def test_a_value_saved_during_the_rotation_is_not_overwritten(app, tmp_path) -> None:
    from intake.security import key_rotation
    from intake.security.encryption import keyring
    from intake.submissions import service

    app.config["ANSWER_KEYS_DIR"] = str(tmp_path / "keys")
    with app.app_context():
        ring = keyring()
        ring.new_key()
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        entry = {"date": "2026-01-05", "channel": "email", "direction": "we_wrote"}
        record = factories.record(alpha, "contact", kim, {**entry, "summary": "Old words"})
        record_id, context = record.id, record.encryption_context
        ring.new_key()
        opened = ring.decrypt
        saved: list[bool] = []

        def a_worker_saves_meanwhile(blob: bytes, where: str) -> bytes:
            plain = opened(blob, where)
            if where == context and b"Old words" in plain and not saved:
                saved.append(True)
                newer = ring.encrypt(plain.replace(b"Old words", b"Newer words"), where)
                with db.engine.begin() as conn:
                    conn.execute(
                        sa.update(Submission).where(Submission.id == record_id),
                        {"answers": newer},
                    )
            return plain

        ring.decrypt = a_worker_saves_meanwhile  # type: ignore[method-assign]
        key_rotation.reencrypt_all(ring)
        ring.decrypt = opened  # type: ignore[method-assign]
        assert saved
        db.session.expire_all()
        assert service.answers_of(db.session.get(Submission, record_id))["summary"] == (
            "Newer words"
        )


def test_a_key_added_for_several_servers_is_used_only_when_told(app, runner, tmp_path) -> None:
    """``keys add`` writes a key nobody seals with; ``keys use`` makes it current here;
    ``keys rotate --to`` re-encrypts under it and retires the old one."""
    folder = tmp_path / "keys"
    app.config["ANSWER_KEYS_DIR"] = str(folder)
    assert runner.invoke(args=["keys", "init"]).exit_code == 0
    old_key = Keyring.load(folder).current
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="KEPT")
        db.session.commit()
        ids = (alpha.id, kim.id)

    added = runner.invoke(args=["keys", "add"])
    assert added.exit_code == 0, added.output
    new_key = next(k for k in Keyring.load(folder).keys if k != old_key)
    assert f"intake keys use {new_key}" in added.output
    assert Keyring.load(folder).current == old_key, "added, not yet used"

    refused = runner.invoke(args=["keys", "use", "0" * len(new_key)])
    assert refused.exit_code != 0 and "There is no key" in refused.output
    assert Keyring.load(folder).current == old_key

    assert runner.invoke(args=["keys", "use", new_key]).exit_code == 0
    with app.app_context():  # what is sealed from now on uses the new key
        alpha, kim = db.session.get(Process, ids[0]), db.session.get(Account, ids[1])
        later = {"date": "2026-02-03", "channel": "email", "direction": "we_wrote", "summary": "L"}
        factories.record(alpha, "contact", kim, later)
        db.session.commit()
        sealed = {Keyring.key_id_of(a) for a in db.session.scalars(sa.select(Submission.answers))}
    assert sealed == {old_key, new_key}

    rotated = runner.invoke(args=["keys", "rotate", "--to", new_key, "--retire"])
    assert rotated.exit_code == 0, rotated.output
    assert f"Retired key {old_key}" in rotated.output
    assert Keyring.load(folder).current == new_key
    assert set(Keyring.load(folder).keys) == {new_key}
    with app.app_context():
        sealed = {Keyring.key_id_of(a) for a in db.session.scalars(sa.select(Submission.answers))}
    assert sealed == {new_key}


def test_the_service_follows_a_new_key_but_opening_does_not_look_at_the_folder(
    app, tmp_path, monkeypatch
) -> None:
    """A report opens thousands of values: only sealing compares the folder's change
    times; opening a value under a key made elsewhere still reads the folder again."""
    from intake.security import encryption

    folder = tmp_path / "keys"
    app.config["ANSWER_KEYS_DIR"] = str(folder)
    old = Keyring.load(folder).new_key()
    looked: list[object] = []
    state = encryption.folder_state

    def counted(directory):
        looked.append(directory)
        return state(directory)

    monkeypatch.setattr(encryption, "folder_state", counted)
    with app.app_context():
        before = encryption.seal_text("before", "c")
        looked.clear()
        for _ in range(50):
            assert encryption.open_text(before, "c") == "before"
        assert looked == []

        operator = Keyring.load(folder)  # `intake keys rotate` in its own process
        new = operator.new_key()
        by_operator = operator.encrypt(b"by the operator", "c")
        assert encryption.open_text(by_operator, "c") == "by the operator"
        assert Keyring.key_id_of(encryption.seal_text("after", "c")) == new
        assert Keyring.key_id_of(encryption.seal_json({"a": 1}, "c")) == new
        operator.retire(old)
        encryption.seal_text("x", "c")  # the retired key let go at the next seal
        assert old not in encryption.keyring().keys
        with pytest.raises(KeyringError, match=f"Key {old} is missing"):
            encryption.open_text(before, "c")
