"""Report-backs: request, watch it render, preview, release, download, withdraw."""

from __future__ import annotations

from datetime import timedelta

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import InputRequired, Length, Optional

from intake.clock import today
from intake.extensions import db
from intake.formdef.dates import DayField, within_reason
from intake.formdef.submitted import add_error, required
from intake.models import ReportBack, ReportState, Role, Submission
from intake.report import service, worker
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.submissions import service as records

bp = process_blueprint("reports", __name__, "/reports")


class RequestForm(FlaskForm):
    since = DayField(_l("From"), validators=[Optional(), within_reason])
    until = DayField(
        _l("Until"),
        validators=[InputRequired(_l("This question needs an answer.")), within_reason],
    )
    whole = BooleanField(_l("The whole process, from its first day"))
    closing = BooleanField(
        _l("This report-back closes the process"),
        description=_l("It covers the whole process, and its cover says that it closes it."),
    )
    assessment = SelectField(_l("The contact group's assessment"), validators=[Optional()])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why withdraw it"),
        validators=[InputRequired(_l("Say why the report-back is withdrawn.")), Length(max=2000)],
    )


def survivor_wants_updates() -> bool:
    handover = records.first_of(g.process, "handover")
    if handover is None or handover.is_draft:
        return False
    return records.answers_of(handover).get("wants_updates", "none") != "none"


def _report(report_id: int) -> ReportBack:
    report = of_this_process(ReportBack, report_id)
    if g.membership.role is not Role.CONTACT and not service.may_download(
        report, g.membership, survivor_wants_updates()
    ):
        abort(404)
    return report


@bp.route("/", methods=["GET", "POST"])
@allow()
def index() -> ResponseReturnValue:
    """Report-backs this person may read; the contact group also asks for new ones."""
    reports = service.reports_of(g.process)
    if g.membership.role is not Role.CONTACT:
        wants = survivor_wants_updates()
        reports = [r for r in reports if service.may_download(r, g.membership, wants)]
        return render_template("reports/index.html", reports=reports, form=None)
    form = RequestForm()
    form.assessment.choices = [SelectChoice("", _("none"))] + [
        SelectChoice(
            str(s.id), _("written %(date)s", date=required(s.submitted_at).date().isoformat())
        )
        for s in service.assessments_of(g.process)
    ]
    if request.method == "GET":
        form.until.data = today()
        form.since.data = today() - timedelta(days=91)
    status = 200
    if form.validate_on_submit():
        assessment = (
            of_this_process(Submission, int(form.assessment.data)) if form.assessment.data else None
        )
        try:
            report = service.request_report(
                g.process,
                since=form.since.data or required(form.until.data),
                until=required(form.until.data),
                whole=form.whole.data,
                closing=form.closing.data,
                by=current_user,
                assessment=assessment,
            )
        except service.ReportError as exc:
            add_error(form.until, str(exc))
            status = 422
        else:
            audit.record("report-requested", process=g.process, subject=f"report:{report.id}")
            db.session.commit()
            if current_app.config.get("REPORT_RENDER_INLINE"):
                service.render(report)
            else:
                # Flask types current_app as the app itself, not as the proxy that it is.
                worker.start(current_app._get_current_object(), report.id)  # type: ignore[attr-defined]
            return redirect(url_for("reports.show", report_id=report.id))
    elif form.is_submitted():
        status = 422
    return render_template("reports/index.html", reports=reports, form=form), status


@bp.get("/<int:report_id>")
@allow()
def show(report_id: int) -> str:
    """One report-back: progress while it renders, then its state, checksum and downloads."""
    report = _report(report_id)
    is_contact = g.membership.role is Role.CONTACT
    return render_template(
        "reports/show.html",
        report=report,
        working=report.state in (ReportState.QUEUED, ReportState.RENDERING),
        downloads=service.downloads_of(report) if is_contact else [],
        withdraw_form=WithdrawForm(),
        reason=service.withdraw_reason(report),
        is_contact=is_contact,
    )


@bp.get("/<int:report_id>/pdf")
@allow()
def download(report_id: int) -> Response:
    """The PDF as an attachment; every download is logged with who and when."""
    report = _report(report_id)
    if not service.may_download(report, g.membership, survivor_wants_updates()):
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
@allow(Role.CONTACT)
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
@allow(Role.CONTACT)
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
