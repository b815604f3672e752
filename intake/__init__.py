"""intake: records and report-backs for community accountability processes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None, *, pages: bool = True) -> Flask:
    """Build the application: settings, extensions, blueprints, protections.

    ``INTAKE_INSTANCE_PATH`` moves ``instance/`` (config, keys, SQLite file) elsewhere.
    ``pages=False`` leaves out the pages (blueprints), for a command that builds no link
    to them: importing their modules is a large part of building the app.
    """
    # Imported here, not above: `intake --help` imports this package and needs no Flask.
    from flask import Flask
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    app = Flask(
        __name__,
        instance_path=os.environ.get("INTAKE_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    configure(app, test_config)
    register_input_rules(app)
    # Report layouts live apart from pages and are mounted under "pdf/".
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader({"pdf": FileSystemLoader(str(ROOT / "pdf_templates"))}),
        ]
    )
    load_forms(app)
    register_extensions(app)
    if pages:
        register_blueprints(app)
    register_protections(app)
    register_errors(app)
    register_commands(app)
    from intake import templating

    templating.register(app)
    return app


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    from intake import settings

    app.config.from_mapping(settings.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(settings.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", settings.database_url(app.instance_path))
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "No SECRET_KEY: run `make run` once to write instance/config.py, "
            "or set SECRET_KEY there."
        )


def register_input_rules(app: Flask) -> None:
    """Bad input is refused or cleaned where it enters, before any view or query sees it."""
    from intake import converters
    from intake.security.request_data import IntakeRequest

    app.request_class = IntakeRequest
    converters.register(app)


def load_forms(app: Flask) -> None:
    """Read every form definition now, so a bad one stops start-up with a clear message."""
    from intake.formdef import load_directory

    directory = Path(app.config.get("FORMS_DIR") or ROOT / "forms")
    found = load_directory(directory)
    app.extensions["intake.forms"] = {k: v for k, v in found.items() if not v.template}
    app.extensions["intake.templates"] = {k: v for k, v in found.items() if v.template}


def register_extensions(app: Flask) -> None:
    from intake import i18n
    from intake.extensions import babel, csrf, db, login_manager
    from intake.migrations_setup import init_migrations
    from intake.models.base import render_item_for_migrations
    from intake.record import log_version  # noqa: F401 - its listeners keep the log's version
    from intake.security import sessions
    from intake.sqlite import harden_sqlite

    db.init_app(app)
    init_migrations(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=render_item_for_migrations,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # our server-side sessions do this job
    login_manager.user_loader(sessions.account_for_request)
    app.session_interface = sessions.BoundedCookies()
    with app.app_context():
        harden_sqlite(db.engine)


def register_blueprints(app: Flask) -> None:
    from intake import health, i18n
    from intake.admin.views import bp as admin_bp
    from intake.auth.views import bp as auth_bp
    from intake.checkins import by_link
    from intake.checkins import views as checkin_views
    from intake.lifecycle import views as lifecycle_views
    from intake.people import home
    from intake.people import views as member_views
    from intake.questionnaires import views as questionnaire_views
    from intake.record import demand_views, log_views, meeting_views, step_views, views
    from intake.report import views as report_views
    from intake.security import views as safety_views
    from intake.submissions.views import bp as submissions_bp

    for bp in (health.bp, i18n.bp, home.bp, auth_bp, admin_bp, submissions_bp, by_link.bp):
        app.register_blueprint(bp)
    for module in (
        views,
        member_views,
        safety_views,
        lifecycle_views,
        demand_views,
        step_views,
        meeting_views,
        log_views,
        checkin_views,
        report_views,
        questionnaire_views,
    ):
        app.register_blueprint(module.bp)


def register_protections(app: Flask) -> None:
    from intake.security import proxies, refused_posts
    from intake.security.access import require_sign_in
    from intake.security.headers import set_security_headers

    proxies.register(app)
    app.before_request(require_sign_in)
    refused_posts.register(app)  # after the sign-in check: words come back to their owner
    app.after_request(set_security_headers)


def register_errors(app: Flask) -> None:
    from intake import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    from intake.cli import register

    register(app)
