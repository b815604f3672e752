"""Benchmark: report-back rendering against plain WeasyPrint on the same HTML (the floor)
and against Chromium printing that HTML.

    .venv/bin/python bench/report_bench.py [--runs 5] [--instance DIR] [--only old]
        [--no-chromium] [--no-extras]

Builds, in a throw-away instance (or in ``--instance DIR``, kept and reused by the
next run), the demo process, a synthetic process of 4.5 years (about 300 contact
entries, one in ten with a note for the report-back, 20 meetings with minutes, 40
check-ins) and a process five years old with 5,000 contact entries, 100 meetings
and 300 agreed steps (the one of ``bench/pages_bench.py``). For a quarter's
report-back and the whole-process report of each it measures:
- ours: assembling from the records, templating, and rendering the PDF;
- floor: WeasyPrint alone rendering the final HTML our pipeline produced;
each as the median wall time over the runs (ours and the floor taking turns, so
that noise from a shared machine falls on both; the collector run before each
timing, as timeit does), and the peak memory of a fresh process that builds the
app and renders once, as the render worker does (max RSS, read by a small launcher
process with ``getrusage(RUSAGE_CHILDREN)``).

For the whole-process reports, Chromium prints the same HTML (the stylesheet
inlined) too, taking turns with a fresh process rendering it with WeasyPrint:
``/usr/bin/chromium --headless --print-to-pdf`` started for each run (its wall
time includes starting the browser), and a browser kept open by Playwright
(``page.set_content`` and ``page.pdf`` only). Peak memory of the command line
print is that of the largest process of its tree, read the same way.
Then a render as the worker does it (forked, with and without gc.freeze()) and
the median time to download a released report.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
QUARTER = timedelta(days=91)
CONFIG = {
    "SECRET_KEY": "bench-" * 8,
    "SESSION_COOKIE_SECURE": False,
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
}


def _app(instance: Path):
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    from intake import create_app

    return create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite"})


def build(instance: Path):
    """The app on ``instance``; its processes are built first unless they are there."""
    from flask_migrate import upgrade

    from intake.security.encryption import Keyring

    built = (instance / "bench.sqlite").exists()
    if not built:
        Keyring.load(instance / "keys").new_key()
    app = _app(instance)
    with app.app_context():
        upgrade()
        if built:
            return app
        from intake.cli.demo import load_demo

        load_demo()
        synthetic(app)
        from bench.pages_bench import _old_process

        with app.test_request_context():
            _old_process()
    return app


def synthetic(app) -> None:
    """A 4.5-year process: ~300 contacts, 20 meetings with minutes, 40 check-ins."""
    from intake.checkins import private_links
    from intake.clock import today
    from intake.extensions import db
    from intake.models import Account, Role
    from intake.people.membership import create_process, invite_member
    from intake.record.demands import demands_of
    from intake.submissions import service

    rng = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    process = create_process("synthetic", "Y")
    kim = invite_member(
        process, username="syn-contact", display_name="Kim", role=Role.CONTACT, is_coordinator=True
    ).membership.account
    sam = invite_member(
        process, username="syn-support", display_name="Sam", role=Role.SUPPORT
    ).membership.account
    start = today() - timedelta(days=round(4.5 * 365))
    service.save(
        process,
        service.definition("handover"),
        sam,
        {
            "demands": [{"text": f"Demand number {n}: " + "words " * 30} for n in range(1, 5)],
            "wants_updates": "major",
        },
        submit=True,
    )
    for i in range(300):
        day = start + timedelta(days=round(i * 4.5 * 365 / 300))
        direction = "he_wrote" if rng.random() < 0.3 else "we_wrote"
        answers = {
            "date": day.isoformat(),
            "channel": "email",
            "direction": direction,
            "summary": "A message. " * 20,
        }
        if i % 10 == 0:
            answers["report_note"] = "What he said, in one sentence."
        service.save(process, service.definition("contact"), kim, answers, submit=True)
    demand_ids = [d.id for d in demands_of(process)]
    for m in range(20):
        day = start + timedelta(days=40 + m * 80)
        service.save(
            process,
            service.definition("minutes"),
            kim,
            {
                "kind": "with_him",
                "planned_date": day.isoformat(),
                "outcome": "missed" if m % 4 == 3 else "held",
                "review": {
                    str(d): {"said": "He said things. " * 10, "status": "in_progress"}
                    for d in demand_ids
                },
                "steps": [
                    {
                        "what": f"Step {m}.{k}",
                        "owner": "him",
                        "deadline": (day + timedelta(days=30)).isoformat(),
                    }
                    for k in range(2)
                ],
                "his_reflections": "Reflections. " * 15,
            },
            submit=True,
        )
    _round, issued = private_links.start_round(
        process,
        title="Many",
        form_id="checkin",
        intro="",
        days=30,
        by=kim,
        people=[private_links.Person(f"person {n}", "") for n in range(40)],
    )
    for n, item in enumerate(issued):
        saved = service.save(
            process,
            service.definition("checkin"),
            None,
            {
                "told": rng.choice(["yes", "no", "unsure"]),
                "what_he_said": "He said. " * 12,
                "challenge": "yes",
                "quote_consent": rng.choice(["yes", "no"]),
            },
            submit=True,
        )
        saved.submission.submitted_at = datetime.combine(
            start + timedelta(days=30 + n * 40), datetime.min.time(), tzinfo=UTC
        )
        item.link.submission_id = saved.submission.id
        item.link.answered_at = saved.submission.submitted_at
    db.session.commit()
    assert db.session.query(Account).count() > 0


def _ours(app, short: str, since: date, until: date, whole: bool = False) -> str:
    from intake.people.membership import process_by_short_name
    from intake.report.content import assemble
    from intake.report.render import report_html, to_pdf

    with app.test_request_context():
        process = process_by_short_name(short)
        html = report_html(assemble(process, since, until, whole=whole))
        to_pdf(html)
        return html


def _floor(html: str, css) -> None:
    from weasyprint import HTML

    HTML(string=html).write_pdf(stylesheets=[css])


# Runs a command and says its wall time and the peak RSS of the largest process of its
# tree. A small process of its own starts it: a child forked from this big one and
# then exec'd would report this one's memory as its peak (Linux keeps the larger).
LAUNCHER = (
    "import resource, subprocess, sys, time; started = time.perf_counter();"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(time.perf_counter() - started,"
    " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)"
)


def _waited(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MiB (largest process of its tree) of one command."""
    said = subprocess.run(  # noqa: S603 - our own fixed commands
        [sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if said[2] != "0":
        raise RuntimeError(f"{command[0]} failed: {said[2]}")
    return float(said[0]), int(said[1]) / 1024


def peak_ours(instance: Path, short: str, since: date, until: date, label: str) -> float:
    """Peak MiB of a fresh process that builds the app and renders one report, as the
    render worker's child does."""
    code = (
        "import sys; from datetime import date; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path; from bench.report_bench import _app, _ours;"
        "_ours(_app(Path(sys.argv[2])), sys.argv[3], date.fromisoformat(sys.argv[4]),"
        " date.fromisoformat(sys.argv[5]), sys.argv[6] == 'whole')"
    )
    args = [str(ROOT), str(instance), short, since.isoformat(), until.isoformat(), label]
    return _waited([sys.executable, "-c", code, *args])[1]


def weasyprint_cold(html_file: Path, pdf_file: Path) -> tuple[float, float]:
    """A fresh Python printing the HTML file with WeasyPrint: seconds, peak MiB."""
    code = (
        "import sys; from weasyprint import HTML;HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
    )
    return _waited([sys.executable, "-c", code, str(html_file), str(pdf_file)])


def chromium_cold(html_file: Path, pdf_file: Path) -> tuple[float, float]:
    return _waited(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_file}",
            html_file.as_uri(),
        ]
    )


def with_style(html: str) -> str:
    """The report's HTML with its stylesheet inlined, as a browser needs it."""
    css = (ROOT / "pdf_templates" / "report.css").read_text()
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def measure_pair(ours, floor, runs: int) -> tuple[list[float], list[float]]:
    """Seconds of each run of ours and of the floor, taking turns so that a busy moment
    of a shared machine falls on both alike rather than on one of them."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for (target, args), kept in zip((ours, floor), times, strict=True):
            # As timeit does: no collection of the other side's garbage inside a timing.
            gc.collect()
            gc.disable()
            started = time.perf_counter()
            target(*args)
            kept.append(time.perf_counter() - started)
            gc.enable()
    return times


def against_chromium(html: str, runs: int, tmp: Path) -> dict[str, tuple[float, float]]:
    """Seconds (median) and peak MiB of printing the same HTML: WeasyPrint in a fresh
    process, Chromium from the command line, Chromium kept open (Playwright)."""
    html_file = tmp / "report.html"
    html_file.write_text(with_style(html))
    found: dict[str, list[tuple[float, float]]] = {"weasyprint": [], "chromium": []}
    for _ in range(runs):
        found["weasyprint"].append(weasyprint_cold(html_file, tmp / "w.pdf"))
        found["chromium"].append(chromium_cold(html_file, tmp / "c.pdf"))
    result = {
        name: (statistics.median(t for t, _m in got), max(m for _t, m in got))
        for name, got in found.items()
    }
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return result
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            page.set_content(with_style(html))
            page.pdf(format="A4")
            times.append(time.perf_counter() - started)
        browser.close()
    result["chromium, kept open"] = (statistics.median(times), float("nan"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--instance", type=Path, help="kept between runs; built if empty")
    parser.add_argument("--only", choices=("demo", "synthetic", "old"), action="append")
    parser.add_argument("--no-chromium", action="store_true")
    parser.add_argument("--no-extras", action="store_true", help="no worker or download timing")
    args = parser.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        instance = args.instance or Path(tmp) / "instance"
        instance.mkdir(parents=True, exist_ok=True)
        app = build(instance)
        from intake.clock import today
        from intake.report.content import first_day

        shorts = args.only or ["demo", "synthetic", "old"]
        with app.app_context():
            from intake.people.membership import process_by_short_name

            firsts = {s: first_day(process_by_short_name(s)) for s in shorts}
        end = today()
        from weasyprint import CSS

        # The floor gets the stylesheet parsed once too, as our pipeline does.
        css = CSS(string=(ROOT / "pdf_templates" / "report.css").read_text())
        header = ("case", "ours s", "floor s", "overhead", "by min", "ours MiB", "pages")
        print(
            f"{header[0]:24} {header[1]:>7} {header[2]:>7} {header[3]:>9} {header[4]:>7} "
            f"{header[5]:>9} {header[6]:>6}"
        )
        wholes = {}
        for short in shorts:
            for label, since in (("quarter", end - QUARTER), ("whole", firsts[short])):
                whole = label == "whole"
                html = _ours(app, short, since, end, whole)
                if label == "whole":
                    wholes[short] = html
                ours, floor = (_ours, (app, short, since, end, whole)), (_floor, (html, css))
                ours_t, floor_t = measure_pair(ours, floor, runs)
                ours_s, floor_s = statistics.median(ours_t), statistics.median(floor_t)
                # The fastest runs are the least disturbed: their difference is our own cost.
                by_min = (min(ours_t) - min(floor_t)) / min(floor_t) * 100
                ours_mb = peak_ours(instance, short, since, end, label)
                overhead = (ours_s - floor_s) / floor_s * 100
                print(
                    f"{short + ' ' + label:24} {ours_s:7.3f} {floor_s:7.3f} {overhead:8.1f}% "
                    f"{by_min:6.1f}% {ours_mb:9.0f} {_pages(html, css):6d}",
                    flush=True,
                )
        if not args.no_chromium:
            for short, html in wholes.items():
                for name, (seconds, mib) in against_chromium(html, runs, Path(tmp)).items():
                    print(f"{short} whole, {name:20} {seconds:7.3f} s {mib:7.0f} MiB", flush=True)
        if args.no_extras or "synthetic" not in shorts:
            return
        frozen = worker_child_seconds(app, firsts["synthetic"], end, runs)
        print(
            "in a forked worker, 4.5 years whole: "
            f"{frozen['plain']:.3f} s, with gc.freeze() {frozen['frozen']:.3f} s (median)"
        )
        print(f"download of a released report: {download_ms(app, runs * 4):.1f} ms (median)")


def _pages(html: str, css) -> int:
    from weasyprint import HTML

    return len(HTML(string=html).render(stylesheets=[css]).pages)


def _worker_like(app, since: date, until: date, freeze: bool, queue) -> None:
    if freeze:
        gc.freeze()  # as intake/report/worker.py does in its child
    started = time.perf_counter()
    _ours(app, "synthetic", since, until, True)
    queue.put(time.perf_counter() - started)


def worker_child_seconds(app, since: date, until: date, runs: int) -> dict[str, float]:
    """A render in a fresh fork, with and without gc.freeze()."""
    context = multiprocessing.get_context("fork")
    times: dict[str, list[float]] = {"plain": [], "frozen": []}
    for _ in range(max(3, runs // 3)):
        for name in times:
            queue = context.Queue()
            args = (app, since, until, name == "frozen", queue)
            child = context.Process(target=_worker_like, args=args)
            child.start()
            times[name].append(queue.get())
            child.join()
    return {name: statistics.median(found) for name, found in times.items()}


def download_ms(app, runs: int) -> float:
    from intake.extensions import db
    from intake.models import Account
    from intake.people.membership import process_by_short_name
    from intake.report import service

    with app.app_context():
        process = process_by_short_name("demo")
        kim = db.session.query(Account).filter_by(username="demo-contact").one()
        with app.test_request_context():
            report = service.request_report(
                process, since=date(2020, 1, 1), until=date.today(), whole=False, by=kim
            )
            service.render(report)
            service.release(report, kim)
            db.session.commit()
        report_id = report.id
    client = app.test_client()
    with client.session_transaction() as session:
        session.clear()
    client.post("/login", data={"username": "demo-central", "password": _password(app)})
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(f"/p/demo/reports/{report_id}/pdf")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def _password(app) -> str:
    from intake.extensions import db
    from intake.people.accounts import find_account, set_password

    with app.app_context():
        set_password(find_account("demo-central"), "bench password long")
        db.session.commit()
    return "bench password long"


if __name__ == "__main__":
    main()
