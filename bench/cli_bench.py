"""Benchmark: how long the ``intake`` command takes to start.

    .venv/bin/python bench/cli_bench.py [--runs 10] [--root DIR]

Runs ``intake --help`` (which builds the app to list its commands) and
``intake check`` several times in fresh processes and prints the median and the
fastest wall time. ``--root`` measures another checkout with this one's
virtual environment (e.g. an older commit, for a before/after comparison).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["--help"], ["check"])


def timed(root: Path, args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", "from intake.cli import main; main()", *args],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    for command in COMMANDS:
        times = [timed(args.root, command) for _ in range(args.runs)]
        print(
            f"intake {' '.join(command)}: median {statistics.median(times):.2f} s, "
            f"fastest {min(times):.2f} s"
        )


if __name__ == "__main__":
    main()
