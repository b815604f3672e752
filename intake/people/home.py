"""The first page after sign-in: the processes this person takes part in, and requests to join."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake.extensions import db
from intake.models import Membership
from intake.people.membership import MembershipError, accept, asked_to_join, decline, processes_of
from intake.security import audit

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """List the person's processes with their role in each, and what they are asked to join."""
    return render_template(
        "home.html",
        memberships=processes_of(current_user),
        asked=asked_to_join(current_user),
    )


@bp.post("/joining/<int:membership_id>")
def answer_request_to_join(membership_id: int) -> ResponseReturnValue:
    """Accept or decline joining a process; only the invited person can."""
    membership = db.session.get(Membership, membership_id)
    joining = request.form.get("answer") == "accept"
    if membership is not None and membership.account_id == current_user.id:
        if joining and membership.is_current:
            # A second tap on Join: already in, nothing to say twice.
            return redirect(url_for("process.overview", short_name=membership.process.short_name))
        process = membership.process
        try:
            if joining:
                accept(membership, current_user)
            else:
                decline(membership, current_user)
        except MembershipError:
            db.session.rollback()
        else:
            action = "joining-accepted" if joining else "joining-declined"
            # Someone who declined was never part of the process: its log does not name them.
            audit.record(
                action, process=process, subject=f"membership:{membership_id}", unnamed=not joining
            )
            db.session.commit()
            if not joining:
                flash(_("You declined the invitation."), "info")
                return redirect(url_for("home.index"))
            flash(
                _("You have joined the process about %(pseudonym)s.", pseudonym=process.pseudonym),
                "info",
            )
            return redirect(url_for("process.overview", short_name=process.short_name))
    # Withdrawn, answered in another tab, or never one's own: the same words for each.
    flash(_("This invitation is no longer open."), "error")
    return redirect(url_for("home.index"))
