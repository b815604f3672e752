"""A post refused for a reason outside the person's control keeps what was typed (R6).

One mechanism for every form, at the edges of a request rather than in each view:

- a post refused because the session ended (``access.require_sign_in``) or the
  form's CSRF token expired (the CSRF error page) keeps the posted fields in
  :mod:`intake.security.kept_words`, then sends the person to sign in (with the
  page as ``next``) or straight back to the page;
- the owner's next GET of that page takes the words back: every form built on
  that page reads them as its form data, so the form shows them, not saved,
  with a message to check them and save.

Only pages that answer GET as well as POST keep anything: those are the pages
the form lives on, so there is a page to come back to.

Why a second cookie: the session cookie expires in the browser when the
session idles out (``sessions.BoundedCookies``), so a post sent after a long
time writing arrives with no session at all. ``intake_writer`` holds only the
signed hash of the session's token until the session's last hour: it signs
nobody in and opens nothing, it only says whose words a refused post carries.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask import session as cookie_session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer

from intake.extensions import db
from intake.models import Account, AccountSession, PrivateLink, Process
from intake.security import kept_words
from intake.security.kept_words import EXPIRED, RENEWED, SIGNED_OUT, Owner
from intake.security.sessions import ENDS_KEY, SESSION_KEY
from intake.security.tokens import hash_token

WRITER_COOKIE = "intake_writer"
TIMED_OUT = ("idle", "expired")
_SALT = "intake.kept-words.writer"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def this_page() -> str:
    """The path of this request with its query: a page inside the service, never another site."""
    query = request.query_string.decode("latin-1")
    return request.path + (f"?{query}" if query else "")


def _answers(method: str) -> bool:
    rule = request.url_rule
    return rule is not None and method in (rule.methods or ())


def _link_of_this_browser() -> int | None:
    """The private link this browser opened (its token is in the session), while usable."""
    from intake.checkins import by_link, private_links

    token = cookie_session.get(by_link.SESSION_KEY)
    link = private_links.by_token(token) if token else None
    return link.id if link is not None else None


def _account_of_ended_session() -> int | None:
    """The account whose session this browser had, from its session or writer cookie."""
    hashes = []
    token = cookie_session.get(SESSION_KEY)
    if token:
        hashes.append(hash_token(token))
    try:
        written = _serializer().loads(request.cookies.get(WRITER_COOKIE, ""))
    except BadSignature:
        written = None
    if isinstance(written, str):
        hashes.append(written)
    for token_hash in hashes:
        row = db.session.scalar(
            sa.select(AccountSession).where(AccountSession.token_hash == token_hash)
        )
        if row is None or db.session.get_one(Account, row.account_id).is_deactivated:
            continue
        # Only a session that ran out of time: one ended on purpose (from the devices
        # page, by a password change, by a coordinator) may not leave words for the
        # account, or a browser shut out on purpose could slip text into its forms.
        if row.ended_at is None or row.ended_reason in TIMED_OUT:
            return row.account_id
    return None


def _owner_of_post() -> Owner | None:
    if request.blueprint == "respond":
        link_id = _link_of_this_browser()
        return Owner(link_id=link_id) if link_id is not None else None
    if request.blueprint == "auth":
        return None  # passwords and codes: nothing there is worth keeping
    if current_user.is_authenticated:
        return Owner(account_id=current_user.id)
    account_id = _account_of_ended_session()
    return Owner(account_id=account_id) if account_id is not None else None


def _process_of(owner: Owner, path: str) -> int | None:
    """The process the words were typed for, so that erasing it takes them too."""
    if owner.link_id is not None:
        return db.session.get_one(PrivateLink, owner.link_id).process_id
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "p":
        return db.session.scalar(sa.select(Process.id).where(Process.short_name == parts[2]))
    return None


def keep_refused_post(reason: str) -> ResponseReturnValue | None:
    """Keep this refused post's words and send the person where they come back; None when
    there is nothing to keep, nobody to keep it for, or no page to come back to."""
    if request.method != "POST" or not _answers("GET"):
        return None
    words = kept_words.typed_words(request.form)
    owner = _owner_of_post() if words else None
    if owner is None:
        return None
    page = this_page()
    signed_out = owner.account_id is not None and not current_user.is_authenticated
    # A browser drops its session cookie when the session idles out, so a post sent
    # after a long time writing fails its CSRF check: that is still a sign-out.
    reason = SIGNED_OUT if signed_out else reason
    kept_words.keep(owner, page, words, reason=reason, process_id=_process_of(owner, page))
    db.session.commit()
    if signed_out:
        flash(
            _(
                "You were signed out while writing. Sign in again and what you typed "
                "comes back into the form."
            ),
            "info",
        )
        return redirect(url_for("auth.login", next=page), 303)
    return redirect(page, 303)


def _owner_here() -> Owner | None:
    if request.blueprint == "respond":
        link_id = _link_of_this_browser()
        return Owner(link_id=link_id) if link_id is not None else None
    if current_user.is_authenticated:
        return Owner(account_id=current_user.id)
    return None


def bring_back() -> None:
    """``before_request``: on the page a post was refused on, the owner's words come back."""
    if request.method != "GET" or not _answers("POST"):
        return
    owner = _owner_here()
    found = kept_words.take_back(owner, this_page()) if owner is not None else None
    if found is None:
        return
    g.kept_words = found
    if found.reason == RENEWED:
        flash(
            _(
                "What you typed before the new link came is back in the form. It is not "
                "sent yet: check it and send it."
            ),
            "info",
        )
    elif found.reason == SIGNED_OUT:
        flash(
            _(
                "You were signed out while writing. What you typed is back in the form; "
                "it is not saved yet — check it and press Save."
            ),
            "info",
        )
    else:
        flash(
            _(
                "The form had expired, so nothing was saved. What you typed is back in the "
                "form: check it and send it again."
            ),
            "info",
        )


def settle(response: Response) -> Response:
    """``after_request``: words shown in a page are used up; the writer cookie follows the
    session."""
    found = g.pop("kept_words", None)
    if found is not None and response.status_code == 200:
        kept_words.forget(found.id)
        db.session.commit()
    if request.endpoint == "auth.logout":
        response.delete_cookie(WRITER_COOKIE, path="/")
    elif (
        response.status_code < 400  # an error page (the database away) asks nothing more
        and request.endpoint != "static"
        and cookie_session.get(SESSION_KEY)
    ):
        _mark_writer(response)
    return response


def _mark_writer(response: Response) -> None:
    if not current_user.is_authenticated:
        return
    value = _serializer().dumps(hash_token(cookie_session[SESSION_KEY]))
    if request.cookies.get(WRITER_COOKIE) == value:
        return
    ends = cookie_session.get(ENDS_KEY)
    response.set_cookie(
        WRITER_COOKIE,
        value,
        expires=int(ends) if ends else None,
        path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )


def kept_value(name: str, default: Any = None) -> Any:
    """A hidden value (such as the version an edit started from) as the refused post had it."""
    found = g.get("kept_words") if has_request_context() else None
    if found is None:
        return default
    return found.formdata.get(name, default)


_read_request = FlaskForm.Meta.wrap_formdata


def _form_data(meta: Any, form: Any, formdata: Any) -> Any:
    # Every form on the page the words come back to reads them, whether the view
    # builds it empty, from a draft or from stored answers: the single point all
    # forms pass through, so no view needs to know.
    found = g.get("kept_words") if has_request_context() else None
    if found is not None and request.method == "GET":
        return found.formdata
    return _read_request(meta, form, formdata)


def register(app: Flask) -> None:
    FlaskForm.Meta.wrap_formdata = _form_data
    app.before_request(bring_back)
    app.after_request(settle)
    app.jinja_env.globals["kept_value"] = kept_value


__all__ = ["EXPIRED", "SIGNED_OUT", "keep_refused_post", "register"]
