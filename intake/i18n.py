"""Language: the person picks English or German; their pick is remembered."""

from urllib.parse import unquote, urlsplit

from flask import Blueprint, has_request_context, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from intake.extensions import db

bp = Blueprint("i18n", __name__)

# The languages of the service, each named in its own words; the first is the default.
# Forms, pages, report-backs and the command line all take theirs from here.
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = next(iter(LANGUAGES))


def select_locale() -> str:
    languages = list(LANGUAGES)
    if not has_request_context():  # command line: messages stay in the default language
        return DEFAULT_LANGUAGE
    chosen = session.get("lang", "")
    if chosen in languages:
        return chosen
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or DEFAULT_LANGUAGE


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
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
