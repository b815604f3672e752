"""A database outage shows the service's own page, not a bare 500 (R6).

A throw-away PostgreSQL server of this test's own is stopped in the middle of a
signed-in session, then started again.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade

from intake import create_app
from intake.extensions import db
from intake.models import Role
from tests import factories
from tests.conftest import app_config, submit

BINDIR = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else list(command)


class Server:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="intake-outage-"))
        self.dir.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        bindir = BINDIR[-1]
        self.pg_ctl = f"{bindir}/pg_ctl"
        subprocess.run(
            _as_postgres(f"{bindir}/initdb", "-D", str(self.data), "-U", "postgres",
                         "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgresql+psycopg://postgres@/postgres?host={self.dir}"

    def start(self) -> None:
        options = f"-c listen_addresses='' -k {self.dir} -c fsync=off"
        subprocess.run(
            _as_postgres(self.pg_ctl, "-D", str(self.data), "-l", str(self.dir / "log"),
                         "-w", "-o", options, "start"),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"),
            check=True, capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        subprocess.run(
            _as_postgres(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"),
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def server(instance_dir):
    if not BINDIR or not os.environ.get("INTAKE_TEST_POSTGRES_URL"):
        pytest.skip("PostgreSQL server binaries are needed: run with scripts/with-postgres.sh")
    server = Server()
    server.start()
    yield server
    server.remove()


def test_a_stopped_database_gets_our_own_page_then_the_service_recovers(server):
    app = create_app(app_config(server.url))
    with app.app_context():
        upgrade()
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
    client = app.test_client()
    submit(client, "/login", {"username": "kim", "password": factories.PASSWORD})
    assert client.get("/p/alpha/submissions/").status_code == 200

    server.stop()
    for page in ("/p/alpha/submissions/", "/login", "/healthz"):
        response = client.get(page)
        assert response.status_code == 503, page
        if page != "/healthz":
            text = response.get_data(as_text=True)
            assert "Nothing you typed was stored; try again in a moment." in text
            assert "Internal Server Error" not in text
    posted = client.post("/p/alpha/submissions/new/contact", data={"summary": "words"})
    assert posted.status_code == 503

    server.start()
    assert client.get("/p/alpha/submissions/").status_code == 200  # still signed in
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
