"""Error pages: plain, translated, and never a stack trace or a secret."""

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from intake.extensions import db

PAGES = {400, 403, 404, 405, 413, 429, 500}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        template = f"errors/{code}.html" if code in PAGES else "errors/generic.html"
        return render_template(template, code=code), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        # Logged with the traceback for the operator; the person sees a calm page.
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_template("errors/500.html", code=500), 500
