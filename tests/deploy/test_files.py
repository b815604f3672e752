"""The files in deploy/ are what systemd and nginx accept, and what docs/deploy.md shows."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy import servers
from tests.live import BIN, ROOT

pytestmark = pytest.mark.deploy

UNITS = [
    "intake-web.service",
    "intake-worker.service",
    "intake-retention.service",
    "intake-retention.timer",
]


def test_the_units_are_valid(tmp_path: Path) -> None:
    """``systemd-analyze verify`` finds nothing to say (it checks the programs exist, so
    they point at this checkout's)."""
    verify = shutil.which("systemd-analyze")
    if verify is None:
        message = "systemd-analyze is missing (Debian's systemd package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    for unit in UNITS:
        text = servers.replaced(
            (servers.DEPLOY / unit).read_text(),
            {"/srv/intake": str(ROOT), "/etc/intake/intake.env": str(servers.DEPLOY / "intake.env")}
            if unit.endswith(".service")
            else {},
        )
        text = text.replace(f"{ROOT}/.venv/bin/", f"{BIN}/")
        (tmp_path / unit).write_text(text)
    found = subprocess.run(
        [verify, "verify", "--man=no", *(str(tmp_path / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert found.returncode == 0 and found.stdout + found.stderr == "", found.stderr


def test_the_guide_shows_each_file_by_its_name() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for path in servers.DEPLOY.iterdir():
        assert f"`{path.name}`" in guide, path.name
