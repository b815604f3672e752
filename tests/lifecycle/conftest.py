"""Fixtures for backups: new, empty databases to restore into."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import TEMPLATE_DB


@pytest.fixture
def empty_database(request: pytest.FixtureRequest, backend: str, tmp_path: Path):
    """Makes new, migrated, empty databases of the test's backend, as `intake restore` wants."""
    made: list[str] = []

    def make() -> str:
        if backend == "sqlite":
            path = tmp_path / f"restore-{len(made)}.sqlite"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            made.append(str(path))
            return f"sqlite:///{path}"
        server: sa.Engine = request.getfixturevalue("postgres_server")
        name = f"intake_restore_{uuid.uuid4().hex[:12]}"
        with server.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}"))
        made.append(name)
        return server.url.set(database=name).render_as_string(False)

    yield make
    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        with server.connect() as conn:
            for name in made:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
