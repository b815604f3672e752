"""The forms of a process's safety settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, URLField
from wtforms.validators import ValidationError

from intake.security import quick_exit


def _exit_address(form: FlaskForm, field: Field) -> None:
    try:
        quick_exit.checked_exit_url(field.data or "")
    except quick_exit.BadExitAddress as exc:
        raise ValidationError(str(exc)) from exc


class ExitSiteForm(FlaskForm):
    exit_url = URLField(
        _l("Neutral site"),
        validators=[_exit_address],
        render_kw={"autocomplete": "url"},
    )
