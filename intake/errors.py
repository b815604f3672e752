"""Error pages: plain, translated, and never a stack trace or a secret."""

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_decimal, get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from intake.extensions import db, login_manager
from intake.security import refused_posts
from intake.security.request_data import form_size_in_words

PAGES = {400, 403, 404, 405, 413, 429, 500}
# Forms that keep drafts on the server: a refused post leaves the last draft as it was.
DRAFT_PAGES = {"submissions.new", "submissions.edit", "respond.page", "checkins.typed"}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        # The form had expired: what was typed comes back in the form to send again (R6).
        kept = refused_posts.keep_refused_post(refused_posts.EXPIRED)
        if kept is not None:
            return kept
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(RequestEntityTooLarge)
    def too_long(error: RequestEntityTooLarge) -> ResponseReturnValue:
        # Refused before it is read, so nothing of it can be kept: the page says how
        # much a form holds, and that a draft saved before is untouched.
        characters, words = form_size_in_words(app.config["MAX_CONTENT_LENGTH"])
        return render_template(
            "errors/413.html",
            code=413,
            characters=format_decimal(characters),
            words=format_decimal(words),
            has_drafts=request.endpoint in DRAFT_PAGES,
        ), 413

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
        return render_template(template, code=code), code

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(error: Exception) -> ResponseReturnValue:
        # The database is down or restarting: a page of our own, rendered without
        # asking the database anything (the usual page asks who is signed in).
        app.logger.error("Database unreachable: %s", type(error).__name__)
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool replaces it later
            app.logger.debug("rollback failed while the database is unreachable")
        try:
            lang = str(get_locale() or "en")
        except Exception:  # the person's own language is stored in the database
            lang = "en"
        with force_locale(lang):
            # Straight from the template: context processors would ask who is signed in.
            page = app.jinja_env.get_template("errors/unavailable.html").render(lang=lang)
        return page, 503, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        # Logged with the traceback for the operator; the person sees a calm page.
        app.logger.exception("Unhandled error")
        db.session.rollback()
        try:
            return render_template("errors/500.html", code=500), 500
        except Exception:
            # What the page asks of the database may be what failed (a row deleted
            # meanwhile): the plain page then, without the context processors.
            # The page is then shown as to a visitor who is not signed in.
            app.logger.exception("The error page could not ask who is signed in")
            for name in ("membership", "process"):
                g.pop(name, None)
            g._login_user = login_manager.anonymous_user()
            return render_template("errors/500.html", code=500), 500
