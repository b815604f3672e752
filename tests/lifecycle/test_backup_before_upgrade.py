"""`make run` backs the database up before an upgrade changes it, and says where."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from intake import create_app
from intake.extensions import db
from intake.models import Role
from tests import factories
from tests.conftest import app_config


def _previous_revision(app) -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.extensions["migrate"].directory)
    (head,) = script.get_heads()
    return script.get_revision(head).down_revision


def test_make_run_calls_it_before_upgrading() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1]
    assert run.index("intake backup --before-upgrade") < run.index("intake db upgrade")


def test_nothing_pending_nothing_written(app, runner) -> None:
    backups = Path(app.instance_path) / "backups"
    before = set(backups.glob("*")) if backups.exists() else set()
    result = runner.invoke(args=["backup", "--before-upgrade"])
    assert result.exit_code == 0, result.output
    assert "needs no upgrade (or is new): no backup needed" in result.output
    assert (set(backups.glob("*")) if backups.exists() else set()) == before


def test_a_pending_upgrade_is_backed_up_first(app, runner, empty_database) -> None:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        factories.process_record(alpha, kim, marker="UPGRADED")
        # End the transaction the factory's last reads opened: on PostgreSQL the
        # downgrade's ALTER TABLE, on another connection, would wait for it forever.
        db.session.commit()
        previous = _previous_revision(app)
        downgrade(revision=previous)
        accounts = db.session.scalar(sa.text("SELECT count(*) FROM account"))
        db.session.remove()

    result = runner.invoke(args=["backup", "--before-upgrade"])
    assert result.exit_code == 0, result.output
    assert f"will be upgraded from {previous} to " in result.output
    written = Path(re.search(r"Wrote (\S+) \(", result.output).group(1))
    try:
        assert written.parent == Path(app.instance_path) / "backups"
        assert written.name.startswith(f"before-upgrade-{previous}-")
        assert written.stat().st_mode & 0o077 == 0 and written.parent.stat().st_mode & 0o077 == 0
        assert f"(`intake db upgrade {previous}`), then `intake restore {written}`" in result.output

        with app.app_context():
            upgrade()  # what make run does next
            db.engine.dispose()
        # The way back: a new database at the old version takes the backup whole.
        fresh = create_app(app_config(empty_database()))
        with fresh.app_context():
            downgrade(revision=previous)
            db.engine.dispose()
        restored = fresh.test_cli_runner().invoke(args=["restore", str(written)])
        assert restored.exit_code == 0, restored.output
        with fresh.app_context():
            assert db.session.scalar(sa.text("SELECT count(*) FROM account")) == accounts
            db.engine.dispose()
    finally:
        written.unlink()
