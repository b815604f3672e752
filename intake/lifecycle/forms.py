"""The forms of a process's end: export with a passphrase, an erase day, erasing now."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, StringField
from wtforms.validators import Optional, ValidationError

from intake.formdef.dates import DayField
from intake.lifecycle import archive


def _passphrase_rule(form: FlaskForm, field: Field) -> None:
    try:
        archive.check_passphrase(field.data)
    except archive.ExportError as exc:
        raise ValidationError(str(exc)) from exc


class ExportForm(FlaskForm):
    passphrase = PasswordField(
        _l("Passphrase to seal the file (recommended)"),
        description=_l(
            "At least 12 characters. Open the file later with “intake unseal”. "
            "Without the passphrase nobody can open it, you included."
        ),
        validators=[_passphrase_rule],
        render_kw={"autocomplete": "new-password"},
    )


class RetentionForm(FlaskForm):
    erase_on = DayField(
        _l("Erase the process on"),
        validators=[Optional()],
        description=_l(
            "On this day everything of the process is deleted, as with “Erase”. "
            "Every member sees a warning from 30 days before. Leave empty to keep it."
        ),
    )


class EraseForm(FlaskForm):
    """Two steps: the short name typed, then the same form again with ``confirm`` set."""

    short_name = StringField(
        _l("Type the short name of this process to go on"),
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    confirm = HiddenField()
