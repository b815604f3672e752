"""A process's own pages: the overview, at a glance, and its members."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from intake.clock import today
from intake.extensions import db
from intake.lifecycle import archive, retention
from intake.models import Account, ActKind, ActRequest, Membership, Process, Role
from intake.people import confirmations
from intake.people.accounts import issue_setup_link
from intake.people.member_forms import invite_form, invite_from, invited_page
from intake.people.membership import (
    Addition,
    MembershipError,
    current_members,
    former_members,
    may_manage,
    may_send_setup_link,
    pending_members,
    remove_member,
    set_coordinator,
    withdraw,
)
from intake.record import paging
from intake.record.demands import demand_views
from intake.record.forms import RetentionForm
from intake.record.glance import glance
from intake.security import audit, quick_exit
from intake.security.access import allow, of_this_process, process_blueprint, refuse
from intake.submissions.service import first_of

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
    return _members_page()


def _members_page(**extra) -> str:
    membership: Membership = g.membership
    members = current_members(g.process)
    if not (membership.is_coordinator or membership.role is Role.CONTACT):
        # Others see their own group and who to turn to, nothing more.
        members = [m for m in members if m.role is membership.role or m.is_coordinator]
    coordinator = membership.is_coordinator
    return render_template(
        "process/members.html",
        members=members,
        pending=pending_members(g.process) if coordinator else [],
        former=former_members(g.process) if coordinator else [],
        may_manage=lambda target: coordinator and may_manage(membership, target),
        may_send_setup_link=lambda target: coordinator and may_send_setup_link(membership, target),
        second_factor_alone=not confirmations.needs_second(g.process, ActKind.SECOND_FACTOR_OFF),
        answers=confirmations.answers_for(
            g.process,
            current_user,
            (ActKind.SECOND_FACTOR_OFF, *confirmations.ABOUT_COORDINATORS),
        ),
        **extra,
    )


@bp.post("/exit-site")
@allow(coordinator=True)
def exit_site() -> ResponseReturnValue:
    """Choose the neutral site that "Exit this page" opens for the support group and links."""
    typed = request.form.get("exit_url", "")
    try:
        quick_exit.set_exit_url(g.process, typed)
    except quick_exit.BadExitAddress as refusal:
        return _members_page(exit_error=str(refusal), exit_typed=typed), 422
    db.session.commit()
    flash(_("“Exit this page” now opens %(url)s.", url=quick_exit.exit_url(g.process)), "info")
    return redirect(url_for("process.members"))


@bp.route("/members/new", methods=["GET", "POST"])
@allow(coordinator=True)
def invite() -> ResponseReturnValue:
    """Add a person to this process's own group of the coordinator."""
    form = invite_form(g.process, current_user)
    if form.validate_on_submit():
        addition = invite_from(form, g.process, current_user)
        if addition is not None:
            return invited_page(addition, url_for("process.members"))
    return render_template("process/invite.html", form=form)


def _managed_member(membership_id: int) -> Membership:
    """A current member of this process whom the signed-in coordinator may manage."""
    membership = _member_of_this_process(membership_id)
    if not may_manage(g.membership, membership):
        refuse(f"{g.process.short_name}/membership:{membership_id}", g.process)
    return membership


@bp.post("/members/<int:membership_id>/remove")
@allow(coordinator=True)
def remove(membership_id: int) -> ResponseReturnValue:
    """End a membership now; the person loses access to this process on their next click."""
    membership = _managed_member(membership_id)
    if _about_another_coordinator(membership, ActKind.COORDINATOR_REMOVED):
        return redirect(url_for("process.members"))
    try:
        remove_member(membership, removed_by=current_user)
    except MembershipError as exc:
        flash(str(exc), "error")
    else:
        audit.record("member-removed", process=g.process, subject=f"membership:{membership.id}")
        db.session.commit()
        flash(_("%(name)s is no longer a member.", name=membership.account.display_name), "info")
    return redirect(url_for("process.members"))


def _about_another_coordinator(membership: Membership, kind: ActKind) -> bool:
    """Ending another coordinator's role is asked for, not done; True if it was asked.

    Otherwise one coordinator could make themselves the only one, then act alone.
    """
    if not membership.is_coordinator or membership.id == g.membership.id:
        return False
    if not confirmations.needs_second(g.process, kind, membership):
        return False
    confirmations.ask(g.process, kind, current_user, concerning=membership)
    db.session.commit()
    flash(
        _(
            "%(name)s coordinates: the change waits until another coordinator of the group, "
            "or %(name)s themselves, confirms it.",
            name=membership.account.display_name,
        ),
        "info",
    )
    return True


@bp.post("/members/<int:membership_id>/withdraw")
@allow(coordinator=True)
def withdraw_request_to_join(membership_id: int) -> ResponseReturnValue:
    """Take back an invitation that has not been accepted yet."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or (membership.process_id == g.process.id and not membership.is_pending):
        # Declined, withdrawn or accepted meanwhile (a second tab, a double tap).
        flash(_("This invitation is no longer open."), "error")
        return redirect(url_for("process.members"))
    membership = of_this_process(Membership, membership_id)
    if not may_manage(g.membership, membership):
        refuse(f"{g.process.short_name}/membership:{membership_id}", g.process)
    withdraw(membership)
    audit.record("joining-withdrawn", process=g.process, subject=f"membership:{membership_id}")
    db.session.commit()
    flash(_("The invitation is withdrawn."), "info")
    return redirect(url_for("process.members"))


@bp.post("/members/<int:membership_id>/coordinator")
@allow(coordinator=True)
def toggle_coordinator(membership_id: int) -> ResponseReturnValue:
    """Make a member of one's own group coordinator, or no longer."""
    membership = _managed_member(membership_id)
    if _about_another_coordinator(membership, ActKind.COORDINATOR_OFF):
        return redirect(url_for("process.members"))
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
    """A fresh set-up link, only for an account this process created, before its password."""
    membership = _member_of_this_process(membership_id)
    if not (may_manage(g.membership, membership) or membership.added_by_id == current_user.id):
        refuse(f"{g.process.short_name}/membership:{membership_id}", g.process)
    if not may_send_setup_link(g.membership, membership):
        flash(
            _(
                "A set-up link is only given to a person who has not chosen a password yet, "
                "by the process that created their account."
            ),
            "error",
        )
        return redirect(url_for("process.members"))
    issued = issue_setup_link(membership.account, created_by=current_user)
    audit.record("setup-link-issued", process=g.process, subject=f"membership:{membership.id}")
    db.session.commit()
    return invited_page(Addition(membership, issued), url_for("process.members"))


@bp.get("/audit")
@allow(coordinator=True)
def audit_log() -> str:
    """Who did what and when in this process, newest first; never what anyone wrote."""
    return render_template(
        "process/audit.html",
        page=audit.events_page(
            g.process,
            before=paging.parse_cursor(request.args.get("before")),
            after=paging.parse_cursor(request.args.get("after")),
        ),
        action_label=audit.action_label,
        actor_label=audit.actor_label,
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
    return render_template(
        "process/export.html",
        retention_form=form,
        alone=not confirmations.needs_second(g.process, ActKind.ERASE_DATE),
        answers=confirmations.answers_for(g.process, current_user, confirmations.ERASING),
    )


@bp.post("/retention")
@allow(Role.CONTACT, coordinator=True)
def set_retention() -> ResponseReturnValue:
    """Set or clear the day this process is erased; another coordinator confirms if there is one."""
    form = RetentionForm()
    if form.validate_on_submit():
        on = form.erase_on.data
        try:
            retention.check_erase_date(on, today())
        except retention.RetentionError as exc:
            form.erase_on.errors = [str(exc)]
        else:
            if confirmations.needs_second(g.process, ActKind.ERASE_DATE):
                confirmations.ask(g.process, ActKind.ERASE_DATE, current_user, erase_on=on)
                db.session.commit()
                flash(_("Another coordinator of the contact group is asked to confirm."), "info")
                return redirect(url_for("process.export"))
            retention.set_erase_date(g.process, on, today())
            confirmations.settle(g.process, ActKind.ERASE_DATE, current_user)
            db.session.commit()
            _flash_erase_date()
            return redirect(url_for("process.export"))
    return _export_page(form), 422


def _flash_erase_date() -> None:
    on = g.process.erase_on
    flash(
        _("The process will be erased on %(date)s.", date=format_date(on, "medium"))
        if on
        else _("The process is kept: no day is set to erase it."),
        "info",
    )


@bp.route("/erase", methods=["GET", "POST"])
@allow(Role.CONTACT, coordinator=True)
def erase() -> ResponseReturnValue:
    """Two steps: type the short name, then confirm; a second coordinator confirms too."""
    typed = request.form.get("short_name", "").strip()
    alone = not confirmations.needs_second(g.process, ActKind.ERASE)
    if request.method == "GET" or typed != g.process.short_name:
        if request.method == "POST":
            flash(_("That is not the short name of this process. Nothing was deleted."), "error")
        return render_template("process/erase.html", step=1, alone=alone)
    if request.form.get("confirm") != "yes":
        return render_template("process/erase.html", step=2, alone=alone)
    if not alone:
        confirmations.ask(g.process, ActKind.ERASE, current_user)
        db.session.commit()
        flash(
            _(
                "Another coordinator of the contact group is asked to confirm. "
                "Nothing is erased until one of them does."
            ),
            "info",
        )
        return redirect(url_for("process.export"))
    return _erase_now()


def _erase_now() -> ResponseReturnValue:
    # Logged first: the erasing account may itself be erased with the process.
    audit.record("process-erased", subject=f"process:{g.process.id}")
    # Worded before erasing: the language comes from the account, which may go with it.
    done = _("The process and everything of it are erased.")
    gone_too = _("Your account belonged only to this process and is erased with it.")
    account_id = current_user.id
    db.session.commit()
    archive.erase(g.process)
    return _after_erase(account_id, done, gone_too)


def _after_erase(
    account_id: int, done: str | None = None, gone_too: str | None = None
) -> ResponseReturnValue:
    """Home, or the sign-in page if the account went with the process (nothing left to open)."""
    if db.session.get(Account, account_id) is None:
        logout_user()
        # Signed out now, so these words come in the browser's language.
        done = done or _("The process and everything of it are erased.")
        gone_too = gone_too or _(
            "Your account belonged only to this process and is erased with it."
        )
        flash(f"{done} {gone_too}", "info")
        return redirect(url_for("auth.login"))
    flash(done or _("The process and everything of it are erased."), "info")
    return redirect(url_for("home.index"))


@bp.post("/requests/<int:request_id>")
@allow(coordinator=True)
def decide_request(request_id: int) -> ResponseReturnValue:
    """Confirm or decline what another coordinator asked for (or take back one's own)."""
    asked = of_this_process(ActRequest, request_id)
    back = url_for(_page_of(asked.kind))
    confirm = request.form.get("answer") == "confirm"
    account_id, process_id = current_user.id, g.process.id
    try:
        confirmations.decide(asked, g.membership, confirm=confirm)
        if confirm and asked.kind is not ActKind.ERASE:
            _carry_out(asked)
    except (confirmations.ConfirmationError, retention.RetentionError, MembershipError) as exc:
        db.session.rollback()
        if db.session.get(Process, process_id) is None:
            # Confirmed twice at once: the other answer erased the process meanwhile.
            return _after_erase(account_id)
        flash(str(exc), "error")
        return redirect(back)
    if confirm and asked.kind is ActKind.ERASE:
        return _erase_now()
    db.session.commit()
    if confirm and asked.kind is ActKind.ERASE_DATE:
        _flash_erase_date()
    else:
        flash(_("Done.") if confirm else _("Nothing was changed."), "info")
    return redirect(back)


def _page_of(kind: ActKind) -> str:
    """Where an act lives: the export page for erasing (the contact group's), else members."""
    if kind in confirmations.ERASING and g.membership.role is Role.CONTACT:
        return "process.export"
    return "process.members"


def _carry_out(asked: ActRequest) -> None:
    """Do what a second coordinator confirmed (erasing has its own path)."""
    if asked.kind is ActKind.ERASE_DATE:
        retention.set_erase_date(g.process, asked.erase_on, today())
    elif asked.kind is ActKind.SECOND_FACTOR_OFF:
        g.process.require_second_factor = False
        audit.record("second-factor-required", process=g.process)
    elif asked.kind is ActKind.COORDINATOR_OFF and asked.membership.is_current:
        set_coordinator(asked.membership, False)
        audit.record(
            "coordinator-changed", process=g.process, subject=f"membership:{asked.membership_id}"
        )
    elif asked.kind is ActKind.COORDINATOR_REMOVED and asked.membership.is_current:
        remove_member(asked.membership, removed_by=asked.requested_by)
        audit.record(
            "member-removed", process=g.process, subject=f"membership:{asked.membership_id}"
        )


@bp.post("/second-factor")
@allow(coordinator=True)
def require_second_factor() -> ResponseReturnValue:
    """Require a second factor of every member at once; stopping needs a second coordinator."""
    if not g.process.require_second_factor:
        g.process.require_second_factor = True
        audit.record("second-factor-required", process=g.process)
        db.session.commit()
        return redirect(url_for("process.members"))
    if confirmations.needs_second(g.process, ActKind.SECOND_FACTOR_OFF):
        confirmations.ask(g.process, ActKind.SECOND_FACTOR_OFF, current_user)
        db.session.commit()
        flash(_("Another coordinator is asked to confirm."), "info")
        return redirect(url_for("process.members"))
    g.process.require_second_factor = False
    confirmations.settle(g.process, ActKind.SECOND_FACTOR_OFF, current_user)
    audit.record("second-factor-required", process=g.process)
    db.session.commit()
    return redirect(url_for("process.members"))
