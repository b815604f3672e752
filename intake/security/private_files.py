"""Files that hold the group's data or keys are the owner's alone from their first byte."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a file that only its owner can read.

    The mode is given to ``open`` itself, so there is no moment in which the
    file exists with the umask's wider mode. A file that is already there
    keeps its own mode on ``open``; it is narrowed before anything is written.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, PRIVATE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), PRIVATE)
        handle.write(data)


def create_private(path: Path) -> None:
    """Create an empty owner-only file unless one exists (a SQLite database to be)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return
    os.close(fd)


def open_to_others(path: Path) -> bool:
    """Whether the group or anybody else may read, write or enter ``path``."""
    return path.exists() and bool(path.stat().st_mode & 0o077)
