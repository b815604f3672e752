"""Adding a person to a process: the form and its handling, shared by the admin and coordinators."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length, Optional, Regexp

from intake.extensions import db
from intake.formdef.submitted import add_error, required
from intake.models import Account, Process, Role
from intake.people.membership import (
    Addition,
    MembershipError,
    NameNeeded,
    addable_roles,
    invite_member,
)
from intake.security import audit
from intake.urls import external_url

ROLE_LABELS = {
    Role.SUPPORT: _l("Support group"),
    Role.CONTACT: _l("Contact group"),
    Role.CENTRAL: _l("Central group"),
}


class InviteForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to the group"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "For a new account: a first name or nickname is enough. "
            "Someone who already has an account keeps their own name."
        ),
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
        description=_l(
            "If the person already has an account, use their sign-in name: "
            "they join once they accept, after signing in."
        ),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    role = RadioField(  # type: ignore[call-arg]  # invalid_choice_message: not in 3.2 stubs
        _l("Role in this process"),
        choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired(_l("Choose a role."))],
        invalid_choice_message=_l("Choose one of the groups offered: you add members to your own."),
    )
    is_coordinator = BooleanField(
        _l("Coordinator"),
        description=_l("Coordinators can add and remove members."),
    )


def invite_form(process: Process, invited_by: Account) -> InviteForm:
    """The form, offering only the groups this person may add members to."""
    form = InviteForm()
    allowed = addable_roles(process, invited_by)
    form.role.choices = [SelectChoice(r.value, ROLE_LABELS[r]) for r in allowed]
    if len(allowed) == 1 and not form.is_submitted():
        form.role.data = allowed[0].value
    return form


def invite_from(form: InviteForm, process: Process, invited_by: Account) -> Addition | None:
    """Add the person the form names; on a refusal the reason goes beside the field."""
    try:
        addition = invite_member(
            process,
            username=required(form.username.data),
            display_name=form.display_name.data or "",
            role=Role(form.role.data),
            is_coordinator=form.is_coordinator.data,
            invited_by=invited_by,
        )
    except NameNeeded as exc:
        add_error(form.display_name, str(exc))
        return None
    except MembershipError as exc:
        add_error(form.username, str(exc))
        return None
    action = "member-asked" if addition.is_pending else "member-added"
    audit.record(action, process=process, subject=f"membership:{addition.membership.id}")
    db.session.commit()
    return addition


def invited_page(addition: Addition, back: str) -> str:
    """The page after adding someone: a new account's set-up link, shown once, to pass on;
    for an existing account, only that they are asked (nothing of the account is shown)."""
    setup = addition.setup
    return render_template(
        "members/invited.html",
        membership=addition.membership,
        link=external_url("auth.setup_link", token=setup.token) if setup else None,
        expires_at=setup.link.expires_at if setup else None,
        back=back,
    )
