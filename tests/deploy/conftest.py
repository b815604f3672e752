"""A PostgreSQL database of its own for each test that runs several servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import TEMPLATE_DB


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database on the suite's throw-away PostgreSQL, migrated (several app servers
    share one database; SQLite is for one machine)."""
    server: sa.Engine = request.getfixturevalue("postgres_server")
    name = f"intake_deploy_{uuid.uuid4().hex[:12]}"
    with server.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}"))
    yield server.url.set(database=name).render_as_string(False)
    with server.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
