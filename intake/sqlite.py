"""SQLite settings that every connection gets, and a database file only its owner reads."""

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from intake.security.private_files import create_private


def database_file(engine: Engine) -> Path | None:
    """The SQLite file behind ``engine``, or None for PostgreSQL or an in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def harden_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    path = database_file(engine)
    if path is not None and path.parent.is_dir():
        # SQLite would create the file with the umask's mode (often readable
        # by everyone); made here first, it is owner-only, and SQLite gives
        # its -wal and -shm files the same mode as the database.
        create_private(path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        # Foreign keys are off by default in SQLite; secure_delete overwrites
        # deleted content instead of leaving it in free pages of the file.
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.close()
