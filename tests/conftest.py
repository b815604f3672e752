"""Fixtures: every database test runs on SQLite and on a real PostgreSQL.

Each backend is migrated once per session into a template (so the migrations
themselves are under test); every test then gets a fresh copy of it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from intake import create_app
from intake.extensions import db
from intake.security.encryption import Keyring

# A suite started in the background (`nohup make test &`) inherits SIGINT ignored, and so
# would the live servers of the browser tests, which pytest-flask stops with SIGINT: they
# would outlive their tests, holding Playwright's pipe, and the run would never end.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

BACKENDS = ("sqlite", "postgresql")
TEMPLATE_DB = "intake_template"
SECRET = "test-secret-key-that-is-long-enough-for-intake-checks"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", ("sqlite",) if only_sqlite else BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def app_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
    }
    config.update(overrides)
    return config


def _migrate(url: str) -> None:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("instance")
    Keyring.load(path / "keys").new_key()
    previous = os.environ.get("INTAKE_INSTANCE_PATH")
    os.environ["INTAKE_INSTANCE_PATH"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("INTAKE_INSTANCE_PATH", None)
    else:
        os.environ["INTAKE_INSTANCE_PATH"] = previous


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory, instance_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_server(instance_dir: Path) -> Iterator[sa.Engine]:
    url = os.environ.get("INTAKE_TEST_POSTGRES_URL")
    if not url:
        message = "INTAKE_TEST_POSTGRES_URL is not set: run the suite with `make test`"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must test PostgreSQL)")
        pytest.skip(message)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
        conn.execute(sa.text(f"CREATE DATABASE {TEMPLATE_DB}"))
    _migrate(make_url(url).set(database=TEMPLATE_DB).render_as_string(False))
    yield engine
    with engine.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB} WITH (FORCE)"))
    engine.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "intake.sqlite"
        shutil.copyfile(template, path)
        path.chmod(0o600)  # as the app creates it; `intake check` fails on a readable one
        yield f"sqlite:///{path}"
        return
    server: sa.Engine = request.getfixturevalue("postgres_server")
    name = f"intake_test_{uuid.uuid4().hex[:12]}"
    with server.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}"))
    yield server.url.set(database=name).render_as_string(False)
    with server.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away Redis on a loopback port, with nothing written to disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is missing: run the suite with `make test`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import redis

    directory = tmp_path_factory.mktemp("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    arguments = ["--port", str(port), "--bind", "127.0.0.1"]
    arguments += ["--save", "", "--appendonly", "no", "--dir", str(directory)]
    server = subprocess.Popen([binary, *arguments], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 15
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The test Redis, emptied for each test."""
    import redis

    redis.Redis.from_url(redis_server).flushall()
    return redis_server


@pytest.fixture
def app(database_url: str, instance_dir: Path) -> Iterator[Flask]:
    app = create_app(app_config(database_url))
    yield app
    if "intake.jobs" in app.extensions:  # no job may outlive its test's database
        app.extensions["intake.jobs"].stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _push_request_context() -> None:
    """Replaces pytest-flask's fixture of the same name, which keeps one request
    context open for the whole test: every request would then share ``g`` and
    the database session, which a real server never does."""


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without a kept-open context (pytest-flask's keeps the last
    request's context pushed, so a second client would share its ``g``)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """The CSRF token a real browser would find in the page's form."""
    html = client.get(page, follow_redirects=True).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1) or match.group(2)


def submit(
    client: FlaskClient, path: str, data: dict | None = None, *, page: str | None = None, **kwargs
):
    """POST a form the way a browser does: with the token from the page it came from."""
    token = csrf_token(client, page or ("/login" if path.startswith("/language") else path))
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, username: str, password: str = "correct horse battery"):
        return submit(self.client, "/login", {"username": username, "password": password})

    def logout(self):
        return submit(self.client, "/logout", page="/")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


# The world most tests start from: process "alpha" about "X", with Kim coordinating its
# contact group. Modules that need more people define their own ``alpha``.
@pytest.fixture
def alpha(app: Flask) -> int:
    from intake.models import Role
    from tests import factories

    with app.app_context():
        process = factories.process("alpha", "X")
        factories.member(process, "kim", Role.CONTACT, coordinator=True)
        return process.id


@pytest.fixture
def kim(alpha: int, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    """A browser signed in as Kim, coordinator of alpha's contact group."""
    auth.login("kim")
    return client
