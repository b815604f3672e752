"""Flask-Migrate for the app, with Alembic imported only when migrations are used.

Importing Flask-Migrate imports Alembic, about half a second that every command
(``intake --help`` too) and every web worker would pay, though only
``intake db …``, ``intake check`` and the tests run migrations.
"""

from __future__ import annotations

from typing import Any

import click
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


class _DbCommands(click.Group):
    """``intake db``: Flask-Migrate's own group, loaded when this group is used.

    The context is made by the real group, so its options (``-d``, ``-x``) and its
    callback, which the subcommands rely on, work as if it had been there all along.
    """

    def _commands(self) -> click.Group:
        from flask_migrate.cli import db

        return db

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self._commands().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get_command(ctx, cmd_name)


def init_migrations(app: Flask, db: SQLAlchemy, **settings: Any) -> None:
    app.extensions["migrate"] = DeferredMigrate(app, db, settings)
    app.cli.add_command(_DbCommands("db", help="Perform database migrations."))
