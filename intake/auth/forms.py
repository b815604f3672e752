from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from intake.formdef.validators import NewPassword, SameAs
from intake.security.passwords import MAX_LENGTH

TOO_LONG = _l("Use at most %(max)d characters.")


class LoginForm(FlaskForm):
    username = StringField(
        _l("Sign-in name"),
        validators=[
            InputRequired(_l("Enter your sign-in name.")),
            Length(max=64, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(_l("Enter your password.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(_l("Choose a password.")), NewPassword()],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 12 characters. A few unrelated words work well."),
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[InputRequired(_l("Type the password a second time.")), SameAs("password")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(SetPasswordForm):
    # The new password's two fields come from SetPasswordForm; fields keep the order
    # in which they were declared, so "current" still comes after them, as before.
    current = PasswordField(
        _l("Current password"),
        validators=[
            InputRequired(_l("Enter your current password.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(_l("Enter the code.")), Length(max=40, message=TOO_LONG)],
        description=_l("Six digits from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class PasswordCheckForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[
            InputRequired(_l("Enter your password.")),
            Length(max=MAX_LENGTH, message=TOO_LONG),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordWithCodeForm(SetPasswordForm, CodeForm):
    """A set-up link for an account with a second factor: the link alone is not enough."""
