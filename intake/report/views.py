"""Report-backs: request, watch it render, preview, release, download, withdraw."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake import jobs
from intake.extensions import db
from intake.formdef import form_keys
from intake.formdef.submitted import add_error, required
from intake.models import ReportBack, ReportState, Submission
from intake.report import service, worker
from intake.report.forms import WithdrawForm, request_form
from intake.security import audit, policy
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("reports", __name__, "/reports")


def _report(report_id: int) -> ReportBack:
    """A report-back of this process that this member may see, or 404."""
    report = of_this_process(ReportBack, report_id)
    if not policy.may_see_report(g.membership, report, service.survivor_wants_updates(g.process)):
        abort(404)
    return report


def _make(report: ReportBack) -> None:
    if current_app.config.get("REPORT_RENDER_INLINE"):
        service.render(report)
    else:
        jobs.enqueue("render", report.id)


@bp.route("/", methods=["GET", "POST"])
@allow(Act.SEE_REPORTS)
def index() -> ResponseReturnValue:
    """Report-backs this person may read; the contact group also asks for new ones."""
    worker.settle()
    wants = service.survivor_wants_updates(g.process)
    reports = [
        r for r in service.reports_of(g.process) if policy.may_see_report(g.membership, r, wants)
    ]
    if not policy.may(g.membership, Act.MAKE_REPORTS):
        return render_template("reports/index.html", reports=reports, form=None)
    form = request_form(g.process, fresh=request.method == "GET")
    status = 200
    if form.validate_on_submit():
        assessment = (
            of_this_process(Submission, int(form.assessment.data)) if form.assessment.data else None
        )
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("reports.index"))
        try:
            report = service.request_report(
                g.process,
                since=form.since.data or required(form.until.data),
                until=required(form.until.data),
                whole=form.whole.data,
                closing=form.closing.data,
                appendix=form.appendix.data,
                by=current_user,
                assessment=assessment,
            )
        except service.ReportError as exc:
            # The key stays unspent so the corrected form can still be stored.
            db.session.rollback()
            add_error(form.until, str(exc))
            status = 422
        else:
            audit.record("report-requested", process=g.process, subject=f"report:{report.id}")
            target = url_for("reports.show", report_id=report.id)
            form_keys.settle(claim, target)
            db.session.commit()
            _make(report)
            return redirect(target)
    elif form.is_submitted():
        status = 422
    return render_template("reports/index.html", reports=reports, form=form), status


@bp.get("/<int:report_id>")
@allow(Act.SEE_REPORTS)
def show(report_id: int) -> str:
    """One report-back: progress while it renders, then its state, checksum and downloads."""
    worker.settle()
    report = _report(report_id)
    is_contact = policy.may(g.membership, Act.MAKE_REPORTS)
    return render_template(
        "reports/show.html",
        report=report,
        working=report.state in (ReportState.QUEUED, ReportState.RENDERING),
        downloads=service.downloads_of(report) if is_contact else [],
        withdraw_form=WithdrawForm(),
        reason=service.withdraw_reason(report),
        failure=service.failure_words(report),
        is_contact=is_contact,
    )


@bp.post("/<int:report_id>/again")
@allow(Act.MAKE_REPORTS)
def again(report_id: int) -> ResponseReturnValue:
    """Start a report-back that could not be made once more, with the same period."""
    report = _report(report_id)
    try:
        service.start_again(report)
    except service.ReportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.show", report_id=report.id)), 303
    audit.record("report-restarted", process=g.process, subject=f"report:{report.id}")
    db.session.commit()
    _make(report)
    return redirect(url_for("reports.show", report_id=report.id))


@bp.get("/<int:report_id>/pdf")
@allow(Act.SEE_REPORTS)
def download(report_id: int) -> Response:
    """The PDF as an attachment; every download is logged with who and when."""
    report = _report(report_id)
    wants = service.survivor_wants_updates(g.process)
    if not policy.may_download_report(g.membership, report, wants):
        abort(404)
    pdf = service.pdf_of(report)
    service.log_download(g.process, current_user, report=report)
    audit.record("report-read", process=g.process, subject=f"report:{report.id}")
    db.session.commit()
    name = f"report-back-{g.process.short_name}-{report.since}-{report.until}.pdf"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/<int:report_id>/release")
@allow(Act.MAKE_REPORTS)
def release(report_id: int) -> ResponseReturnValue:
    """Freeze the draft and make it available to the central group."""
    report = _report(report_id)
    try:
        service.release(report, current_user)
    except service.ReportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.show", report_id=report.id)), 303
    audit.record("report-released", process=g.process, subject=f"report:{report.id}")
    db.session.commit()
    flash(_("Released. The central group can download it now."), "info")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.post("/<int:report_id>/withdraw")
@allow(Act.MAKE_REPORTS)
def withdraw(report_id: int) -> ResponseReturnValue:
    """Withdraw a released report-back, with a reason; it is kept, never changed."""
    report = _report(report_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            service.withdraw(report, required(form.reason.data), current_user)
        except service.ReportError as exc:
            flash(str(exc), "error")
        else:
            audit.record("report-withdrawn", process=g.process, subject=f"report:{report.id}")
            db.session.commit()
            flash(_("Withdrawn."), "info")
        return redirect(url_for("reports.show", report_id=report.id))
    flash(_("Say why the report-back is withdrawn."), "error")
    return redirect(url_for("reports.show", report_id=report.id)), 303
