"""Language: the person picks English or German; their pick is remembered."""

from urllib.parse import unquote, urlsplit

from flask import Blueprint, current_app, has_request_context, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from intake.extensions import db

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # command line: messages stay in the default language
        return languages[0]
    chosen = session.get("lang", "")
    if chosen in languages:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or languages[0]


def _is_control(char: str) -> bool:
    return ord(char) < 32 or 127 <= ord(char) < 160


def _safe_next(target: str | None) -> str:
    """A page on this site to go to, or the home page.

    Browsers drop tabs and line breaks from addresses and read a backslash as a
    slash, so ``/<tab>/evil.example`` would become ``//evil.example``, another
    site; anything holding such characters, plain or percent-encoded, goes home.
    """
    if not target or not target.startswith("/"):
        return url_for("home.index")
    for text in (target, unquote(target)):
        if text.startswith("//") or "\\" in text or any(_is_control(c) for c in text):
            return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("home.index")
    return target


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
