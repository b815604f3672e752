"""Sign-in, sign-out, set-up links, password change, devices and the second factor."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from intake.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    PasswordCheckForm,
    SetPasswordForm,
    SetPasswordWithCodeForm,
)
from intake.extensions import db
from intake.formdef.submitted import add_error, required
from intake.i18n import _safe_next
from intake.models import Account
from intake.people.accounts import (
    authenticate,
    find_account,
    normalise_username,
    redeem_setup_link,
    set_password,
    usable_setup_link,
)
from intake.security import (
    audit,
    guesses,
    known_devices,
    second_factor,
    session_end,
    signing_in,
    throttle,
)
from intake.security.passwords import verify_password
from intake.security.sessions import (
    end_current_session,
    end_session,
    end_sessions_of,
    is_current,
    sessions_of,
    start_session,
    stay_signed_in,
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
        name = normalise_username(required(form.username.data))
        device = known_devices.device_of(find_account(name))
        paused = guesses.sign_in_paused(name, device)
        if paused is not None:
            return paused
        account = authenticate(required(form.username.data), required(form.password.data))
        if account is None:
            audit.record("signin-failed", actor=find_account(name))
            guesses.count_failure(name, device)
        if account is not None and account.has_second_factor:
            signing_in.await_second_factor(account, form.next.data or "")
            db.session.commit()
            return redirect(url_for("auth.second_step"))
        if account is not None:
            signing_in.sign_in(account)
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
    """Check a set-up link, then move its token out of the address bar.

    After the redirect no entry of the tab's history holds the token; the
    browser's own list of visited addresses keeps the link as opened, which is
    why the link works once.
    """
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
    holder = link.account
    form = SetPasswordWithCodeForm() if holder.has_second_factor else SetPasswordForm()
    if form.validate_on_submit():
        if holder.has_second_factor:
            # A set-up link (say, for a forgotten password) must not open an
            # account past its second factor; the link stays unspent until a
            # code fits. Without the authenticator, the admin turns the factor
            # off explicitly (`intake user setup-link --turn-off-second-factor`).
            refused = _second_factor_refused(holder, form)
            if refused is not None:
                return refused
        account = redeem_setup_link(required(token), required(form.password.data))
        if account is None:
            db.session.rollback()
            return render_template("auth/setup_invalid.html"), 404
        # Whoever had an older session for this account is signed out.
        end_sessions_of(account, "password-set")
        session.pop(SETUP_TOKEN_KEY, None)
        if current_user.is_authenticated:
            logout_user()
        start_session(account)
        db.session.commit()
        flash(_("Your password is set. Welcome."), "info")
        return redirect(url_for("home.index"))
    return _setup_page(form, holder)


def _setup_page(form: SetPasswordForm, holder: Account, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "auth/setup.html",
        form=form,
        username=holder.username,
        name=holder.display_name,
        asks_code=holder.has_second_factor,
    ), status


def _second_factor_refused(
    holder: Account, form: SetPasswordWithCodeForm
) -> ResponseReturnValue | None:
    """None if the code fits; otherwise the page to answer with, the guess counted."""
    device = known_devices.device_of(holder)
    paused = guesses.code_paused(holder, device)
    if paused is not None:
        return paused
    if second_factor.verify(holder, required(form.code.data)):
        return None
    db.session.rollback()
    audit.record("signin-failed", actor=holder)
    guesses.count_failure(holder.username, device)
    add_error(form.code, _("That code does not work. Codes change every 30 seconds."))
    return _setup_page(form, holder, 422)


def _current_password_fits(account: Account, password: str) -> bool:
    """Whether the password is the account's own; wrong guesses are counted."""
    if verify_password(account.password_hash, password):
        return True
    guesses.count_wrong_password_check(account)
    return False


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    """Change one's password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        account = current_user._get_current_object()
        paused = guesses.password_check_paused(account)
        if paused is not None:
            return paused
        if not _current_password_fits(account, required(form.current.data)):
            add_error(form.current, _("That is not your current password."))
        else:
            set_password(account, required(form.password.data))
            end_sessions_of(account, "password-changed")
            audit.record("password-changed", actor=account)
            start_session(account)
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


@bp.post("/account/stay-signed-in")
def stay() -> ResponseReturnValue:
    """Start the idle time again. Scripts ask in the background and get the new end;
    without scripts the button comes back to the page it was pressed on."""
    end = stay_signed_in()
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        if end is None:
            return jsonify(signed_in=False), 401
        return jsonify(signed_in=True, **session_end.figures(end))
    return redirect(_safe_next(request.form.get("next")), 303)


@bp.route("/login/code", methods=["GET", "POST"])
def second_step() -> ResponseReturnValue:
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    waiting = signing_in.half_way()
    if waiting is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    account, target = waiting
    form = CodeForm()
    if form.validate_on_submit():
        device = known_devices.device_of(account)
        paused = guesses.code_paused(account, device)
        if paused is not None:
            return paused
        if second_factor.verify(account, required(form.code.data)):
            signing_in.sign_in(account)
            db.session.commit()
            return redirect(_safe_next(target))
        db.session.rollback()
        audit.record("signin-failed", actor=account)
        guesses.count_failure(account.username, device)
        add_error(form.code, _("That code does not work. Codes change every 30 seconds."))
    return render_template("auth/code.html", form=form)


def _scan_page(account: Account, secret: str, form: CodeForm) -> str:
    """The QR code and secret to add to an authenticator, and a field for its first code."""
    return render_template(
        "auth/second_factor.html",
        step="scan",
        secret=secret,
        qr=second_factor.qr_code(account, secret),
        form=form,
    )


@bp.route("/account/second-factor", methods=["GET", "POST"])
def second_factor_page() -> ResponseReturnValue:
    """Turn the second factor on (password, then a first code) or off (password and a code)."""
    account = current_user._get_current_object()
    password_form, code_form = PasswordCheckForm(prefix="p"), CodeForm(prefix="c")
    action = request.form.get("action")
    if request.method == "POST" and action in ("begin", "off"):
        paused = guesses.password_check_paused(account)
        if paused is not None:
            return paused
    if request.method == "POST" and action == "begin" and password_form.validate_on_submit():
        if _current_password_fits(account, required(password_form.password.data)):
            secret = second_factor.begin(account)
            db.session.commit()
            return _scan_page(account, secret, code_form)
        add_error(password_form.password, _("That is not your current password."))
    if request.method == "POST" and action == "confirm" and code_form.validate_on_submit():
        codes = second_factor.confirm(account, required(code_form.code.data))
        if codes is not None:
            end_sessions_of(account, "second-factor-on", keep_current=True)
            audit.record("second-factor-on", actor=account)
            db.session.commit()
            return render_template("auth/second_factor.html", step="codes", codes=codes)
        pending = second_factor.pending_secret(account)
        if pending is None:
            return redirect(url_for("auth.second_factor_page"))
        add_error(code_form.code, _("That code does not work. Codes change every 30 seconds."))
        return _scan_page(account, pending, code_form), 422
    if request.method == "POST" and action == "off" and password_form.validate_on_submit():
        ok_password = verify_password(account.password_hash, required(password_form.password.data))
        if ok_password and second_factor.verify(account, request.form.get("off_code", "")):
            second_factor.turn_off(account)
            audit.record("second-factor-off", actor=account)
            db.session.commit()
            flash(_("The second factor is off."), "info")
            return redirect(url_for("auth.second_factor_page"))
        db.session.rollback()
        guesses.count_wrong_password_check(account)
        add_error(password_form.password, _("The password or the code does not work."))
    return render_template("auth/second_factor.html", step="status", form=password_form)
