"""Two app servers and a job worker behind nginx, on PostgreSQL and Redis, set up from the
files in ``deploy/`` as docs/deploy.md installs them: nothing a request needs lives in one
server alone.

A member signs in through one server and goes on through the other; a person answers a
check-in by private link; the worker renders a report-back, which is released; and wrong
passwords sent to both servers pause the account as if sent to one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
import sqlalchemy as sa

from intake import create_app
from intake.extensions import db
from intake.models import PrivateLink, Role
from tests import factories
from tests.conftest import app_config
from tests.deploy import servers
from tests.deploy.visitor import Visitor
from tests.live import BIN, ROOT

pytestmark = pytest.mark.deploy

LINK = re.compile(r'value="https://127\.0\.0\.1:\d+(/c/[A-Za-z0-9_-]{40,})"')
REPORT = re.compile(r"/p/alpha/reports/(\d+)$")


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _people(database_url: str, keys: Path) -> None:
    app = create_app(app_config(database_url, ANSWER_KEYS_DIR=str(keys)))
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "sam", Role.SUPPORT)
        db.engine.dispose()


def _link_answered(database_url: str) -> bool:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.select(PrivateLink.answered_at)) is not None
    finally:
        engine.dispose()


def test_a_journey_across_two_app_servers_behind_nginx(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    if not servers.NGINX.exists():
        message = "nginx is missing: `make test` installs it (scripts/system-deps.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    web_a, web_b, http_port, https_port = servers.free_ports(4)
    base = f"https://127.0.0.1:{https_port}"
    instance = tmp_path / "instance"
    plain = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    env = {
        **plain,
        **servers.environment_file(
            {
                "INTAKE_INSTANCE_PATH": str(instance),
                "DATABASE_URL": postgres_url,
                "REDIS_URL": redis_url,
                "BASE_URL": base,
                "INTAKE_BIND": f"127.0.0.1:{web_a}",
            }
        ),
    }
    assert env["TRUSTED_PROXIES"] == "1"
    # The set-up of docs/deploy.md: a secret key, the keys, the schema, shared by both.
    _run([sys.executable, "scripts/instance-config.py", str(instance)], env)
    _run([str(BIN / "intake"), "keys", "init"], env)
    _run([str(BIN / "intake"), "db", "upgrade"], env)
    _people(postgres_url, instance / "keys")

    proxy = tmp_path / "nginx"
    proxy.mkdir()
    conf = servers.nginx_config(proxy, [web_a, web_b], http_port, https_port)
    tls = servers.https_context(proxy)
    with ExitStack() as stack:
        for port in (web_a, web_b):
            command = servers.unit_command(
                "intake-web.service", env | {"INTAKE_BIND": f"127.0.0.1:{port}"}
            )
            command[command.index("--workers") + 1] = "2"  # two cores on a test machine
            stack.enter_context(
                servers.running(
                    command, env, tmp_path / f"web-{port}.log", lambda p=port: servers.answers(p)
                )
            )
        nginx = servers.nginx_command(proxy, conf)
        stack.enter_context(
            servers.running(
                nginx, plain, proxy / "stdout.log", lambda: servers.answers(https_port, context=tls)
            )
        )
        upstreams = {f"127.0.0.1:{web_a}", f"127.0.0.1:{web_b}"}

        # Plain http only leads to https.
        redirect = servers.plain_get(http_port, "/login")
        assert redirect == (301, "https://127.0.0.1/login")

        # Signed in through one server, Kim goes on through the other.
        kim = Visitor(base, tls)
        signed_in = kim.sign_in("kim", factories.PASSWORD)
        assert signed_in.status == 200 and 'action="/login"' not in signed_in.text
        pages = [kim.get("/p/alpha/") for _ in range(4)]
        assert all(p.status == 200 and "Sign out" in p.text for p in pages)
        assert {p.upstream for p in pages} == upstreams
        assert set(kim.seen) == upstreams
        # The app's own security headers pass through once; nginx adds none of its own.
        for name in ("Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"):
            assert len(pages[0].headers.get_all(name) or []) == 1, name
        assert pages[0].headers["Server"] == "nginx"  # no version told

        # A check-in round, and its link answered by a person without an account.
        started = kim.post(
            "/p/alpha/checkins/",
            {
                "title": "Spring round",
                "form_id": "checkin",
                "intro": "We are the contact group.",
                "people": "neighbour",
                "days": "28",
                "send_email": "no",
            },
        )
        assert started.status == 200, started.text[:500]
        (link,) = LINK.findall(started.text)
        neighbour = Visitor(base, tls)
        opened = neighbour.get(link)
        assert opened.status == 200 and opened.url == base + "/c"
        sent = neighbour.post(
            "/c",
            {
                "told": "yes",
                "told_by": ["him"],
                "what_he_said": "He called it a misunderstanding.",
                "quote_consent": "no",
                "anonymous": "no",
                "_action": "submit",
            },
        )
        assert "Thank you" in sent.text, sent.text[:500]
        assert len(set(neighbour.seen)) == 2
        assert _link_answered(postgres_url)
        assert neighbour.get(link).status == 404  # spent, on every server
        # nginx's log holds no address, so no link's token.
        assert link.rsplit("/", 1)[1] not in (proxy / "access.log").read_text()

        # A report-back waits for the worker; the worker renders it; Kim releases it.
        asked = kim.post("/p/alpha/reports/", {"since": "2026-01-01", "until": "2026-11-01"})
        report = REPORT.search(asked.url)
        assert report, asked.url
        path = report.group(0)
        assert "waiting to be made" in asked.text  # no web process renders it
        worker = servers.unit_command("intake-worker.service", env)
        stack.enter_context(servers.running(worker, env, tmp_path / "worker.log", lambda: True))
        servers.eventually(lambda: "draft, not released" in kim.get(path).text)
        released = kim.post(path + "/release", {}, page=path)
        assert "Released. The central group can download it now." in released.text
        pdf = kim.get(path + "/pdf")
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF")

        # Wrong passwords sent to both servers are counted together: eight pause "sam".
        stranger = Visitor(base, tls)
        took: list[str] = []
        while len(took) < 8:
            if len(took) >= 4 and len(set(took)) == 1:
                stranger.get("/healthz")  # the next attempt goes to the other server
            wrong = stranger.sign_in("sam", "not the password")
            assert wrong.status == 200 and "do not match" in wrong.text
            took.append(wrong.upstream)
        assert set(took) == upstreams
        refused: set[str] = set()
        for _ in range(2):  # on either server, even the right password waits now
            paused = stranger.sign_in("sam", factories.PASSWORD)
            assert paused.status == 429 and "signing in is paused" in paused.text
            refused.add(paused.upstream)
            stranger.get("/healthz")  # the next attempt goes to the other server
        assert refused == upstreams

        # nginx lets the app refuse an oversized form with its own page.
        big = stranger.post("/login", {"username": "sam", "password": "x" * (2_200_000)})
        assert big.status == 413 and "Too long to be read" in big.text

        # The settings as installed pass `intake check`: no warning, after real traffic.
        checked = _run([str(BIN / "intake"), "check"], env)
        assert "WARN" not in checked and "FAIL" not in checked, checked

    retention = servers.unit_command("intake-retention.service", env)
    assert _run(retention, env) == ""
