"""The demands: their words, amendments and status over time."""

import unicodedata
from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.clock import today
from intake.extensions import db
from intake.formdef import form_keys
from intake.formdef.model import localised
from intake.formdef.submitted import add_error, required
from intake.models import Demand, DemandAmendment, DemandStatus, Submission
from intake.record import demands
from intake.record.forms import AmendmentForm, StatusForm
from intake.report.content import first_day
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act
from intake.submissions import service

bp = process_blueprint("demands", __name__, "/demands")


def form_title(form_id: str) -> str:
    definition = service.definition(form_id)
    return localised(definition.title, str(get_locale() or "en")) if definition else form_id


def _demand(demand_id: int) -> Demand:
    return of_this_process(Demand, demand_id)


@bp.get("/")
@allow(Act.READ_DEMANDS)
def index() -> str:
    """Every demand: words now, original words, amendments with dates and names, status."""
    return render_template(
        "demands/index.html",
        demands=demands.demand_views(g.process),
        status_reason=demands.reason_of,
        today_iso=today().isoformat(),
    )


@bp.route("/<int:demand_id>/amend", methods=["GET", "POST"])
@allow(Act.PROPOSE_AMENDMENT)
def amend(demand_id: int) -> ResponseReturnValue:
    """Propose new wording; it takes effect only when the support group approves."""
    demand = _demand(demand_id)
    current = next(d for d in demands.demand_views(g.process) if d.id == demand.id)
    form = AmendmentForm()
    if not form.is_submitted():
        form.text.data = current.current
    if form.validate_on_submit():
        if required(form.text.data).strip() == current.current.strip():
            add_error(form.text, _("This is the current wording. Change it, or cancel."))
        else:
            try:
                claim = form_keys.spend_posted(current_user.id)
            except form_keys.AlreadyStored as earlier:
                return redirect(earlier.path or url_for("demands.index"))
            demands.propose_amendment(
                demand, required(form.text.data), required(form.reason.data), current_user
            )
            audit.record("amendment-proposed", process=g.process, subject=f"demand:{demand.number}")
            form_keys.settle(claim, url_for("demands.index"))
            db.session.commit()
            flash(
                _("Amendment proposed. It takes effect once the support group approves it."), "info"
            )
            return redirect(url_for("demands.index"))
    return render_template("demands/amend.html", demand=current, form=form)


@bp.route("/<int:demand_id>/status", methods=["GET", "POST"])
@allow(Act.RECORD_DEMAND_STATUS)
def status(demand_id: int) -> ResponseReturnValue:
    """Record a change of status outside a meeting, on the day it happened, with its evidence."""
    demand = _demand(demand_id)
    current = next(d for d in demands.demand_views(g.process) if d.id == demand.id)
    records = [
        (rid, " · ".join(filter(None, (form_title(form_id), what))), day)
        for rid, form_id, day, what in demands.evidence_choices(g.process)
    ]
    form = StatusForm(records=records)
    if not form.is_submitted():
        form.status.data = demand.status.value
        form.on.data = today()
    if form.validate_on_submit():
        evidence = (
            of_this_process(Submission, int(form.evidence.data)) if form.evidence.data else None
        )
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("demands.index"))
        try:
            demands.record_status_change(
                demand,
                DemandStatus(form.status.data),
                required(form.on.data),
                by=current_user,
                today=today(),
                first_day=first_day(g.process),
                evidence=evidence,
                reason=form.reason.data or "",
            )
        except demands.StatusError as exc:
            # The key stays unspent so the corrected form can still be stored.
            db.session.rollback()
            add_error(form.on, str(exc))
        else:
            audit.record(
                "demand-status-recorded", process=g.process, subject=f"demand:{demand.number}"
            )
            target = url_for("demands.index", _anchor=f"demand-{demand.number}")
            form_keys.settle(claim, target)
            db.session.commit()
            flash(_("The status of demand %(n)d is recorded.", n=demand.number), "info")
            return redirect(target)
    status_code = 422 if form.is_submitted() else 200
    return render_template("demands/status.html", demand=current, form=form), status_code


def _decide(amendment_id: int, approve: bool) -> ResponseReturnValue:
    amendment = of_this_process(DemandAmendment, amendment_id, lambda a: a.demand.process_id)
    typed = request.form.get("on", "").strip()
    try:
        on = date.fromisoformat(unicodedata.normalize("NFKC", typed)) if typed else today()
    except ValueError:
        flash(_("“%(typed)s” is not a day. Nothing was decided.", typed=typed), "error")
        return redirect(url_for("demands.index")), 303
    try:
        demands.decide_amendment(amendment, approve, current_user, on=on, today=today())
    except (demands.AmendmentConflict, demands.AmendmentDayError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("demands.index")), 303
    action = "amendment-approved" if approve else "amendment-rejected"
    audit.record(action, process=g.process, subject=f"amendment:{amendment_id}")
    db.session.commit()
    flash(_("Amendment approved.") if approve else _("Amendment not approved."), "info")
    return redirect(url_for("demands.index"))


@bp.post("/amendments/<int:amendment_id>/approve")
@allow(Act.DECIDE_AMENDMENT)
def approve(amendment_id: int) -> ResponseReturnValue:
    """Only the support group approves a change to a demand."""
    return _decide(amendment_id, True)


@bp.post("/amendments/<int:amendment_id>/reject")
@allow(Act.DECIDE_AMENDMENT)
def reject(amendment_id: int) -> ResponseReturnValue:
    """The support group declines a proposed change; the demand stays as it is."""
    return _decide(amendment_id, False)
