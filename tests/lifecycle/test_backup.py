"""Back up the whole instance and restore it into a new database; keys go on their own."""

import gzip
import shutil

from intake import create_app
from intake.extensions import db
from intake.models import Demand, Role
from intake.people.membership import process_by_short_name
from intake.submissions import service
from tests import factories
from tests.conftest import app_config, submit


def test_backup_restores_into_a_new_database(app, runner, tmp_path, sqlite_template):
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="BACKED-UP")
    out, keys = tmp_path / "db.backup", tmp_path / "keys.backup"
    result = runner.invoke(args=["backup", "-o", str(out), "--keys", str(keys)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o077 == 0 and keys.stat().st_mode & 0o077 == 0
    assert b"BACKED-UP" not in gzip.decompress(out.read_bytes())  # answers stay encrypted
    assert b"BACKED-UP" not in keys.read_bytes()

    fresh_file = tmp_path / "fresh.sqlite"
    shutil.copyfile(sqlite_template, fresh_file)
    fresh = create_app(app_config(f"sqlite:///{fresh_file}"))
    restored = fresh.test_cli_runner().invoke(args=["restore", str(out)])
    assert restored.exit_code == 0, restored.output
    with fresh.app_context():
        process = process_by_short_name("alpha")
        handover = service.first_of(process, "handover")
        assert service.answers_of(handover)["demands"][0]["text"] == "Demand BACKED-UP"
        assert db.session.query(Demand).count() == 1
        db.engine.dispose()
    client = fresh.test_client()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    assert client.get("/p/alpha/").status_code == 200
    again = fresh.test_cli_runner().invoke(args=["restore", str(out)])
    assert again.exit_code == 1 and "not empty" in again.output


def test_keys_restore_only_into_an_empty_folder(app, runner, tmp_path):
    keys = tmp_path / "keys.backup"
    runner.invoke(args=["backup", "-o", str(tmp_path / "db.backup"), "--keys", str(keys)])
    from intake.lifecycle.backup import BackupError, restore_keys

    target = tmp_path / "instance2" / "keys"
    target.parent.mkdir()
    restore_keys(keys.read_bytes(), target)
    assert any(target.iterdir())
    assert target.stat().st_mode & 0o077 == 0
    try:
        restore_keys(keys.read_bytes(), target)
    except BackupError as exc:
        assert "not empty" in str(exc)
    else:
        raise AssertionError("restoring over existing keys must be refused")
