"""Benchmark: how long the ``intake`` command takes to start, and to write a report.

    .venv/bin/python bench/cli_bench.py [--runs 7] [--root DIR] [--instance DIR]

Each run, in fresh processes and taking turns so that a busy moment of a shared
machine falls on all of them alike:

- ``intake --help`` (goal: under 0.5 s);
- ``intake check``;
- ``intake report demo --whole`` against plain WeasyPrint: a fresh ``python -c``
  that imports WeasyPrint and writes the very HTML the command handed to it
  (``intake report --html``) to PDF with the same stylesheet (goal: at most 1.3
  times as long, start-up included).

Prints the median and the fastest of each, and the load average (``uptime``)
before and after. ``--root`` measures another checkout with this one's virtual
environment (e.g. an older commit, for a before/after comparison); both can use
the same ``--instance``. Without ``--instance`` a throw-away instance with the
demo process is made first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP_GOAL = 0.5  # seconds
REPORT_GOAL = 1.3  # times plain WeasyPrint

# Plain WeasyPrint: the report's HTML and stylesheet from files, nothing of intake.
PLAIN_WEASYPRINT = (
    "import sys; from weasyprint import CSS, HTML;"
    "HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], stylesheets=[CSS(filename=sys.argv[3])])"
)


def intake(*args: str) -> list[str]:
    return [sys.executable, "-c", "from intake.cli import main; main()", *args]


def environment(root: Path, instance: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root), "INTAKE_INSTANCE_PATH": str(instance)}


def timed(command: list[str], root: Path, instance: Path, may_warn: bool = False) -> float:
    """Seconds the command took; it must succeed (``may_warn``: or say 1, as ``intake
    check`` does for a warning), or the figure would time a failure."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own commands, fixed arguments
        command,
        cwd=root,
        env=environment(root, instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    took = time.perf_counter() - started
    if done.returncode not in ((0, 1) if may_warn else (0,)):
        raise RuntimeError(
            f"{' '.join(map(str, command[3:]))} failed: {done.stderr.decode()[-2000:]}"
        )
    return took


def make_instance(root: Path, directory: Path) -> None:
    """A fresh instance with a key, the schema and the demo process."""
    directory.mkdir(mode=0o700, exist_ok=True)
    (directory / "config.py").write_text(f'SECRET_KEY = "{secrets.token_urlsafe(48)}"\n')
    for args in (["db", "upgrade"], ["keys", "init"], ["demo"]):
        subprocess.run(  # noqa: S603 - our own commands, fixed arguments
            intake(*args),
            cwd=root,
            env=environment(root, directory),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )


def load() -> str:
    """The load average as ``uptime`` says it (1, 5 and 15 minutes)."""
    uptime = shutil.which("uptime")
    if uptime is None:
        return ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    said = subprocess.run([uptime], capture_output=True, text=True, check=False).stdout  # noqa: S603
    return said.strip().split("load average:")[-1].strip()


def line(label: str, times: list[float]) -> str:
    return f"{label:<34} median {statistics.median(times):.2f} s, fastest {min(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--instance", type=Path, help="an instance with the demo process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cli-bench-") as scratch:
        tmp = Path(scratch)
        instance = args.instance
        if instance is None:
            instance = tmp / "instance"
            make_instance(args.root, instance)
        else:  # kept from an earlier run: its schema brought up to this checkout's
            subprocess.run(  # noqa: S603 - our own command, fixed arguments
                intake("db", "upgrade"),
                cwd=args.root,
                env=environment(args.root, instance),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
        html, pdf = tmp / "report.html", tmp / "report.pdf"
        stylesheet = args.root / "pdf_templates" / "report.css"
        commands = {
            "intake --help": intake("--help"),
            "intake check": intake("check"),
            "intake report demo --whole": intake(
                "report",
                "demo",
                "--whole",
                "-o",
                str(pdf),
                "--html",
                str(html),
            ),
            "plain WeasyPrint, same HTML": [
                sys.executable,
                "-c",
                PLAIN_WEASYPRINT,
                str(html),
                str(tmp / "plain.pdf"),
                str(stylesheet),
            ],
        }
        # The report writes the HTML that plain WeasyPrint reads, so it goes first.
        timed(commands["intake report demo --whole"], args.root, instance)
        print(f"load average before: {load()}")
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, command in commands.items():
                warns = label == "intake check"
                times[label].append(timed(command, args.root, instance, may_warn=warns))
        print(f"load average after:  {load()}")
    for label, took in times.items():
        print(line(label, took))
    help_median = statistics.median(times["intake --help"])
    ours = statistics.median(times["intake report demo --whole"])
    plain = statistics.median(times["plain WeasyPrint, same HTML"])
    # As a check on a noisy machine: the same ratio from the fastest run of each.
    by_min = min(times["intake report demo --whole"]) / min(times["plain WeasyPrint, same HTML"])
    print(
        f"intake --help under {HELP_GOAL} s: {'met' if help_median < HELP_GOAL else 'not met'} "
        f"({help_median:.2f} s)"
    )
    print(
        f"report at most {REPORT_GOAL}x plain WeasyPrint: "
        f"{'met' if ours <= REPORT_GOAL * plain else 'not met'} "
        f"({ours / plain:.2f}x by medians, {by_min:.2f}x by fastest runs)"
    )


if __name__ == "__main__":
    main()
