"""Benchmark: the pages of an old process, served by gunicorn, against a bare Flask page.

    .venv/bin/python bench/pages_bench.py [--backend sqlite|postgresql|both] [--rounds 2]
        [--workers 3]

PostgreSQL needs a server: run it under ``scripts/with-postgres.sh`` (which sets
``INTAKE_TEST_POSTGRES_URL``), or give ``--postgres URL``.

For each backend it builds, in a throw-away instance, a process five years old
with 5,000 contact entries, 100 meetings with him and 300 agreed steps (through
the domain services), serves the app with gunicorn (``--workers``, by default
three sync workers as ``deploy/intake-web.service`` and ``make run`` do) on the
loopback, signs in as a contact-group coordinator, and measures every process
page: p50 and p95 of the wall time of a request, first for one user (requests one
after the other), then for 20 users at once (each user a thread with its own
session). A bare Flask + Jinja page is served
by the same gunicorn settings in the same run, as the anchor: requests per
second of the at-a-glance page against the bare page, both at 20 users.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench horse battery staple"  # noqa: S105 - a throw-away instance
PAGES = {
    "at-a-glance": "/p/old/",
    "chronology": "/p/old/chronology",
    "contact log": "/p/old/contacts",
    "records": "/p/old/submissions/",
    "steps": "/p/old/steps/",
    "meetings": "/p/old/meetings/",
    "audit": "/p/old/audit",
    "search, a common word": "/p/old/search?q=demands",
    "search, no hit": "/p/old/search?q=nowhere",
}
USERS = 20


def build(instance: Path, database_url: str) -> None:
    """The five-year process, written through the same services as the pages."""
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from intake import create_app
    from intake.security.encryption import Keyring

    Keyring.load(instance / "keys").new_key()
    app = create_app(
        {
            "SECRET_KEY": "bench-" * 8,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context(), app.test_request_context():
        upgrade()
        _old_process()
        _analysed()


def _analysed() -> None:
    """PostgreSQL's statistics as autovacuum leaves them a minute later: measured without,
    a page's plan, and autovacuum running in the middle of a run, depend on the moment."""
    import sqlalchemy as sa

    from intake.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))


def _old_process() -> None:
    from intake.clock import today
    from intake.extensions import db
    from intake.models import MeetingKind, MeetingState, Role, StepOwner, StepStatus
    from intake.people.accounts import set_password
    from intake.people.membership import create_process, invite_member
    from intake.record import meetings, steps
    from intake.submissions import service

    rng = random.Random(16)  # noqa: S311 - reproducible test data, not secrets
    process = create_process("old", "X")
    kim = invite_member(
        process, username="kim", display_name="Kim", role=Role.CONTACT, is_coordinator=True
    ).membership.account
    set_password(kim, PASSWORD)
    sam = invite_member(
        process, username="sam", display_name="Sam", role=Role.SUPPORT, is_coordinator=True
    ).membership.account
    service.save(
        process,
        service.definition("handover"),
        sam,
        {"demands": [{"text": f"Demand {n}: " + "words " * 20} for n in range(1, 4)]},
        submit=True,
    )
    start = today() - timedelta(days=5 * 365)
    contact = service.definition("contact")
    for i in range(5000):
        day = start + timedelta(days=i * (5 * 365 - 2) // 5000)
        his = rng.random() < 0.3
        answers = {
            "date": day.isoformat(),
            "channel": "email",
            "direction": "he_wrote" if his else "we_wrote",
            "summary": "A message about the demands. " * 6,
        }
        if his:
            answers["answer_kind"] = rng.choice(["real", "acknowledgement"])
        service.save(process, contact, kim, answers, submit=True)
        if i % 500 == 0:
            db.session.commit()
    for m in range(100):
        meetings.plan(
            process,
            kind=MeetingKind.WITH_HIM,
            starts_at=datetime.combine(
                start + timedelta(days=m * 18), datetime.min.time(), tzinfo=UTC
            ),
            place="",
            expected="",
            by=kim,
            state=MeetingState.MISSED if m % 3 == 0 else MeetingState.HELD,
        )
    for s in range(300):
        agreed = start + timedelta(days=s * 6)
        step = steps.add_step(
            process,
            what=f"Step {s}: read the letter again",
            owner=StepOwner.HIM,
            deadline=agreed + timedelta(days=30),
            agreed_on=agreed,
            by=kim,
        )
        if s % 2:  # done, on the day it was done, as the steps page records it
            db.session.flush()
            steps.change_step(
                step,
                status=StepStatus.DONE,
                deadline=step.deadline,
                reason="",
                started_from=step.lock_version,
                by=kim,
                on=agreed + timedelta(days=20),
            )
    db.session.commit()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec: str, env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT / "bench"),
            "--log-level",
            "warning",
            app_spec,
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310 - loopback
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"{app_spec} did not start")


def signed_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    fields = {"username": "kim", "password": PASSWORD}
    fields["csrf_token"] = token.group(1) if token else ""
    opener.open(base + "/login", urllib.parse.urlencode(fields).encode()).read()
    return opener


def timed(opener, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    body = opener.open(url).read()
    return time.perf_counter() - started, len(body)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def one_user(opener, url: str, rounds: int) -> tuple[list[float], int]:
    timed(opener, url)  # warm each worker's caches once
    results = [timed(opener, url) for _ in range(rounds * 5)]
    return [t for t, _ in results], results[-1][1]


def many_users(openers, url: str, rounds: int) -> tuple[list[float], float]:
    times: list[float] = []
    lock = threading.Lock()

    def user(opener) -> None:
        for _ in range(rounds):
            elapsed, _size = timed(opener, url)
            with lock:
                times.append(elapsed)

    threads = [threading.Thread(target=user, args=(o,)) for o in openers]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, len(times) / (time.perf_counter() - started)


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def run_backend(name: str, database_url: str, rounds: int, workers: int) -> None:
    instance = Path(tempfile.mkdtemp(prefix="intake-pages-bench-"))
    try:
        (instance / "config.py").write_text(
            f"SECRET_KEY = {'bench-' * 8!r}\nSESSION_COOKIE_SECURE = False\n"
        )
        started = time.perf_counter()
        build(instance, database_url)
        print(
            f"\n## {name}: built in {time.perf_counter() - started:.0f} s; {workers} workers\n",
            flush=True,
        )
        env = {"INTAKE_INSTANCE_PATH": str(instance), "DATABASE_URL": database_url}
        app, base = serve("intake:create_app()", env, workers)
        bare, bare_base = serve("bare_app:app", {}, workers)
        try:
            openers = [signed_in(base) for _ in range(USERS)]
            bare_openers = [urllib.request.build_opener() for _ in range(USERS)]
            print("| page | size | 1 user p50 | p95 | 20 users p50 | p95 | req/s |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            rates = {}
            for page, path in PAGES.items():
                alone, size = one_user(openers[0], base + path, rounds)
                crowd, rate = many_users(openers, base + path, rounds)
                rates[page] = rate
                print(
                    f"| {page} | {size // 1024} KiB | {ms(statistics.median(alone))} "
                    f"| {ms(percentile(alone, 0.95))} | {ms(statistics.median(crowd))} "
                    f"| {ms(percentile(crowd, 0.95))} | {rate:.0f} |",
                    flush=True,
                )
            alone, size = one_user(bare_openers[0], bare_base + "/", rounds * 4)
            crowd, rate = many_users(bare_openers, bare_base + "/", rounds * 4)
            print(
                f"| bare Flask + Jinja | {size // 1024} KiB | {ms(statistics.median(alone))} "
                f"| {ms(percentile(alone, 0.95))} | {ms(statistics.median(crowd))} "
                f"| {ms(percentile(crowd, 0.95))} | {rate:.0f} |"
            )
            print(
                f"\nat-a-glance throughput against the bare page: "
                f"{100 * rates['at-a-glance'] / rate:.1f} %",
                flush=True,
            )
        finally:
            for server in (app, bare):
                server.terminate()
                server.wait()
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=2, help="requests per user at 20 users")
    parser.add_argument("--postgres", default=os.environ.get("INTAKE_TEST_POSTGRES_URL"))
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn's sync workers (deployed: 3)"
    )
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        sqlite_dir = Path(tempfile.mkdtemp(prefix="intake-pages-db-"))
        run_backend("SQLite", f"sqlite:///{sqlite_dir}/bench.sqlite", args.rounds, args.workers)
        shutil.rmtree(sqlite_dir, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        if not args.postgres:
            sys.exit("PostgreSQL: run under scripts/with-postgres.sh or give --postgres URL")
        run_backend("PostgreSQL", _fresh_database(args.postgres), args.rounds, args.workers)


def _fresh_database(url: str) -> str:
    import sqlalchemy as sa

    name = f"pages_bench_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return str(sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False))


if __name__ == "__main__":
    main()
