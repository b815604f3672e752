"""Adding a person to a process: the form and its handling, shared by the admin and coordinators."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp

from intake import audit
from intake.accounts import IssuedLink
from intake.extensions import db
from intake.membership import Invitation, MembershipError, invite_member
from intake.models import Account, Membership, Process, Role
from intake.urls import external_url

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


def invite_from(form: InviteForm, process: Process, invited_by: Account) -> Invitation | None:
    """Carry out a submitted invitation; on a refusal the reason goes beside the name."""
    try:
        invitation = invite_member(
            process,
            username=form.username.data,
            display_name=form.display_name.data,
            role=Role(form.role.data),
            is_coordinator=form.is_coordinator.data,
            invited_by=invited_by,
        )
    except MembershipError as exc:
        form.username.errors.append(str(exc))
        return None
    audit.record("member-added", process=process, subject=f"membership:{invitation.membership.id}")
    db.session.commit()
    return invitation


def invited_page(membership: Membership, setup: IssuedLink | None, back: str) -> str:
    """The page that shows a set-up link once, to copy and pass on."""
    return render_template(
        "members/invited.html",
        membership=membership,
        link=external_url("auth.setup_link", token=setup.token) if setup else None,
        expires_at=setup.link.expires_at if setup else None,
        back=back,
    )
