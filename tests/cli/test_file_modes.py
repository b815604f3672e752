"""The database, the keys and every file the commands write are the owner's alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake.security.private_files import write_private
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# Paths watched by the audit hook below, and what it saw.
WATCHED: set[Path] = set()
SEEN_OPEN: list[str] = []


def _watch(event: str, args: tuple) -> None:
    # Called before each file event of this process: if a watched file exists
    # with a mode others may read at any such moment, it was not private
    # "from the start" (e.g. written first and chmod-ed afterwards).
    for path in list(WATCHED):
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue
        if mode & 0o077:
            SEEN_OPEN.append(f"{path} was {oct(mode & 0o777)} at {event}")


sys.addaudithook(_watch)


@pytest.fixture
def watched(tmp_path: Path):
    old = os.umask(0o022)
    SEEN_OPEN.clear()
    yield WATCHED
    WATCHED.clear()
    os.umask(old)
    assert not SEEN_OPEN, SEEN_OPEN


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_write_private_narrows_an_existing_file_before_writing(tmp_path, watched):
    target = tmp_path / "old.pdf"
    target.write_bytes(b"readable by all")
    target.chmod(0o644)
    write_private(target, b"secret")
    assert _mode(target) == 0o600 and target.read_bytes() == b"secret"


def test_backup_export_unseal_and_report_write_private_files(app, runner, tmp_path, watched):
    with app.app_context():
        factories.member(factories.process("alpha"), "kim")
    out = {name: tmp_path / name for name in ("db.backup", "keys.backup", "a.sealed", "a.zip")}
    out |= {name: tmp_path / name for name in ("r.pdf", "r.html")}
    watched.update(out.values())
    commands = [
        (["backup", "-o", str(out["db.backup"]), "--keys", str(out["keys.backup"])], None),
        (
            ["export", "alpha", "-o", str(out["a.sealed"]), "--encrypt"],
            "a long passphrase\na long passphrase\n",
        ),
        (["unseal", str(out["a.sealed"]), "-o", str(out["a.zip"])], "a long passphrase\n"),
        (["report", "alpha", "-o", str(out["r.pdf"]), "--html", str(out["r.html"])], None),
    ]
    for args, given in commands:
        result = runner.invoke(args=args, input=given)
        assert result.exit_code == 0, result.output
    for path in out.values():
        assert _mode(path) == 0o600, path


def test_make_run_on_a_fresh_clone_leaves_instance_private(tmp_path):
    """The steps `make run` takes before serving, on an instance/ as git checks it out."""
    instance = tmp_path / "instance"
    instance.mkdir()
    instance.chmod(0o755)
    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance), "INTAKE_LOCAL_HTTP": "1"}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> None:
        done = subprocess.run(
            args, cwd=ROOT, env=env, capture_output=True, text=True, umask=0o022, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr

    run(sys.executable, "scripts/instance-config.py", str(instance))
    run(str(BIN / "intake"), "db", "upgrade")
    run(str(BIN / "intake"), "keys", "init")
    run(str(BIN / "intake"), "firstrun")
    assert _mode(instance) == 0o700
    database = instance / "intake.sqlite"
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            assert _mode(path) == 0o600, path
    assert _mode(instance / "keys") == 0o700
    assert all(_mode(key) == 0o600 for key in (instance / "keys").iterdir())
    assert _mode(instance / "config.py") == 0o600
    check = subprocess.run(
        [str(BIN / "intake"), "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "can be read by other users" not in check.stdout, check.stdout


@pytest.mark.sqlite_only
def test_check_fails_when_the_database_is_readable_by_others(app, runner, database_url):
    database = Path(database_url.removeprefix("sqlite:///"))
    assert runner.invoke(args=["check"]).exit_code == 0
    database.chmod(0o644)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert f"FAIL  {database} can be read by other users" in result.output
    database.chmod(0o600)


def test_check_fails_when_the_key_folder_is_open_to_others(app, runner, instance_dir):
    keys = instance_dir / "keys"
    assert runner.invoke(args=["check"]).exit_code == 0
    keys.chmod(0o755)
    try:
        result = runner.invoke(args=["check"])
    finally:
        keys.chmod(0o700)
    assert result.exit_code == 1
    assert "The key folder" in result.output and "chmod 700" in result.output
