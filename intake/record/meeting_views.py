"""Meetings: planned, held or missed, the rhythm, and a calendar file of upcoming ones."""

from datetime import UTC, datetime, time

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from intake.clock import today
from intake.extensions import db
from intake.formdef import form_keys
from intake.formdef.locking import version_from
from intake.formdef.submitted import required
from intake.labels import meeting_kind_label
from intake.models import Meeting, MeetingKind
from intake.record import meetings, paging
from intake.record.forms import CadenceForm, MeetingForm, OutcomeForm
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act

bp = process_blueprint("meetings", __name__, "/meetings")


def _page(form: MeetingForm, cadence_form: CadenceForm, status: int = 200) -> ResponseReturnValue:
    now = datetime.now(UTC)
    before = paging.parse_cursor(request.args.get("before"))
    after = paging.parse_cursor(request.args.get("after"))
    past = meetings.past_page(g.process, now, before=before, after=after)
    if before is not None and not past.items:
        # A link past the end (kept from before, or meetings changed since): rather than
        # an empty page without the meetings awaiting their outcome, the first page.
        before = after = None
        past = meetings.past_page(g.process, now)
    # Past meetings whose outcome is still to be recorded head the first page only.
    first = before is None and (after is None or past.newer is None)
    shown = meetings.in_sight(g.process, now, awaiting=first)
    return render_template(
        "meetings/index.html",
        upcoming=shown.upcoming,
        past=shown.awaiting_outcome + past.items,
        page=past,
        page_endpoint="meetings.index",
        cadence=meetings.cadence_of(g.process, today()),
        form=form,
        cadence_form=cadence_form,
        outcome_form=OutcomeForm(),
        now=now,
    ), status


@bp.route("/", methods=["GET", "POST"])
@allow(Act.KEEP_MEETINGS)
def index() -> ResponseReturnValue:
    """Upcoming and past meetings, and a form to plan one."""
    form = MeetingForm()
    cadence_form = CadenceForm(every_days=g.process.meeting_cadence_days)
    if form.validate_on_submit():
        starts = datetime.combine(
            required(form.day.data), form.time.data or time(12, 0), tzinfo=UTC
        )
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("meetings.index"))
        meetings.plan(
            g.process,
            kind=MeetingKind(form.kind.data),
            starts_at=starts,
            place=form.place.data or "",
            expected=form.expected.data or "",
            by=current_user,
        )
        form_keys.settle(claim, url_for("meetings.index"))
        db.session.commit()
        flash(_("Meeting planned."), "info")
        return redirect(url_for("meetings.index"))
    return _page(form, cadence_form, 422 if form.is_submitted() else 200)


@bp.post("/<int:meeting_id>/outcome")
@allow(Act.KEEP_MEETINGS)
def outcome(meeting_id: int) -> ResponseReturnValue:
    """Record that a meeting was held, missed or cancelled; a missed meeting stays a record."""
    meeting = of_this_process(Meeting, meeting_id)
    form = OutcomeForm()
    state = form.outcome() if form.validate_on_submit() else None
    if state is None:
        abort(400)
    try:
        meetings.record_outcome(meeting, state, version_from(form.lock_version.data))
    except meetings.MeetingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("meetings.index")), 303
    db.session.commit()
    flash(_("Meeting updated."), "info")
    return redirect(url_for("meetings.index"))


@bp.post("/cadence")
@allow(Act.KEEP_MEETINGS)
def cadence() -> ResponseReturnValue:
    """Set how often the group means to meet him."""
    cadence_form = CadenceForm()
    if cadence_form.validate_on_submit():
        g.process.meeting_cadence_days = cadence_form.every_days.data
        audit.record("cadence-changed", process=g.process)
        db.session.commit()
        flash(_("Meeting rhythm saved."), "info")
        return redirect(url_for("meetings.index"))
    return _page(MeetingForm(formdata=None), cadence_form, 422)


@bp.get("/upcoming.ics")
@allow(Act.KEEP_MEETINGS)
def ical() -> Response:
    """Upcoming meetings as a calendar file to import."""
    titles = {
        k.value: _(
            "%(kind)s (%(pseudonym)s)", kind=meeting_kind_label(k), pseudonym=g.process.pseudonym
        )
        for k in MeetingKind
    }
    body = meetings.ical(g.process, meetings.views(g.process), request.host, titles)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meetings-{g.process.short_name}.ics"'
    )
    return response
