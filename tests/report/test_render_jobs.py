"""Report renders as jobs: at most N at once, and a render whose job and child were killed
is marked failed after its time limit and can be started again."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

from intake.extensions import db
from intake.jobs import queue
from intake.models import AuditEvent, Process, ReportBack, ReportState, utcnow
from intake.report import service, worker
from tests.checkins.conftest import eventually
from tests.conftest import SECRET, submit

ROOT = Path(__file__).resolve().parents[2]


def _queue_two(app, story) -> tuple[int, int]:
    with app.app_context():
        process = db.session.get(Process, story["process_id"])
        ids = [
            service.request_report(
                process, since=date(2026, 1, 1), until=date(2026, 3, 1), whole=False, by=None
            ).id
            for _ in range(2)
        ]
        db.session.commit()
        return ids[0], ids[1]


def test_renders_take_at_most_n_slots(app, story):
    app.config["REPORT_RENDERS_AT_ONCE"] = 1
    first, second = _queue_two(app, story)
    with app.app_context():
        assert worker.take_slot(first)
        assert not worker.take_slot(second)
        assert db.session.get(ReportBack, second).state is ReportState.QUEUED
        # A render long past its time limit has lost its job: it holds no slot.
        db.session.get(ReportBack, first).started_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        assert worker.take_slot(second)

    app.config["REPORT_RENDERS_AT_ONCE"] = 2
    third, fourth = _queue_two(app, story)
    with app.app_context():
        assert worker.take_slot(third)  # the first no longer counts, the second does
        assert not worker.take_slot(fourth)


def _state(app, report_id: int) -> ReportState:
    with app.app_context():
        return db.session.get(ReportBack, report_id).state


def _worker_process(tmp_path: Path, instance_dir: Path, database_url: str, redis_url: str):
    """`intake worker` as a deployment runs it: its own process, its own instance folder."""
    instance = tmp_path / "worker-instance"
    instance.mkdir()
    shutil.copytree(instance_dir / "keys", instance / "keys")
    (instance / "config.py").write_text(f"SECRET_KEY = {SECRET!r}\nREPORT_TIME_LIMIT = 600\n")
    env = {
        **os.environ,
        "INTAKE_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    log = (tmp_path / "worker.log").open("w")
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/intake"), "worker"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the job and render child with it
    )


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _kill_tree(pid: int) -> None:
    """SIGSTOP first so that nothing forks meanwhile, then SIGKILL every process below."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            os.kill(current, signal.SIGSTOP)
        except ProcessLookupError:
            continue
        tree.append(current)
        todo.extend(_children(current))
    for each in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, signal.SIGKILL)


def test_a_killed_render_is_marked_failed_and_can_be_started_again(
    app, client, auth, story, redis_url, database_url, instance_dir, tmp_path, monkeypatch
):
    app.config.update(REDIS_URL=redis_url, REPORT_TIME_LIMIT=1)
    monkeypatch.setattr(worker, "GRACE", timedelta(0))
    running = _worker_process(tmp_path, instance_dir, database_url, redis_url)
    try:
        auth.login("kim")
        response = submit(
            client, "/p/alpha/reports/", {"since": "2026-01-01", "until": "2026-11-01"}
        )
        url = response.headers["Location"]
        report_id = int(url.rsplit("/", 1)[1])
        eventually(lambda: _state(app, report_id) is not ReportState.QUEUED)
    finally:
        # The worker, its job (RQ runs it in a process of its own session) and the
        # render child, in the middle of the render.
        _kill_tree(running.pid)
        running.wait(timeout=30)
    assert _state(app, report_id) is ReportState.RENDERING  # nobody is left to say otherwise

    time.sleep(1.1)  # its time limit passes (the state is what is asserted, not a duration)
    page = client.get(url).get_data(as_text=True)
    assert "could not be made" in page
    assert "The work on it stopped before it was finished." in page
    assert _state(app, report_id) is ReportState.FAILED

    app.config["REPORT_TIME_LIMIT"] = 120
    assert client.post(url + "/again").status_code == 400  # without its CSRF token
    assert submit(client, url + "/again", page=url).status_code == 302
    assert _state(app, report_id) is ReportState.QUEUED
    assert "waiting to be made" in client.get(url).get_data(as_text=True)
    with app.app_context():
        queue.work(burst=True, forking=False)
    assert _state(app, report_id) is ReportState.DRAFT
    assert "draft, not released" in client.get(url).get_data(as_text=True)
    assert client.get(url + "/pdf").data.startswith(b"%PDF")
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
        assert "report-restarted" in actions
