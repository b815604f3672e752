"""Agreed steps: the list, one step with its history, adding and changing steps."""

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake.clock import today
from intake.extensions import db
from intake.formdef import form_keys
from intake.formdef.locking import version_from
from intake.formdef.submitted import add_error, required
from intake.models import AgreedStep, StepOwner, StepStatus
from intake.record import demands, paging, steps
from intake.record.forms import StepChangeForm, StepForm
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("steps", __name__, "/steps")


def _step(step_id: int) -> AgreedStep:
    return of_this_process(AgreedStep, step_id)


@bp.get("/")
@allow(Act.KEEP_STEPS)
def index() -> str:
    """Every open step, overdue ones first; then the closed steps in pages, latest first."""
    before = paging.parse_cursor(request.args.get("before"))
    after = paging.parse_cursor(request.args.get("after"))
    numbers = steps.demand_numbers(g.process)
    closed = steps.closed_page(g.process, today(), before=before, after=after, numbers=numbers)
    if before is not None and not closed.items:
        # A link past the end (kept from before, or steps changed since): rather than an
        # empty page without the open steps, the first page.
        before = after = None
        closed = steps.closed_page(g.process, today(), numbers=numbers)
    # The open steps head the first page only: a later page goes on with the closed ones.
    first = before is None and (after is None or closed.newer is None)
    open_steps = steps.open_first(g.process, today(), numbers) if first else []
    return render_template("steps/index.html", steps=open_steps + closed.items, page=closed)


@bp.route("/new", methods=["GET", "POST"])
@allow(Act.KEEP_STEPS)
def new() -> ResponseReturnValue:
    """Add a step that was agreed outside minutes."""
    form = StepForm(demands=demands.demands_of(g.process))
    if request.method == "GET":
        form.agreed_on.data = today()
    if form.validate_on_submit():
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("steps.index"))
        try:
            step = steps.add_step(
                g.process,
                what=required(form.what.data),
                owner=StepOwner(form.owner.data),
                deadline=required(form.deadline.data),
                agreed_on=required(form.agreed_on.data),
                demand_id=int(form.demand_id.data) if form.demand_id.data else None,
                by=current_user,
            )
        except steps.StepError as exc:
            # The key stays unspent so the corrected form can still be stored.
            db.session.rollback()
            add_error(form.deadline, str(exc))
        else:
            target = url_for("steps.show", step_id=step.id)
            form_keys.settle(claim, target)
            db.session.commit()
            flash(_("Step added."), "info")
            return redirect(target)
    return render_template("steps/new.html", form=form)


@bp.route("/<int:step_id>", methods=["GET", "POST"])
@allow(Act.KEEP_STEPS)
def show(step_id: int) -> ResponseReturnValue:
    """One step, its history, and a form to change its state or deadline."""
    step = _step(step_id)
    numbers = {d.id: d.number for d in demands.demands_of(g.process)}
    form = StepChangeForm()
    if request.method == "GET":
        form.status.data = step.status.value
        form.deadline.data = step.deadline
        form.lock_version.data = str(step.lock_version)
    status = 200
    if form.validate_on_submit():
        try:
            steps.change_step(
                step,
                status=StepStatus(form.status.data),
                deadline=required(form.deadline.data),
                reason=form.reason.data or "",
                started_from=version_from(form.lock_version.data),
                by=current_user,
                on=form.on.data or today(),
                today=today(),
            )
        except steps.StepConflict as exc:
            flash(str(exc), "error")
            step = _step(step_id)
            form.lock_version.data = str(step.lock_version)
            status = 409
        except steps.StepDayError as exc:
            add_error(form.on, str(exc))
            status = 422
        except steps.StepError as exc:
            add_error(form.reason, str(exc))
            status = 422
        else:
            db.session.commit()
            flash(_("Step updated."), "info")
            return redirect(url_for("steps.show", step_id=step.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "steps/show.html",
        step=steps.view(step, today(), numbers),
        history=steps.history_of(step),
        form=form,
    ), status
