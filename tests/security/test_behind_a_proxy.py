"""Behind a reverse proxy, one client guessing pauses that client, not everybody."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from intake import create_app
from intake.extensions import db
from tests import factories
from tests.conftest import CSRF_FIELD, app_config, submit

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A client on its own loopback address (127.0.0.2, .3, ...), with its own cookies."""

    def __init__(self, port: int, address: str) -> None:
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None, headers=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=sent)
            answer = conn.getresponse()
            text = answer.read().decode()
        finally:
            conn.close()
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return answer.status, text

    def sign_in(self, username: str, password: str, headers=None) -> int:
        _status, page = self.request("GET", "/login")
        match = CSRF_FIELD.search(page)
        token = match.group(1) or match.group(2)
        form = {"csrf_token": token, "username": username, "password": password, "next": ""}
        return self.request("POST", "/login", form, headers)[0]


@pytest.fixture
def behind_proxy(request, database_url, instance_dir) -> Iterator:
    """The app on a real server, reached only through the reverse proxy process."""
    app = create_app(app_config(database_url, TRUSTED_PROXIES=request.param))
    with app.app_context():
        factories.account("kim")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = _free_port()
    proxy = subprocess.Popen(
        [sys.executable, "-m", "tests.security.reverse_proxy", str(port), str(server.port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proxy.stdout.readline().strip() == "ready"
    yield app, port
    proxy.terminate()
    proxy.wait(timeout=10)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("behind_proxy", [1], indirect=True)
def test_one_client_guessing_does_not_pause_another(behind_proxy):
    app, port = behind_proxy
    guesser, neighbour = Browser(port, "127.0.0.2"), Browser(port, "127.0.0.3")
    for n in range(20):
        # Each guess names another account, and claims another address: the
        # proxy appends the real one, and only that one is believed.
        forged = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert guesser.sign_in(f"name{n}", "wrong password!!", forged) == 200
    assert guesser.sign_in("another", "wrong password!!") == 429
    assert guesser.sign_in("kim", factories.PASSWORD) == 429
    assert neighbour.sign_in("kim", factories.PASSWORD) == 302
    assert (
        "Client addresses come from X-Forwarded-For"
        in app.test_cli_runner().invoke(args=["check"]).output
    )


@pytest.mark.parametrize("behind_proxy", [0], indirect=True)
def test_without_the_setting_everybody_is_paused_and_check_warns(behind_proxy):
    app, port = behind_proxy
    output = app.test_cli_runner().invoke(args=["check"]).output
    assert "TRUSTED_PROXIES is 0" not in output
    guesser, neighbour = Browser(port, "127.0.0.2"), Browser(port, "127.0.0.3")
    for n in range(20):
        guesser.sign_in(f"name{n}", "wrong password!!")
    assert neighbour.sign_in("kim", factories.PASSWORD) == 429  # the proxy's address is paused
    output = app.test_cli_runner().invoke(args=["check"]).output
    assert "WARN  Requests came through a proxy" in output and "TRUSTED_PROXIES is 0" in output


def test_ipv6_clients_are_counted_by_their_64(app):
    with app.app_context():
        factories.account("kim")
    for n in range(20):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"2001:db8:1:2::{n + 1:x}"
        response = submit(client, "/login", {"username": f"name{n}", "password": "wrong one!"})
        assert response.status_code == 200
    same_64 = app.test_client()
    same_64.environ_base["REMOTE_ADDR"] = "2001:db8:1:2:ffff:ffff:ffff:ffff"
    assert submit(same_64, "/login", {"username": "x", "password": "y"}).status_code == 429
    other_64 = app.test_client()
    other_64.environ_base["REMOTE_ADDR"] = "2001:db8:1:3::1"
    done = submit(other_64, "/login", {"username": "kim", "password": factories.PASSWORD})
    assert done.status_code == 302


def test_a_wrong_trusted_proxies_value_stops_start_up(database_url, instance_dir):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES must be a whole number"):
        create_app(app_config(database_url, TRUSTED_PROXIES="yes"))
