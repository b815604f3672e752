"""Whole-instance backups: every table, as stored (answers stay encrypted), in one file.

Keys are never in a database backup: they are backed up on their own, to be
stored somewhere else. Whoever holds both can read everything.

A backup is read inside one snapshot (one read transaction on SQLite, a
repeatable-read one on PostgreSQL), so rows written while it runs are either
all in it or all absent, and no row points to one the file lacks. Tables are
read as the database has them, not as the models describe them, so a backup
taken before an upgrade holds the schema it was taken at.
"""

from __future__ import annotations

import base64
import enum
import gzip
import io
import json
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.engine import Connection

from intake.extensions import db
from intake.security.encryption import keys_directory

FORMAT = "intake backup 1"


class BackupError(RuntimeError):
    pass


def _out(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _in(value: Any) -> Any:
    if isinstance(value, dict):
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            moment = datetime.fromisoformat(value["$dt"])
            # SQLite keeps no time zone; every time intake stores is UTC.
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext  # only a backup needs Alembic

    heads = MigrationContext.configure(conn).get_current_heads()
    return heads[0] if heads else None


@contextmanager
def snapshot() -> Iterator[Connection]:
    """One connection that sees the database as it was at one moment, for as long as it reads."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        repeatable = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**repeatable) as conn, conn.begin():
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn
        return
    with engine.connect() as conn:
        # The sqlite3 driver starts no transaction for reads on its own; without
        # one, each SELECT would see the database as it is at that moment.
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _tables(conn: Connection) -> list[sa.Table]:
    """The tables as this database has them, parents before children."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


def _read(conn: Connection) -> dict[str, Any]:
    tables = {
        table.name: [
            {k: _out(v) for k, v in row._mapping.items()}
            for row in conn.execute(table.select().order_by(*table.primary_key.columns))
        ]
        for table in _tables(conn)
    }
    return {
        "format": FORMAT,
        "revision": _revision(conn),
        "tables": tables,
        "counts": {name: len(rows) for name, rows in tables.items()},
    }


def dump() -> bytes:
    """The whole database, as of one moment, gzip-compressed JSON."""
    with snapshot() as conn:
        data = _read(conn)
    return gzip.compress(json.dumps(data).encode())


def _parse(blob: bytes) -> dict[str, Any]:
    try:
        data = json.loads(gzip.decompress(blob))
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise BackupError("This file is not an intake backup, or it is damaged.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("This is not an intake backup.")
    return data


def _load(conn: Connection, data: dict[str, Any]) -> dict[str, int]:
    """Insert the backup's rows into ``conn``'s empty tables; rows written per table."""
    written: dict[str, int] = {}
    tables = _tables(conn)
    missing = set(data["tables"]) - {t.name for t in tables}
    if missing:
        raise BackupError(
            f"The database has no table {', '.join(sorted(missing))}: it is at another "
            "schema version than the backup."
        )
    for table in tables:
        rows = [{k: _in(v) for k, v in row.items()} for row in data["tables"].get(table.name, [])]
        try:
            if rows:
                conn.execute(table.insert(), rows)
        except sa.exc.IntegrityError as exc:
            raise BackupError(
                f"The rows of table {table.name} do not fit the rest of the backup "
                f"({type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}). The backup is "
                "incomplete or was changed; use another one."
            ) from exc
        written[table.name] = len(rows)
        if conn.dialect.name == "postgresql" and rows and "id" in table.c:
            # Table names come from the database's own catalogue, never from the backup file.
            statement = (
                "SELECT setval(pg_get_serial_sequence(:name, 'id'), (SELECT max(id) FROM {})) "
            )
            conn.execute(sa.text(statement.format(table.name)), {"name": table.name})
    return written


def restore(blob: bytes) -> int:
    """Load a backup into an empty database at the same schema version; returns rows written."""
    data = _parse(blob)
    with db.engine.begin() as conn:
        if _revision(conn) != data["revision"]:
            raise BackupError(
                f"The database is at another schema version than the backup "
                f"({data['revision']}): run `intake db upgrade {data['revision']}` on a new, "
                "empty database first."
            )
        if conn.execute(sa.text("SELECT count(*) FROM account")).scalar():
            raise BackupError("The database is not empty: restore only into a new one.")
        return sum(_load(conn, data).values())


def _counts(conn: Connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for name in tables:
        table = sa.table(name)
        counts[name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    return counts


@contextmanager
def _scratch(tables: list[sa.Table]) -> Iterator[Connection]:
    """An empty database with the same tables, thrown away afterwards.

    SQLite: a new file in a private temporary folder. PostgreSQL: a schema of
    its own inside one transaction that is rolled back, so nothing of it stays.
    """
    metadata = sa.MetaData()
    for table in tables:
        table.to_metadata(metadata)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn, conn.begin() as transaction:
            schema = f"intake_verify_{uuid.uuid4().hex[:12]}"
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            conn.exec_driver_sql(f"SET LOCAL search_path TO {schema}")
            metadata.create_all(conn, checkfirst=False)
            yield conn
            transaction.rollback()
        return
    with tempfile.TemporaryDirectory(prefix="intake-verify-") as folder:
        engine = sa.create_engine(f"sqlite:///{Path(folder) / 'scratch.sqlite'}")
        sa.event.listen(
            engine, "connect", lambda dbapi, _: dbapi.execute("PRAGMA foreign_keys = ON")
        )
        try:
            with engine.begin() as conn:
                metadata.create_all(conn)
                yield conn
        finally:
            engine.dispose()


def verify(blob: bytes) -> dict[str, int]:
    """Restore a backup file into a scratch database and compare its rows, table by table.

    Raises BackupError saying what does not fit; returns the rows per table.
    """
    data = _parse(blob)
    with snapshot() as conn:
        tables = [t for t in _tables(conn) if t.name in data["tables"]]
    with _scratch(tables) as conn:
        _load(conn, data)
        restored = _counts(conn, list(data["tables"]))
    expected = data.get("counts") or {n: len(r) for n, r in data["tables"].items()}
    differ = sorted(n for n in expected if restored.get(n) != expected[n])
    if differ:
        raise BackupError(
            "Restored into a scratch database, the backup does not hold what was read: "
            + ", ".join(f"{n} {restored.get(n)} of {expected[n]} rows" for n in differ)
        )
    return restored


def dump_keys() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(keys_directory(), arcname="keys")
    return buffer.getvalue()


def restore_keys(blob: bytes, directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty; move it aside first.")
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
        members = [
            m
            for m in archive.getmembers()
            if (m.name.startswith("keys") and ".." not in m.name and m.isreg()) or m.isdir()
        ]
        archive.extractall(directory.parent, members=members, filter="data")
    directory.chmod(0o700)
    for path in directory.iterdir():
        path.chmod(0o600)


def pending_upgrade() -> tuple[str | None, str] | None:
    """(revision now, revision after) if ``intake db upgrade`` would change the database.

    None when it is up to date, and also when it has no tables yet: a new
    database has nothing to lose.
    """
    from alembic.script import ScriptDirectory  # only a backup needs Alembic

    heads = ScriptDirectory(current_app.extensions["migrate"].directory).get_heads()
    with db.engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        now = _revision(conn)
    if now is None or now in heads:
        return None
    return now, ", ".join(heads)


def before_upgrade_path(instance: Path, revision: str | None) -> Path:
    """``instance/backups/before-upgrade-<revision>-<UTC time>.backup``, in a private folder."""
    folder = instance / "backups"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"before-upgrade-{revision or 'base'}-{stamp}.backup"
