"""The instance admin: creates processes and their first members, reads no content."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length

from intake.clock import today
from intake.extensions import db
from intake.formdef.submitted import add_error, required
from intake.i18n import LANGUAGES
from intake.models import Membership, Process
from intake.people.member_forms import invite_form, invite_from, invited_page
from intake.people.membership import (
    MembershipError,
    create_process,
    current_members,
    process_by_short_name,
    taken_over,
)
from intake.record import paging
from intake.security import audit
from intake.security.access import instance_admin_only

bp = Blueprint("admin", __name__, url_prefix="/admin")


class ProcessForm(FlaskForm):
    pseudonym = StringField(
        _l("Pseudonym of the person the process is about"),
        validators=[InputRequired(_l("Enter a pseudonym, such as “X”.")), Length(max=60)],
        description=_l("Never a real name. It appears on every page and report-back."),
    )
    short_name = StringField(
        _l("Short name"),
        validators=[InputRequired(_l("Enter a short name.")), Length(min=3, max=40)],
        description=_l("Lower-case letters, digits and dashes. It appears in addresses."),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    language = RadioField(
        _l("Language of report-backs"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
        validators=[InputRequired()],
    )


@bp.get("/")
@instance_admin_only
def index() -> str:
    """Processes on this instance, by name and size only."""
    rows = db.session.execute(
        sa.select(Process, sa.func.count(Membership.id))
        .outerjoin(
            Membership,
            sa.and_(
                Membership.process_id == Process.id,
                Membership.left_at.is_(None),
                Membership.accepted_at.is_not(None),
            ),
        )
        .group_by(Process.id)
        .order_by(Process.short_name)
    ).all()
    return render_template("admin/index.html", rows=rows, today=today())


@bp.route("/processes/new", methods=["GET", "POST"])
@instance_admin_only
def new_process() -> ResponseReturnValue:
    """Create a process; its first members come next."""
    form = ProcessForm()
    if form.validate_on_submit():
        try:
            process = create_process(
                required(form.short_name.data),
                required(form.pseudonym.data),
                language=form.language.data,
                created_by=current_user,
            )
        except MembershipError as exc:
            add_error(form.short_name, str(exc))
        else:
            audit.record("process-created", subject=f"process:{process.id}")
            db.session.commit()
            flash(_("Process created. Now add its first members."), "info")
            return redirect(url_for("admin.process", short_name=process.short_name))
    return render_template("admin/new_process.html", form=form)


@bp.route("/processes/<short_name>", methods=["GET", "POST"])
@instance_admin_only
def process(short_name: str) -> ResponseReturnValue:
    """Who is in a process, and a form to add members; nothing of its content."""
    process = process_by_short_name(short_name) or abort(404)
    if taken_over(process):
        # The page stays for the process's size; adding belongs to its members now.
        db.session.commit()
        if request.method == "POST":
            flash(
                _("This process belongs to its members now: its coordinators add people."), "error"
            )
        return render_template(
            "admin/process.html", process=process, members=current_members(process), form=None
        )
    form = invite_form(process, current_user)
    if form.validate_on_submit():
        addition = invite_from(form, process, current_user)
        if addition is not None:
            back = url_for("admin.process", short_name=process.short_name)
            return invited_page(addition, back)
    return render_template(
        "admin/process.html", process=process, members=current_members(process), form=form
    )


@bp.get("/audit")
@instance_admin_only
def audit_log() -> str:
    """Instance-level events: sign-ins, failed sign-ins, processes created."""
    return render_template(
        "admin/audit.html",
        page=audit.events_page(
            None,
            before=paging.parse_cursor(request.args.get("before")),
            after=paging.parse_cursor(request.args.get("after")),
        ),
        action_label=audit.action_label,
        actor_label=audit.actor_label,
    )
