"""Flask-Migrate for the app, with Alembic imported only when migrations are used.

Importing Flask-Migrate imports Alembic, about half a second that every command
(``intake --help`` too) and every web worker would pay, though only
``intake db …``, ``intake check`` and the tests run migrations.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy


class DeferredMigrate:
    """Stands in ``app.extensions["migrate"]`` until first read, then sets up Flask-Migrate."""

    def __init__(self, app: Flask, db: SQLAlchemy, settings: dict[str, Any]) -> None:
        self._app = app
        self._db = db
        self._settings = settings

    def __getattr__(self, name: str) -> Any:
        from flask_migrate import Migrate

        Migrate().init_app(self._app, self._db, **self._settings)  # replaces this stand-in
        return getattr(self._app.extensions["migrate"], name)


def init_migrations(app: Flask, db: SQLAlchemy, **settings: Any) -> None:
    app.extensions["migrate"] = DeferredMigrate(app, db, settings)
    # `intake db`: Flask-Migrate's own group, loaded when it is used, like the app's commands.
    from intake.cli import OTHER_APP_COMMANDS, Entry
    from intake.cli.group import Deferred

    app.cli.add_command(Deferred("db", Entry("flask_migrate.cli", "db", OTHER_APP_COMMANDS["db"])))
