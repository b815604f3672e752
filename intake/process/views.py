"""A process's own pages: the overview, at a glance, and its members."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from intake import archive, audit, retention
from intake.accounts import issue_setup_link
from intake.clock import today
from intake.demands import demand_views
from intake.extensions import db
from intake.glance import glance
from intake.member_forms import InviteForm, invite_from, invited_page
from intake.membership import (
    MembershipError,
    current_members,
    former_members,
    remove_member,
    set_coordinator,
)
from intake.models import Membership, Role
from intake.process.forms import RetentionForm
from intake.records.service import first_of
from intake.security.access import allow, of_this_process, process_blueprint

bp = process_blueprint("process", __name__)


def _member_of_this_process(membership_id: int) -> Membership:
    """A current membership of the process in the URL, or 404; ids of others never match."""
    membership = of_this_process(Membership, membership_id)
    if not membership.is_current:
        abort(404)
    return membership


@bp.get("/")
@allow()
def overview() -> str:
    """Where the process stands, as far as this person's role may see."""
    role = g.membership.role
    if role is Role.CONTACT:
        return render_template("process/overview.html", glance=glance(g.process, today()))
    if role is Role.SUPPORT:
        return render_template(
            "process/overview.html",
            demand_list=demand_views(g.process),
            handover=first_of(g.process, "handover"),
        )
    return render_template("process/overview.html")


@bp.get("/members")
@allow(Role.CONTACT, Role.SUPPORT, Role.CENTRAL)
def members() -> str:
    """The people in this process; contact group and coordinators see everyone."""
    membership: Membership = g.membership
    members = current_members(g.process)
    if not (membership.is_coordinator or membership.role is Role.CONTACT):
        # Others see their own group and who to turn to, nothing more.
        members = [m for m in members if m.role is membership.role or m.is_coordinator]
    former = former_members(g.process) if membership.is_coordinator else []
    return render_template("process/members.html", members=members, former=former)


@bp.route("/members/new", methods=["GET", "POST"])
@allow(coordinator=True)
def invite() -> ResponseReturnValue:
    """Add a person to this process and hand out their set-up link."""
    form = InviteForm()
    if form.validate_on_submit():
        invitation = invite_from(form, g.process, current_user)
        if invitation is not None:
            return invited_page(invitation.membership, invitation.setup, url_for("process.members"))
    return render_template("process/invite.html", form=form)


@bp.post("/members/<int:membership_id>/remove")
@allow(coordinator=True)
def remove(membership_id: int) -> ResponseReturnValue:
    """End a membership now; the person loses access on their next click."""
    membership = _member_of_this_process(membership_id)
    try:
        remove_member(membership, removed_by=current_user)
    except MembershipError as exc:
        flash(str(exc), "error")
    else:
        audit.record("member-removed", process=g.process, subject=f"membership:{membership.id}")
        db.session.commit()
        flash(_("%(name)s is no longer a member.", name=membership.account.display_name), "info")
    return redirect(url_for("process.members"))


@bp.post("/members/<int:membership_id>/coordinator")
@allow(coordinator=True)
def toggle_coordinator(membership_id: int) -> ResponseReturnValue:
    """Make a member coordinator, or no longer."""
    membership = _member_of_this_process(membership_id)
    try:
        set_coordinator(membership, not membership.is_coordinator)
    except MembershipError as exc:
        flash(str(exc), "error")
    else:
        audit.record(
            "coordinator-changed", process=g.process, subject=f"membership:{membership.id}"
        )
        db.session.commit()
    return redirect(url_for("process.members"))


@bp.post("/members/<int:membership_id>/setup-link")
@allow(coordinator=True)
def new_setup_link(membership_id: int) -> ResponseReturnValue:
    """A fresh set-up link for a member who has not chosen a password yet."""
    membership = _member_of_this_process(membership_id)
    if membership.account.has_password:
        flash(_("This person has already chosen a password."), "error")
        return redirect(url_for("process.members"))
    issued = issue_setup_link(membership.account, created_by=current_user)
    audit.record("setup-link-issued", process=g.process, subject=f"membership:{membership.id}")
    db.session.commit()
    return invited_page(membership, issued, url_for("process.members"))


@bp.get("/audit")
@allow(coordinator=True)
def audit_log() -> str:
    """Who did what and when in this process, newest first; never what anyone wrote."""
    return render_template(
        "process/audit.html", events=audit.events(g.process), action_label=audit.action_label
    )


@bp.route("/export", methods=["GET", "POST"])
@allow(Role.CONTACT, coordinator=True)
def export() -> ResponseReturnValue:
    """Download every record of this process as one archive, sealed with a passphrase if given."""
    if request.method == "POST":
        passphrase = request.form.get("passphrase", "")
        if passphrase and len(passphrase) < 12:
            flash(_("Use a passphrase of at least 12 characters, or none."), "error")
            return _export_page(), 422
        data = archive.export(g.process, passphrase or None, g.membership.role.value)
        audit.record("process-exported", process=g.process)
        db.session.commit()
        suffix = "sealed" if passphrase else "zip"
        response = Response(data, mimetype="application/octet-stream")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="intake-{g.process.short_name}.{suffix}"'
        )
        return response
    return _export_page()


def _export_page(form: RetentionForm | None = None) -> str:
    if form is None:
        form = RetentionForm(erase_on=g.process.erase_on)
    return render_template("process/export.html", retention_form=form)


@bp.post("/retention")
@allow(Role.CONTACT, coordinator=True)
def set_retention() -> ResponseReturnValue:
    """Set or clear the day this process is erased."""
    form = RetentionForm()
    if form.validate_on_submit():
        try:
            retention.set_erase_date(g.process, form.erase_on.data, today())
        except retention.RetentionError as exc:
            form.erase_on.errors = [str(exc)]
        else:
            db.session.commit()
            on = g.process.erase_on
            flash(
                _("The process will be erased on %(date)s.", date=format_date(on, "medium"))
                if on
                else _("The process is kept: no day is set to erase it."),
                "info",
            )
            return redirect(url_for("process.export"))
    return _export_page(form), 422


@bp.route("/erase", methods=["GET", "POST"])
@allow(Role.CONTACT, coordinator=True)
def erase() -> ResponseReturnValue:
    """Two steps: type the short name, then confirm; then everything of the process is gone."""
    typed = request.form.get("short_name", "").strip()
    if request.method == "GET" or typed != g.process.short_name:
        if request.method == "POST":
            flash(_("That is not the short name of this process. Nothing was deleted."), "error")
        return render_template("process/erase.html", step=1)
    if request.form.get("confirm") != "yes":
        return render_template("process/erase.html", step=2)
    # Logged first: the erasing account may itself be erased with the process.
    audit.record("process-erased", subject=f"process:{g.process.id}")
    db.session.commit()
    archive.erase(g.process)
    flash(_("The process and everything of it are erased."), "info")
    return redirect(url_for("home.index"))


@bp.post("/second-factor")
@allow(coordinator=True)
def require_second_factor() -> ResponseReturnValue:
    """Require, or stop requiring, a second factor of every member of this process."""
    g.process.require_second_factor = not g.process.require_second_factor
    audit.record("second-factor-required", process=g.process)
    db.session.commit()
    return redirect(url_for("process.members"))
