"""How the ``intake`` command starts: the list of commands without importing them,
each command loaded when used, ``intake report`` as the app makes it."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from intake.cli import COMMANDS, FLASK_COMMANDS, OTHER_APP_COMMANDS, listing
from intake.cli.group import Deferred, cli
from tests.conftest import SECRET

ROOT = Path(__file__).resolve().parents[2]

# Runs the real entry point (pyproject's `intake = "intake.cli:main"`) with the given
# arguments, then says which modules it had imported.
ENTRY_POINT_PROBE = """
import json, sys
from intake.cli import main
sys.argv = ["intake", *sys.argv[1:]]
try:
    main()
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _entry_point(*args: str, env: dict[str, str] | None = None) -> tuple[str, int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT_PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80", **(env or {})},
    )
    *told, last = done.stderr.strip().splitlines()
    said = json.loads(last)
    # Click prints the help for no arguments at all on stderr.
    return done.stdout + "\n".join(told), said["code"], set(said["modules"])


def _first_paragraph(command: click.Command) -> str:
    return " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())


def test_help_lists_every_command_without_importing_them() -> None:
    for args in (["--help"], []):
        shown, code, modules = _entry_point(*args)
        assert code == (0 if args else 2), shown
        listed = shown.split("Commands:")[1]
        for name in (*COMMANDS, *OTHER_APP_COMMANDS, *FLASK_COMMANDS):
            assert f"\n  {name} " in listed, name
        imported = {m for m in modules if m.startswith("intake.")}
        assert imported == {"intake.cli"}
        heavy = {"flask", "sqlalchemy", "weasyprint", "alembic", "flask_migrate", "redis"}
        assert not heavy & modules


def test_the_list_is_what_flasks_group_shows() -> None:
    # `intake --help` is printed without Flask; Flask's own group, with the real
    # options and commands, must print the very same text.
    runner = CliRunner()
    fast = runner.invoke(listing(), ["--help"], prog_name="intake")
    real = runner.invoke(cli, ["--help"], prog_name="intake")
    assert fast.exit_code == real.exit_code == 0
    assert fast.output == real.output
    for name, text in FLASK_COMMANDS.items():
        assert cli.commands[name].get_short_help_str(200) == text


def test_each_command_is_described_as_it_describes_itself(app) -> None:
    assert set(app.cli.list_commands(None)) == {*COMMANDS, *OTHER_APP_COMMANDS}
    for name, entry in COMMANDS.items():
        stand_in = app.cli.get_command(None, name)
        assert isinstance(stand_in, Deferred)
        real = stand_in.command()
        assert real.name == name
        assert _first_paragraph(real) == entry.help, name
        for limit in (30, 45, 60, 80):
            assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)
        # Read like the real one, e.g. by code that walks a group's subcommands.
        assert getattr(stand_in, "commands", None) == getattr(real, "commands", None)
    for name, text in OTHER_APP_COMMANDS.items():
        assert _first_paragraph(app.cli.get_command(None, name)) == text


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []
    for name, entry in COMMANDS.items():
        command = Deferred(name, entry).command()
        paths.append([name])
        if isinstance(command, click.Group):
            paths.extend([name, sub] for sub in command.commands)
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_each_commands_help_works(runner, path: list[str]) -> None:
    result = runner.invoke(args=[*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: intake {' '.join(path)} "), result.output
    assert "--help  " in result.output


@pytest.mark.sqlite_only
def test_a_commands_help_from_the_command_line(backend, database_url, instance_dir, tmp_path):
    instance = _instance(tmp_path, instance_dir, database_url)
    env = {"INTAKE_INSTANCE_PATH": str(instance)}
    for path in (["report"], ["user", "add"], ["db", "upgrade"], ["keys", "rotate"]):
        shown, code, modules = _entry_point(*path, "--help", env=env)
        assert code == 0, shown
        assert shown.startswith(f"Usage: intake {' '.join(path)} "), shown
        assert "weasyprint" not in modules  # no renderer started for a help text


@pytest.mark.sqlite_only
def test_without_redis_no_command_imports_its_client(database_url, instance_dir, tmp_path):
    # A single machine has no Redis: the app, pages and all, is built without its client.
    instance = _instance(tmp_path, instance_dir, database_url)
    shown, code, modules = _entry_point("firstrun", env={"INTAKE_INSTANCE_PATH": str(instance)})
    assert code == 0, shown
    assert "intake.auth.views" in modules
    assert "redis" not in modules


def _instance(tmp_path: Path, instance_dir: Path, database_url: str) -> Path:
    """An instance folder for a real `intake` process: this test's database and keys."""
    instance = tmp_path / "instance"
    shutil.copytree(instance_dir / "keys", instance / "keys")
    instance.chmod(0o700)
    (instance / "config.py").write_text(
        f"SECRET_KEY = {SECRET!r}\nSQLALCHEMY_DATABASE_URI = {database_url!r}\n"
    )
    return instance


def test_report_from_the_command_line_is_the_apps(
    app, runner, instance_dir, database_url, tmp_path
) -> None:
    # `intake report` builds the app without its pages and renders in a child that
    # imported WeasyPrint meanwhile: the HTML must be the one the app makes.
    assert runner.invoke(args=["demo"]).exit_code == 0
    by_app = tmp_path / "app.html"
    made = runner.invoke(
        args=["report", "demo", "--whole", "-o", str(tmp_path / "app.pdf"), "--html", str(by_app)]
    )
    assert made.exit_code == 0, made.output
    instance = _instance(tmp_path, instance_dir, database_url)
    pdf, html = tmp_path / "cli.pdf", tmp_path / "cli.html"
    shown, code, modules = _entry_point(
        "report",
        "demo",
        "--whole",
        "-o",
        str(pdf),
        "--html",
        str(html),
        env={"INTAKE_INSTANCE_PATH": str(instance)},
    )
    assert code == 0, shown
    assert shown.startswith(f"Wrote {pdf} (")
    assert html.read_text() == by_app.read_text()
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert len(pdf.read_bytes()) > 10_000
    # Built without the pages; WeasyPrint was imported by the child, not here.
    assert "intake.auth.views" not in modules
    assert "weasyprint" not in modules


@pytest.mark.sqlite_only
def test_the_command_renders_itself_if_the_child_cannot(monkeypatch) -> None:
    from intake.report import ahead, pdf

    def broken() -> None:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "prepare_renderer", broken)
    ahead.start()
    renderer = ahead.take()
    assert renderer is not None and ahead.take() is None
    assert renderer.pdf("<p>Hello</p>") is None


# Starts the renderer's child as `intake report` does, says its pid, and is killed at once,
# so that none of its exit handlers run (as with kill -9 or the OOM killer).
KILLED_COMMAND = """
import os, signal
from intake.report import ahead
ahead.start()
print(ahead._started._child.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _has_ended(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status  # ended; waiting for whoever adopted it to reap it


def test_the_renderers_child_ends_when_the_command_is_killed() -> None:
    # Its output is read to the end: a child left running would hold it open, as it would
    # hold open a pipe the command was writing to (`intake report … | mail`).
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_COMMAND], capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -9
    child = int(killed.stdout)
    for _ in range(600):
        if _has_ended(child):
            break
        time.sleep(0.1)
    assert _has_ended(child)
