"""Validators shared by the hand-written forms."""

from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

from intake.security.passwords import MAX_LENGTH, MIN_LENGTH


class NewPassword:
    """A password long enough to resist guessing, short enough to hash cheaply."""

    def __call__(self, form: Form, field: Field) -> None:
        value = field.data or ""
        if len(value) < MIN_LENGTH:
            raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
        if len(value) > MAX_LENGTH:
            raise ValidationError(_l("Use at most %(n)d characters.", n=MAX_LENGTH))


class SameAs:
    def __init__(self, other: str) -> None:
        self.other = other

    def __call__(self, form: Form, field: Field) -> None:
        if field.data != form[self.other].data:
            raise ValidationError(_l("The two passwords are not the same."))
