"""SQLite settings that every connection gets."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def harden_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

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
