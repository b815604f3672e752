"""Whole-instance backups: every table, as stored (answers stay encrypted), in one file.

Keys are never in a database backup: they are backed up on their own, to be
stored somewhere else. Whoever holds both can read everything.
"""

from __future__ import annotations

import base64
import enum
import gzip
import io
import json
import tarfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def _revision(conn) -> str | None:
    from alembic.runtime.migration import MigrationContext  # only a backup needs Alembic

    heads = MigrationContext.configure(conn).get_current_heads()
    return heads[0] if heads else None


def dump() -> bytes:
    """The whole database, gzip-compressed JSON."""
    with db.engine.connect() as conn:
        tables = {
            table.name: [
                {k: _out(v) for k, v in row._mapping.items()}
                for row in conn.execute(table.select().order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }
        revision = _revision(conn)
    data = {"format": FORMAT, "revision": revision, "tables": tables}
    return gzip.compress(json.dumps(data).encode())


def restore(blob: bytes) -> int:
    """Load a backup into an empty database at the same schema version; returns rows written."""
    data = json.loads(gzip.decompress(blob))
    if data.get("format") != FORMAT:
        raise BackupError("This is not an intake backup.")
    with db.engine.begin() as conn:
        if _revision(conn) != data["revision"]:
            raise BackupError(
                "The database is at another schema version: run `intake db upgrade` to the "
                "backup's version first."
            )
        if conn.execute(sa.text("SELECT count(*) FROM account")).scalar():
            raise BackupError("The database is not empty: restore only into a new one.")
        written = 0
        for table in db.metadata.sorted_tables:
            rows = [
                {k: _in(v) for k, v in row.items()} for row in data["tables"].get(table.name, [])
            ]
            if rows:
                conn.execute(table.insert(), rows)
                written += len(rows)
            if conn.dialect.name == "postgresql" and rows and "id" in table.c:
                # Table names come from our own metadata, never from the backup file.
                statement = (
                    "SELECT setval(pg_get_serial_sequence(:name, 'id'), (SELECT max(id) FROM {})) "
                )
                conn.execute(sa.text(statement.format(table.name)), {"name": table.name})
    return written


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
