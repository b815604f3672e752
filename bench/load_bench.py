"""Load test: signed-in sessions doing a contact group's weekly work, then every write counted.

    .venv/bin/python bench/load_bench.py [--backend sqlite|postgresql|both]
        [--sessions 50] [--seconds 60] [--workers 3] [--think 1.0]

PostgreSQL needs a server: run it under ``scripts/with-postgres.sh`` (which sets
``INTAKE_TEST_POSTGRES_URL``), or give ``--postgres URL``.

For each backend it builds a throw-away instance (10 processes, 5 contact-group
members each, 20 contact entries each), serves it as `make run` does (gunicorn,
3 sync workers, timeout 60 s, on a free loopback port), and signs in one
session per member. Each session then, until the time is up, does one of the
weekly journeys after a pause of up to ``--think`` seconds: writes a contact-log
entry (the new-entry page, then the post), writes meeting minutes, or reads
pages (at a glance, contact log, chronology, meetings). Nothing leaves the
loopback, and the run stops after ``--seconds``.

Afterwards it opens the database and checks that every write the server
confirmed (a redirect to the new record) is stored exactly once, and that no
write is stored twice. It prints requests, requests per second, p50 and p95 per
journey step, 5xx answers and other errors, and exits 1 if any write was lost
or doubled or any 5xx was seen.
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
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench horse battery staple"  # noqa: S105 - a throw-away instance
SECRET = "load-bench-" * 4
PROCESSES = 10
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
RECORD = re.compile(r"/p/[a-z0-9-]+/submissions/(\d+)$")
MARKER = re.compile(r"load-\d+-\d+")
READ_PAGES = ("", "contacts", "chronology", "meetings/")


def build(instance: Path, database_url: str, sessions: int) -> list[tuple[str, str]]:
    """The instance, through the same services as the pages; (username, process) per session."""
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from intake import create_app
    from intake.extensions import db
    from intake.models import Role
    from intake.people.membership import create_process, invite_member
    from intake.security.encryption import Keyring
    from intake.security.passwords import hash_password
    from intake.submissions import service

    Keyring.load(instance / "keys").new_key()
    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database_url})
    people: list[tuple[str, str]] = []
    hashed = hash_password(PASSWORD)  # argon2 is slow on purpose: once for everyone
    with app.app_context(), app.test_request_context():
        upgrade()
        processes = [create_process(f"group{n}", "X") for n in range(PROCESSES)]
        db.session.flush()
        first = {}
        for n in range(sessions):
            process = processes[n % PROCESSES]
            member = invite_member(
                process,
                username=f"member{n}",
                display_name=f"Member {n}",
                role=Role.CONTACT,
                is_coordinator=n < PROCESSES,
            ).membership.account
            member.password_hash = hashed
            first.setdefault(process.short_name, member)
            people.append((member.username, process.short_name))
        db.session.flush()
        contact = service.definition("contact")
        for index, process in enumerate(processes[: min(sessions, PROCESSES)]):
            for day in range(20):
                entry = _contact_answers(f"seed {index} {day}", f"2025-{1 + day % 12:02d}-10")
                service.save(process, contact, first[process.short_name], entry, submit=True)
        db.session.commit()
        db.engine.dispose()
    return people


def _contact_answers(summary: str, day: str) -> dict[str, str]:
    return {"date": day, "channel": "email", "direction": "we_wrote", "summary": summary}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(instance: Path, database_url: str, workers: int) -> tuple[subprocess.Popen, str]:
    """gunicorn as `make run` starts it, on a free loopback port."""
    port = _free_port()
    env = {
        **os.environ,
        "INTAKE_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "INTAKE_LOCAL_HTTP": "1",
    }
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
            "intake:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310 - loopback
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


@dataclass
class Tally:
    """What all sessions saw; one lock, held only to append."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    confirmed: dict[str, int] = field(default_factory=dict)  # marker -> record id
    attempted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Session:
    """One signed-in member with their own cookies."""

    def __init__(self, base: str, number: int, username: str, process: str, tally: Tally):
        self.base, self.number, self.process, self.tally = base, number, process, tally
        self.username = username
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.writes = 0

    def request(self, step: str, path: str, form: dict[str, str] | None = None):
        """(status, final path, body), timed under ``step``; errors counted, never raised."""
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - loopback
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                status, final, text = response.status, response.geturl(), response.read()
        except urllib.error.HTTPError as error:
            status, final, text = error.code, path, error.read()
        except OSError as error:
            with self.tally.lock:
                self.tally.errors.append(f"{step}: {error}")
            return 0, path, ""
        elapsed = time.perf_counter() - started
        with self.tally.lock:
            self.tally.times[step].append(elapsed)
            self.tally.statuses[status] += 1
            if status >= 500:
                self.tally.errors.append(f"{step}: {status}")
        return status, final.removeprefix(self.base), text.decode(errors="replace")

    def sign_in(self) -> None:
        _status, _path, page = self.request("sign-in page", "/login")
        token = TOKEN.search(page)
        fields = {"username": self.username, "password": PASSWORD}
        status, path, _ = self.request(
            "sign in", "/login", {**fields, "csrf_token": token.group(1) if token else ""}
        )
        if status != 200 or path.startswith("/login"):
            raise RuntimeError(f"{self.username} could not sign in ({status} {path})")

    def _write(self, form_id: str, answers: dict[str, str]) -> None:
        new = f"/p/{self.process}/submissions/new/{form_id}"
        status, _path, page = self.request(f"{form_id}: open form", new)
        token, key = TOKEN.search(page), FORM_KEY.search(page)
        if status != 200 or not token or not key:
            return
        self.writes += 1
        marker = f"load-{self.number}-{self.writes}"
        fields = {**answers, "csrf_token": token.group(1), "form_key": key.group(1)}
        fields = {k: v.replace("MARKER", marker) for k, v in fields.items()}
        with self.tally.lock:
            self.tally.attempted.add(marker)
        status, path, _ = self.request(f"{form_id}: save", new, fields)
        stored = RECORD.search(path)
        if status == 200 and stored:
            with self.tally.lock:
                self.tally.confirmed[marker] = int(stored.group(1))

    def contact_entry(self) -> None:
        entry = _contact_answers("Wrote to him again. MARKER", time.strftime("%Y-%m-%d"))
        self._write("contact", {**entry, "awaiting_answer": "yes", "_action": "submit"})

    def minutes(self) -> None:
        self._write(
            "minutes",
            {
                "kind": "internal",
                "planned_date": time.strftime("%Y-%m-%d"),
                "outcome": "held",
                "attended": "the contact group",
                "group_notes": "Talked about the next letter. MARKER",
                "_action": "submit",
            },
        )

    def read(self, rng: random.Random) -> None:
        for page in rng.sample(READ_PAGES, 2):
            self.request(f"read {page or 'at a glance'}", f"/p/{self.process}/{page}")

    def run(self, until: float, think: float, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - pacing, not secrets
        while time.monotonic() < until:
            time.sleep(rng.uniform(0, think))
            journey = rng.random()
            if journey < 0.35:
                self.contact_entry()
            elif journey < 0.45:
                self.minutes()
            else:
                self.read(rng)


def stored_once(database_url: str, instance: Path, tally: Tally) -> tuple[int, list[str]]:
    """Markers in the database against the confirmed writes: (stored, problems)."""
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    import sqlalchemy as sa

    from intake import create_app
    from intake.extensions import db
    from intake.models import Submission, SubmissionStatus
    from intake.submissions import service

    app = create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": database_url})
    where: dict[str, list[int]] = defaultdict(list)
    with app.app_context():
        records = db.session.scalars(
            sa.select(Submission).where(
                Submission.form_id.in_(("contact", "minutes")),
                Submission.status != SubmissionStatus.DRAFT,
            )
        )
        for record in records:
            answers = service.answers_of(record)
            text = f"{answers.get('summary', '')} {answers.get('group_notes', '')}"
            for marker in MARKER.findall(text):
                where[marker].append(record.id)
        db.engine.dispose()
    problems = [f"{m}: stored {len(ids)} times" for m, ids in where.items() if len(ids) > 1]
    for marker, record_id in tally.confirmed.items():
        if where.get(marker) != [record_id]:
            problems.append(
                f"{marker}: confirmed as record {record_id}, stored {where.get(marker)}"
            )
    return sum(len(ids) for ids in where.values()), problems


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.0f} ms"


def run_backend(name: str, database_url: str, args: argparse.Namespace) -> bool:
    instance = Path(tempfile.mkdtemp(prefix="intake-load-bench-"))
    try:
        (instance / "config.py").write_text(f"SECRET_KEY = {SECRET!r}\n")
        people = build(instance, database_url, args.sessions)
        server, base = serve(instance, database_url, args.workers)
        tally = Tally()
        try:
            sessions = [Session(base, n, u, p, tally) for n, (u, p) in enumerate(people)]
            for session in sessions:
                session.sign_in()
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=s.run, args=(until, args.think, n))
                for n, s in enumerate(sessions)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=60)
        stored, problems = stored_once(database_url, instance, tally)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    steps = {k: v for k, v in tally.times.items() if not k.startswith("sign")}
    every = [t for times in steps.values() for t in times]
    count = len(every)
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(
        f"\n## {name}: {args.sessions} sessions, {elapsed:.0f} s, {args.workers} workers\n\n"
        f"{count} requests ({count / elapsed:.1f}/s), p50 {ms(statistics.median(every))}, "
        f"p95 {ms(percentile(every, 0.95))}; 5xx: {server_errors}; "
        f"connection errors: {len(tally.errors) - server_errors}; "
        f"statuses: {dict(sorted(tally.statuses.items()))}\n"
    )
    print("| step | requests | p50 | p95 |\n|---|---:|---:|---:|")
    for step, times in sorted(steps.items()):
        print(
            f"| {step} | {len(times)} | {ms(statistics.median(times))} "
            f"| {ms(percentile(times, 0.95))} |"
        )
    print(
        f"\nwrites: {len(tally.attempted)} posted, {len(tally.confirmed)} confirmed, "
        f"{stored} stored; {'every confirmed write stored exactly once' if not problems else ''}",
        flush=True,
    )
    for problem in problems[:20]:
        print(f"  PROBLEM {problem}")
    for error in tally.errors[:20]:
        print(f"  ERROR {error}")
    return not problems and not tally.errors


def _fresh_database(url: str) -> str:
    import sqlalchemy as sa

    name = f"load_bench_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return str(sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (make run: 3)")
    parser.add_argument("--think", type=float, default=1.0, help="most seconds between steps")
    parser.add_argument("--postgres", default=os.environ.get("INTAKE_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200 or not 0 < args.seconds <= 1800:
        sys.exit("Keep it bounded: 1 to 200 sessions, at most 1800 seconds.")
    fine = True
    if args.backend in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="intake-load-db-"))
        fine &= run_backend("SQLite", f"sqlite:///{folder}/bench.sqlite", args)
        shutil.rmtree(folder, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        if not args.postgres:
            sys.exit("PostgreSQL: run under scripts/with-postgres.sh or give --postgres URL")
        fine &= run_backend("PostgreSQL", _fresh_database(args.postgres), args)
    sys.exit(0 if fine else 1)


if __name__ == "__main__":
    main()
