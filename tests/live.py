"""A real gunicorn serving the app on the loopback, and a plain browser for it.

Used where a test needs what the test client cannot give: several worker
processes, each with its own memory, answering while another process acts.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import SECRET

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_instance(instance: Path, database_url: str) -> None:
    """An instance folder as `make run` leaves it: config, and keys in ``keys/``."""
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    (instance / "config.py").write_text(
        f"SECRET_KEY = {SECRET!r}\nSQLALCHEMY_DATABASE_URI = {database_url!r}\n"
    )


def environment(instance: Path) -> dict[str, str]:
    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(instance), "INTAKE_LOCAL_HTTP": "1"}
    env.pop("DATABASE_URL", None)
    return env


@contextmanager
def gunicorn(instance: Path, workers: int = 2) -> Iterator[str]:
    """Serve the instance with ``workers`` processes; yields the base address."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    server = subprocess.Popen(
        [*command, "--timeout", "60", "intake:create_app()"],
        cwd=ROOT,
        env=environment(instance),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                answer = urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - loopback
                if answer.status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def intake_command(instance: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the ``intake`` command on the instance, as an operator would, in its own process."""
    return subprocess.run(
        [str(BIN / "intake"), *args],
        cwd=ROOT,
        env=environment(instance),
        capture_output=True,
        text=True,
        timeout=300,
    )


class Browser:
    """Cookies and forms, as a browser with JavaScript off."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def post(self, path: str, data: dict[str, str], page: str | None = None) -> tuple[int, str]:
        """Post a form with the CSRF token (and one-time key) of the page it is on."""
        status, html = self.get(page or path)
        if status != 200:
            return status, html
        fields = dict(data)
        token = TOKEN.search(html)
        if token:
            fields["csrf_token"] = token.group(1)
        key = FORM_KEY.search(html)
        if key:
            fields["form_key"] = key.group(1)
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        return self._open(request)

    def sign_in(self, username: str, password: str) -> None:
        status, html = self.post("/login", {"username": username, "password": password})
        if status != 200 or 'action="/login"' in html:
            raise AssertionError(f"{username} could not sign in ({status})")
