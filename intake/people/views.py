"""The members of a process: who takes part, adding, removing, coordinators, set-up links,
and the answers coordinators give to what another coordinator asked for."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake.clock import today
from intake.extensions import db
from intake.formdef import form_keys
from intake.lifecycle import retention
from intake.lifecycle.views import erase_now, flash_erase_date, signed_out_if_erased
from intake.models import ActKind, ActRequest, Membership, Process
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
from intake.security import audit, quick_exit
from intake.security.access import allow, of_this_process, process_blueprint, refuse
from intake.security.forms import ExitSiteForm
from intake.security.policy import Act, may, members_visible_to

bp = process_blueprint("members", __name__)


def _member_of_this_process(membership_id: int) -> Membership:
    """A current membership of the process in the URL, or 404; ids of others never match."""
    membership = of_this_process(Membership, membership_id)
    if not membership.is_current:
        abort(404)
    return membership


@bp.get("/members")
@allow(Act.SEE_MEMBERS)
def index() -> str:
    """The people in this process; contact group and coordinators see everyone."""
    return members_page()


def members_page(exit_form: ExitSiteForm | None = None) -> str:
    """The members page, also shown again with a refused neutral site (``exit_form``)."""
    membership: Membership = g.membership
    managing = may(membership, Act.MANAGE_MEMBERS)
    if exit_form is None:
        exit_form = ExitSiteForm(exit_url=g.process.exit_url or "")
    exit_form.exit_url.description = _(
        "The support group's pages and every link page have an “Exit this page” button. "
        "It opens this https address in place of the page. Empty: %(url)s.",
        url=quick_exit.DEFAULT_EXIT_URL,
    )
    return render_template(
        "process/members.html",
        members=members_visible_to(membership, current_members(g.process)),
        pending=pending_members(g.process) if managing else [],
        former=former_members(g.process) if managing else [],
        may_manage=lambda target: managing and may_manage(membership, target),
        may_send_setup_link=lambda target: managing and may_send_setup_link(membership, target),
        second_factor_alone=not confirmations.needs_second(g.process, ActKind.SECOND_FACTOR_OFF),
        answers=confirmations.answers_for(
            g.process,
            current_user,
            (ActKind.SECOND_FACTOR_OFF, *confirmations.ABOUT_COORDINATORS),
        ),
        exit_form=exit_form,
    )


@bp.route("/members/new", methods=["GET", "POST"])
@allow(Act.MANAGE_MEMBERS)
def invite() -> ResponseReturnValue:
    """Add a person to this process's own group of the coordinator."""
    form = invite_form(g.process, current_user)
    if form.validate_on_submit():
        back = url_for("members.index")
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or back)
        form_keys.settle(claim, back)
        addition = invite_from(form, g.process, current_user)
        if addition is not None:
            return invited_page(addition, back)
        # Refused: the key stays unspent so the corrected form can still be stored.
        db.session.rollback()
    return render_template("process/invite.html", form=form)


def _managed_member(membership_id: int) -> Membership:
    """A current member of this process whom the signed-in coordinator may manage."""
    membership = _member_of_this_process(membership_id)
    if not may_manage(g.membership, membership):
        refuse(f"{g.process.short_name}/membership:{membership_id}", g.process)
    return membership


@bp.post("/members/<int:membership_id>/remove")
@allow(Act.MANAGE_MEMBERS)
def remove(membership_id: int) -> ResponseReturnValue:
    """End a membership now; the person loses access to this process on their next click."""
    membership = _managed_member(membership_id)
    if _about_another_coordinator(membership, ActKind.COORDINATOR_REMOVED):
        return redirect(url_for("members.index"))
    try:
        remove_member(membership, removed_by=current_user)
    except MembershipError as exc:
        flash(str(exc), "error")
    else:
        audit.record("member-removed", process=g.process, subject=f"membership:{membership.id}")
        db.session.commit()
        flash(_("%(name)s is no longer a member.", name=membership.account.display_name), "info")
    return redirect(url_for("members.index"))


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
@allow(Act.MANAGE_MEMBERS)
def withdraw_request_to_join(membership_id: int) -> ResponseReturnValue:
    """Take back an invitation that has not been accepted yet."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or (membership.process_id == g.process.id and not membership.is_pending):
        # Declined, withdrawn or accepted meanwhile (a second tab, a double tap).
        flash(_("This invitation is no longer open."), "error")
        return redirect(url_for("members.index"))
    membership = of_this_process(Membership, membership_id)
    if not may_manage(g.membership, membership):
        refuse(f"{g.process.short_name}/membership:{membership_id}", g.process)
    withdraw(membership)
    audit.record("joining-withdrawn", process=g.process, subject=f"membership:{membership_id}")
    db.session.commit()
    flash(_("The invitation is withdrawn."), "info")
    return redirect(url_for("members.index"))


@bp.post("/members/<int:membership_id>/coordinator")
@allow(Act.MANAGE_MEMBERS)
def toggle_coordinator(membership_id: int) -> ResponseReturnValue:
    """Make a member of one's own group coordinator, or no longer."""
    membership = _managed_member(membership_id)
    if _about_another_coordinator(membership, ActKind.COORDINATOR_OFF):
        return redirect(url_for("members.index"))
    try:
        set_coordinator(membership, not membership.is_coordinator)
    except MembershipError as exc:
        flash(str(exc), "error")
    else:
        audit.record(
            "coordinator-changed", process=g.process, subject=f"membership:{membership.id}"
        )
        db.session.commit()
    return redirect(url_for("members.index"))


@bp.post("/members/<int:membership_id>/setup-link")
@allow(Act.MANAGE_MEMBERS)
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
        return redirect(url_for("members.index"))
    issued = issue_setup_link(membership.account, created_by=current_user)
    audit.record("setup-link-issued", process=g.process, subject=f"membership:{membership.id}")
    db.session.commit()
    return invited_page(Addition(membership, issued), url_for("members.index"))


@bp.post("/requests/<int:request_id>")
@allow(Act.DECIDE_REQUESTS)
def decide_request(request_id: int) -> ResponseReturnValue:
    """Confirm or decline what another coordinator asked for (or take back one's own)."""
    asked = of_this_process(ActRequest, request_id)
    back = url_for(_page_of(asked.kind))
    confirm = request.form.get("answer") == "confirm"
    account_id, process_id = current_user.id, g.process.id
    try:
        confirmations.decide(asked, g.membership, confirm=confirm)
        if confirm and asked.kind is not ActKind.ERASE:
            confirmations.carry_out(asked, today())
    except (confirmations.ConfirmationError, retention.RetentionError, MembershipError) as exc:
        db.session.rollback()
        if db.session.get(Process, process_id) is None:
            # Confirmed twice at once: the other answer erased the process meanwhile.
            return signed_out_if_erased(account_id)
        flash(str(exc), "error")
        return redirect(back)
    if confirm and asked.kind is ActKind.ERASE:
        return erase_now()
    db.session.commit()
    if confirm and asked.kind is ActKind.ERASE_DATE:
        flash_erase_date()
    else:
        flash(_("Done.") if confirm else _("Nothing was changed."), "info")
    return redirect(back)


def _page_of(kind: ActKind) -> str:
    """Where an act lives: the export page for erasing (the contact group's), else members."""
    if kind in confirmations.ERASING and may(g.membership, Act.ERASE):
        return "lifecycle.export"
    return "members.index"
