"""Backups taken while the service writes restore completely; a bad file is refused in words."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from intake import create_app
from intake.extensions import db
from intake.models import Account, Process, Role
from tests import factories
from tests.conftest import app_config


def _counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return counts


def _restore(make: Callable[[], str], backup: Path) -> Flask:
    fresh = create_app(app_config(make()))
    result = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    return fresh


def test_backups_taken_while_records_are_written_restore(app, runner, tmp_path, empty_database):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="BEFORE")
        alpha_id, kim_id = alpha.id, kim.id
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:
        # Each entry is a submission, its first revision and a contact-log row that
        # points to both: a backup read table by table would split them.
        with app.app_context():
            process = db.session.get(Process, alpha_id)
            author = db.session.get(Account, kim_id)
            n = 0
            while not stop.is_set():
                entry = {"date": "2026-02-03", "channel": "email", "direction": "we_wrote"}
                factories.record(process, "contact", author, {**entry, "summary": f"E{n}"})
                written.append(n)
                n += 1
            db.session.remove()

    writer = threading.Thread(target=write)
    writer.start()
    outputs = []
    try:
        for attempt in range(4):
            while len(written) < (attempt + 1) * 5 and writer.is_alive():
                threading.Event().wait(0.02)
            out = tmp_path / f"under-use-{attempt}.backup"
            result = runner.invoke(args=["backup", "-o", str(out)])
            assert result.exit_code == 0, result.output
            assert "restored into a scratch database and compared" in result.output
            outputs.append(out)
    finally:
        stop.set()
        writer.join(60)
    assert len(written) >= 20
    sizes = set()
    for out in outputs:
        counts = json.loads(gzip.decompress(out.read_bytes()))["counts"]
        restored = _counts(_restore(empty_database, out))
        assert {name: restored[name] for name in counts} == counts
        assert counts["contact_entry"] == counts["submission"] - 1  # the handover
        sizes.add(counts["contact_entry"])
    assert len(sizes) > 1  # the writes went on between the backups


def test_a_backup_that_would_not_restore_is_refused_in_words(app, runner, tmp_path, empty_database):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="BROKEN")
    out = tmp_path / "db.backup"
    assert runner.invoke(args=["backup", "-o", str(out)]).exit_code == 0
    data = json.loads(gzip.decompress(out.read_bytes()))
    data["tables"]["submission"] = []  # what a backup read table by table could hold
    broken = tmp_path / "broken.backup"
    broken.write_bytes(gzip.compress(json.dumps(data).encode()))

    from intake.lifecycle.backup import BackupError, verify

    with app.app_context(), pytest.raises(BackupError, match="do not fit the rest of the backup"):
        verify(broken.read_bytes())

    fresh = create_app(app_config(empty_database()))
    result = fresh.test_cli_runner().invoke(args=["restore", str(broken)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert "Nothing was restored: the database is as it was." in result.output
    assert "do not fit the rest of the backup" in result.output
    assert _counts(fresh)["account"] == 0

    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a backup")
    result = fresh.test_cli_runner().invoke(args=["restore", str(garbage)])
    assert result.exit_code == 1 and "not an intake backup, or it is damaged" in result.output
