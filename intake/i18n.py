"""Language: the person picks English or German; their pick is remembered."""

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from intake.extensions import db

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line: messages stay in the default language
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]


def _safe_next(target: str | None) -> str:
    """A page of this site to go on to, or the start page.

    Control characters (CR and LF above all) would split the redirect's header."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("home.index")


@bp.post("/language")
def choose_language() -> Response:
    """Remember the chosen language for this browser and, if signed in, the account."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
