"""The first page after sign-in: the processes this person takes part in, and invitations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake import audit
from intake.extensions import db
from intake.membership import MembershipError, accept, decline, invitations_of, processes_of
from intake.models import Membership

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    """List the person's processes with their role in each, and what they are asked to join."""
    return render_template(
        "home.html",
        memberships=processes_of(current_user),
        invitations=invitations_of(current_user),
    )


@bp.post("/invitations/<int:membership_id>")
def answer_invitation(membership_id: int) -> ResponseReturnValue:
    """Accept or decline joining a process; only the invited person can."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.account_id != current_user.id:
        abort(404)
    process = membership.process
    joining = request.form.get("answer") == "accept"
    try:
        if joining:
            accept(membership, current_user)
        else:
            decline(membership, current_user)
    except MembershipError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("home.index"))
    action = "invitation-accepted" if joining else "invitation-declined"
    audit.record(action, process=process, subject=f"membership:{membership_id}")
    db.session.commit()
    if joining:
        flash(
            _("You have joined the process about %(pseudonym)s.", pseudonym=process.pseudonym),
            "info",
        )
        return redirect(url_for("process.overview", short_name=process.short_name))
    flash(_("You declined the invitation."), "info")
    return redirect(url_for("home.index"))
