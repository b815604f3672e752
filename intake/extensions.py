"""Unbound extensions, so modules can import them without importing the app."""

from typing import Any, cast

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from intake.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rows_changed(statement: sa.Update | sa.Delete) -> int:
    """Run one UPDATE or DELETE in the current session; how many rows it changed."""
    # An UPDATE or DELETE always gives a CursorResult, which knows its rowcount;
    # SQLAlchemy 2.0 types Session.execute as the plain Result for every statement.
    result = db.session.execute(statement)
    return cast("sa.CursorResult[Any]", result).rowcount


def this_app() -> Flask:
    """The app behind ``current_app``, for threads and processes that outlive the request."""
    # Flask types current_app as the app itself, not as the proxy that it is.
    return current_app._get_current_object()  # type: ignore[attr-defined]
