"""``intake worker --burst`` without Redis: the database runner does what is due, then stops."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from intake.extensions import db
from intake.jobs import local
from intake.models import MailState, PrivateLink
from tests.checkins.conftest import Inbox, _free_port
from tests.conftest import SECRET, submit

ROOT = Path(__file__).resolve().parents[2]


def _states(app) -> list[MailState | None]:
    with app.app_context():
        return list(db.session.scalars(sa.select(PrivateLink.mail_state).order_by(PrivateLink.id)))


def test_worker_burst_without_redis_sends_the_queued_mail_and_stops(
    app, kim, database_url, instance_dir, tmp_path
) -> None:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_FROM": "group@example.org"}
        app.config.update(mail)
        # This web process queues the mail but runs no job: the worker alone must send it.
        local.runner_for(app).stop()
        people = "partner; partner@example.org\nfriend; friend@example.org"
        data = {"title": "R", "form_id": "checkin", "days": "28", "send_email": "yes"}
        submit(kim, "/p/alpha/checkins/", {**data, "people": people})
        assert _states(app) == [MailState.WAITING, MailState.WAITING]

        instance = tmp_path / "worker-instance"
        instance.mkdir()
        shutil.copytree(instance_dir / "keys", instance / "keys")
        settings = "".join(f"{key} = {value!r}\n" for key, value in mail.items())
        (instance / "config.py").write_text(f"SECRET_KEY = {SECRET!r}\n{settings}")
        env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance), "DATABASE_URL": database_url}
        env.pop("REDIS_URL", None)
        done = subprocess.run(
            [str(ROOT / ".venv/bin/intake"), "worker", "--burst"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,  # only keeps a worker that never stops from hanging the suite
        )
    finally:
        controller.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "REDIS_URL is not set: working the jobs the database holds." in done.stdout
    assert _states(app) == [MailState.SENT, MailState.SENT]
    assert sorted(m.rcpt_tos[0] for m in inbox.messages) == [
        "friend@example.org",
        "partner@example.org",
    ]
