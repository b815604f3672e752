"""A process's safety settings and its audit log, for coordinators: a second factor for
every member, where "Exit this page" leads, and who did what when."""

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake.extensions import db
from intake.models import ActKind
from intake.people import confirmations
from intake.people.views import members_page
from intake.record import paging
from intake.security import audit, quick_exit
from intake.security.access import allow, process_blueprint
from intake.security.forms import ExitSiteForm
from intake.security.policy import Act

bp = process_blueprint("safety", __name__)


@bp.post("/exit-site")
@allow(Act.SET_SAFETY)
def exit_site() -> ResponseReturnValue:
    """Choose the neutral site that "Exit this page" opens for the support group and links."""
    form = ExitSiteForm()
    if not form.validate_on_submit():
        return members_page(exit_form=form), 422
    quick_exit.set_exit_url(g.process, form.exit_url.data or "")
    db.session.commit()
    flash(_("“Exit this page” now opens %(url)s.", url=quick_exit.exit_url(g.process)), "info")
    return redirect(url_for("members.index"))


@bp.get("/audit")
@allow(Act.READ_AUDIT_LOG)
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


@bp.post("/second-factor")
@allow(Act.SET_SAFETY)
def require_second_factor() -> ResponseReturnValue:
    """Require a second factor of every member at once; stopping needs a second coordinator."""
    if not g.process.require_second_factor:
        g.process.require_second_factor = True
        audit.record("second-factor-required", process=g.process)
        db.session.commit()
        return redirect(url_for("members.index"))
    if confirmations.needs_second(g.process, ActKind.SECOND_FACTOR_OFF):
        confirmations.ask(g.process, ActKind.SECOND_FACTOR_OFF, current_user)
        db.session.commit()
        flash(_("Another coordinator is asked to confirm."), "info")
        return redirect(url_for("members.index"))
    g.process.require_second_factor = False
    confirmations.settle(g.process, ActKind.SECOND_FACTOR_OFF, current_user)
    audit.record("second-factor-required", process=g.process)
    db.session.commit()
    return redirect(url_for("members.index"))
