"""The form for adding a person to a process, used by the admin and by coordinators."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp

from intake.models import Role

ROLE_LABELS = {
    Role.SUPPORT: _l("Support group"),
    Role.CONTACT: _l("Contact group"),
    Role.CENTRAL: _l("Central group"),
}


class InviteForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to the group"),
        validators=[
            InputRequired(_l("Enter a name the group knows this person by.")),
            Length(max=120),
        ],
        description=_l("A first name or nickname is enough."),
    )
    username = StringField(
        _l("Sign-in name"),
        validators=[
            InputRequired(_l("Enter a sign-in name.")),
            Length(min=2, max=63),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                message=_l("Use letters, digits, dot, dash or underscore, no spaces."),
            ),
        ],
        description=_l("If the person already has an account, use their sign-in name."),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    role = RadioField(
        _l("Role in this process"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired(_l("Choose a role."))],
    )
    is_coordinator = BooleanField(
        _l("Coordinator"),
        description=_l("Coordinators can add and remove members."),
    )
