import pytest
from flask import Flask

from intake import create_app
from tests.conftest import SECRET


def test_config_from_test_mapping(app: Flask) -> None:
    assert app.testing
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


@pytest.mark.sqlite_only
def test_refuses_to_start_without_secret_key(backend, database_url, instance_dir) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": ""})


@pytest.mark.sqlite_only
def test_cookies_are_secure_unless_local_http(
    backend, database_url, instance_dir, monkeypatch
) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("INTAKE_LOCAL_HTTP", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url_from_environment(backend, monkeypatch, given: str, used: str) -> None:
    from intake.settings import database_url

    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url("/nowhere") == used


def test_healthz_answers_when_database_does(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.sqlite_only
def test_healthz_says_503_when_database_is_gone(backend, instance_dir, tmp_path) -> None:
    missing = tmp_path / "no-such-dir" / "db.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}", "SECRET_KEY": SECRET})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


HEAVY_IMPORTS_PROBE = """
import sys
from intake import create_app

app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
app.cli.list_commands(None)
heavy = ("weasyprint", "alembic", "flask_migrate", "openpyxl")
print(" ".join(m for m in heavy if m in sys.modules))
"""


def test_building_the_app_imports_no_renderer_and_no_migrations(tmp_path) -> None:
    # Every command and every web worker builds the app; WeasyPrint and Alembic are
    # imported by the commands and pages that need them, not by all of them.
    import os
    import subprocess
    import sys

    env = {**os.environ, "INTAKE_INSTANCE_PATH": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", HEAVY_IMPORTS_PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    ).stdout.strip()
    assert out == ""
