"""A process's first page: where it stands, as far as this person's group may see."""

from flask import g, render_template

from intake.clock import today
from intake.models import Role
from intake.record.demands import demand_views
from intake.record.glance import glance
from intake.security.access import allow, process_blueprint
from intake.security.policy import Act
from intake.submissions.service import first_of

bp = process_blueprint("process", __name__)


@bp.get("/")
@allow(Act.SEE_OVERVIEW)
def overview() -> str:
    """The contact group sees the figures at a glance; the support group the demands and its
    handover; the central group where to find the report-backs."""
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
