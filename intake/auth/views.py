"""Sign-in, sign-out, set-up links and password change."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from intake import audit, throttle
from intake.accounts import (
    authenticate,
    find_account,
    normalise_username,
    redeem_setup_link,
    set_password,
    usable_setup_link,
)
from intake.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from intake.extensions import db
from intake.i18n import _safe_next
from intake.security.passwords import verify_password
from intake.signin import (
    end_current_session,
    end_session,
    end_sessions_of,
    is_current,
    sessions_of,
    start_session,
)

bp = Blueprint("auth", __name__)

SETUP_TOKEN_KEY = "setup_token"  # noqa: S105 (a session key name, not a secret)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Sign in with a sign-in name and password; one message for every failure."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        name = normalise_username(form.username.data)
        for limit, key in (
            (throttle.SIGN_IN_PER_CLIENT, throttle.client_key()),
            (throttle.SIGN_IN_PER_ACCOUNT, name),
        ):
            if throttle.is_blocked(limit, key):
                # Same answer for known and unknown names: it reveals nothing.
                minutes = throttle.retry_after(limit)
                return (
                    render_template("auth/throttled.html", minutes=minutes),
                    429,
                    {"Retry-After": str(minutes * 60)},
                )
        account = authenticate(form.username.data, form.password.data)
        if account is None:
            audit.record("signin-failed", actor=find_account(name))
            throttle.record(throttle.SIGN_IN_PER_CLIENT, throttle.client_key())
            throttle.record(throttle.SIGN_IN_PER_ACCOUNT, name)
        if account is not None:
            start_session(account)
            login_user(account)
            audit.record("signin", actor=account)
            db.session.commit()
            return redirect(_safe_next(form.next.data))
        # Same words whether the name is unknown or the password wrong,
        # so the page cannot be used to find out who has an account.
        flash(_("That sign-in name and password do not match."), "error")
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End this session on the server, not only in the browser."""
    audit.record("signout")
    end_current_session("signed-out")
    logout_user()
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/setup/<token>")
def setup_link(token: str) -> ResponseReturnValue:
    """Check a set-up link, then move its token out of the address bar."""
    if throttle.is_blocked(throttle.LINK_GUESSES, throttle.client_key()):
        return render_template("errors/429.html", code=429), 429
    if usable_setup_link(token) is None:
        throttle.record(throttle.LINK_GUESSES, throttle.client_key())
        return render_template("auth/setup_invalid.html"), 404
    session[SETUP_TOKEN_KEY] = token
    return redirect(url_for("auth.setup"))


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    """Choose a password through a set-up link; the link works once."""
    token = session.get(SETUP_TOKEN_KEY)
    link = usable_setup_link(token) if token else None
    if link is None:
        session.pop(SETUP_TOKEN_KEY, None)
        return render_template("auth/setup_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        account = redeem_setup_link(token, form.password.data)
        if account is None:
            db.session.rollback()
            return render_template("auth/setup_invalid.html"), 404
        # Whoever had an older session for this account is signed out.
        end_sessions_of(account, "password-set")
        session.pop(SETUP_TOKEN_KEY, None)
        if current_user.is_authenticated:
            logout_user()
        start_session(account)
        login_user(account)
        db.session.commit()
        flash(_("Your password is set. Welcome."), "info")
        return redirect(url_for("home.index"))
    return render_template(
        "auth/setup.html", form=form, username=link.account.username, name=link.account.display_name
    )


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    """Change one's password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("That is not your current password."))
        else:
            set_password(current_user, form.password.data)
            account = current_user._get_current_object()
            end_sessions_of(account, "password-changed")
            audit.record("password-changed", actor=account)
            start_session(account)
            login_user(account)
            db.session.commit()
            flash(_("Your password is changed. Other devices are signed out."), "info")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form)


@bp.get("/account/sessions")
def sessions() -> str:
    """Where this account is signed in, with a button to end each other session."""
    return render_template(
        "auth/sessions.html", rows=sessions_of(current_user), is_current=is_current
    )


@bp.post("/account/sessions/<int:session_id>/end")
def end_one(session_id: int) -> ResponseReturnValue:
    """Sign out one other device at once; its copied cookie stops working."""
    if not end_session(current_user, session_id):
        abort(404)
    db.session.commit()
    flash(_("That device is signed out."), "info")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/others/end")
def end_others() -> ResponseReturnValue:
    """Sign out every other device."""
    ended = end_sessions_of(current_user, "ended-by-owner", keep_current=True)
    db.session.commit()
    flash(_("%(n)d other device(s) signed out.", n=ended), "info")
    return redirect(url_for("auth.sessions"))
