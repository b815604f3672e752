"""Benchmark: report-back rendering against plain WeasyPrint on the same HTML (the floor).

    .venv/bin/python bench/report_bench.py [--runs 15]

Builds, in a throw-away instance, the demo process and a synthetic process of
4.5 years (about 300 contact entries, 20 meetings with minutes, 40 check-ins),
then measures for a quarter's report-back and the whole-process report:
- ours: assembling from the records, templating, and rendering the PDF;
- floor: WeasyPrint alone rendering the final HTML our pipeline produced;
each as the median wall time over the runs (ours and the floor taking turns, so
that noise from a shared machine falls on both; the collector run before each
timing, as timeit does) and the peak memory (max RSS) of a fresh process doing
one render. Also a render as the worker does it (forked, with and without
gc.freeze()) and the median time to download a released report.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(instance: Path):
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from intake import create_app
    from intake.security.encryption import Keyring

    Keyring.load(instance / "keys").new_key()
    app = create_app(
        {
            "SECRET_KEY": "bench-" * 8,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.sqlite",
            "SESSION_COOKIE_SECURE": False,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
        from intake.cli.demo import load_demo

        load_demo()
        synthetic(app)
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
        service.save(
            process,
            service.definition("contact"),
            kim,
            {
                "date": day.isoformat(),
                "channel": "email",
                "direction": direction,
                "summary": "A message. " * 20,
            },
            submit=True,
        )
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
        item.invitation.submission_id = saved.submission.id
        item.invitation.answered_at = saved.submission.submitted_at
    db.session.commit()
    assert db.session.query(Account).count() > 0


def _ours(app, short: str, since: date, until: date) -> str:
    from intake.people.membership import process_by_short_name
    from intake.report.content import assemble
    from intake.report.render import report_html, to_pdf

    with app.test_request_context():
        process = process_by_short_name(short)
        html = report_html(assemble(process, since, until))
        to_pdf(html)
        return html


def _floor(html: str, css) -> None:
    from weasyprint import HTML

    HTML(string=html).write_pdf(stylesheets=[css])


def _in_child(target, args, queue) -> None:
    started = time.perf_counter()
    target(*args)
    elapsed = time.perf_counter() - started
    queue.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def peak_mib(target, args) -> float:
    """Peak memory of one call in a fresh child (forked, so imports are not counted twice)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_child, args=(target, args, queue))
    child.start()
    _elapsed, peak = queue.get()
    child.join()
    return peak


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        app = build(Path(tmp))
        from intake.clock import today
        from intake.report.content import first_day

        with app.app_context():
            from intake.people.membership import process_by_short_name

            firsts = {s: first_day(process_by_short_name(s)) for s in ("demo", "synthetic")}
        end = today()
        from weasyprint import CSS

        # The floor gets the stylesheet parsed once too, as our pipeline does.
        css = CSS(string=(ROOT / "pdf_templates" / "report.css").read_text())
        header = ("case", "ours s", "floor s", "overhead", "by min", "ours MiB", "floor MiB")
        print(
            f"{header[0]:24} {header[1]:>7} {header[2]:>7} {header[3]:>9} {header[4]:>7} "
            f"{header[5]:>9} {header[6]:>10}"
        )
        for short in ("demo", "synthetic"):
            for label, since in (("quarter", end - timedelta(days=91)), ("whole", firsts[short])):
                html = _ours(app, short, since, end)
                ours, floor = (_ours, (app, short, since, end)), (_floor, (html, css))
                ours_t, floor_t = measure_pair(ours, floor, runs)
                ours_s, floor_s = statistics.median(ours_t), statistics.median(floor_t)
                # The fastest runs are the least disturbed: their difference is our own cost.
                by_min = (min(ours_t) - min(floor_t)) / min(floor_t) * 100
                ours_mb, floor_mb = peak_mib(*ours), peak_mib(*floor)
                overhead = (ours_s - floor_s) / floor_s * 100
                print(
                    f"{short + ' ' + label:24} {ours_s:7.3f} {floor_s:7.3f} {overhead:8.1f}% "
                    f"{by_min:6.1f}% {ours_mb:9.0f} {floor_mb:10.0f}"
                )
        frozen = worker_child_seconds(app, firsts["synthetic"], end, runs)
        print(
            "in a forked worker, 4.5 years whole: "
            f"{frozen['plain']:.3f} s, with gc.freeze() {frozen['frozen']:.3f} s (median)"
        )
        print(f"download of a released report: {download_ms(app, runs * 4):.1f} ms (median)")


def _worker_like(app, since: date, until: date, freeze: bool, queue) -> None:
    if freeze:
        gc.freeze()  # as intake/report/worker.py does after the fork
    started = time.perf_counter()
    _ours(app, "synthetic", since, until)
    queue.put(time.perf_counter() - started)


def worker_child_seconds(app, since: date, until: date, runs: int) -> dict[str, float]:
    """A render as the worker does it: in a fresh fork, with and without gc.freeze()."""
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
