"""Filling in, reading, editing and tracing the history of a process's forms."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from intake.checkins import anonymity
from intake.checkins.link_mail import his_links_of
from intake.extensions import db
from intake.formdef import FormDefinition, form_keys
from intake.formdef.locking import version_from
from intake.formdef.present import annotate, problems, readable
from intake.formdef.travel import shared_view, travel_label
from intake.formdef.wtf import (
    build_form_class,
)
from intake.models import (
    Meeting,
    MeetingState,
    Submission,
    SubmissionRevision,
)
from intake.record import paging
from intake.record.demands import demands_of
from intake.report import single
from intake.security import audit, policy
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act
from intake.submissions import listing, quota, roundtrip, rules, service, tasks, typed

bp = process_blueprint("submissions", __name__, "/submissions")


def _locale() -> str:
    return str(get_locale() or "en")


def _may_fill(form: FormDefinition) -> bool:
    return policy.may_fill(g.membership, form)


def _may_read_record(record: Submission) -> bool:
    return policy.may_read_submission(g.membership, record, service.definition_of(record))


def _may_read_revision(revision: SubmissionRevision) -> bool:
    return policy.may_read_version(g.membership, revision.status, service.definition_of(revision))


def _as_read(version: Submission | SubmissionRevision) -> tuple[FormDefinition, dict]:
    """A record's form and answers as this person may read them: all of it, or, where
    the contact group shared the record with the support group, what it shares."""
    form = service.definition_of(version)
    answers = service.answers_of(version)
    if policy.may_read_form(g.membership, form):
        return form, answers
    return shared_view(form, answers, service.definition(form.id, g.process))


def _record(submission_id: int) -> Submission:
    """A record of the process in the URL that this role may read, or 404."""
    record = of_this_process(Submission, submission_id)
    if not _may_read_record(record):
        abort(404)
    return record


def _build(form: FormDefinition, formdata: MultiDict | None):
    form_class = build_form_class(form, _locale(), demands_of(g.process))
    bound = form_class(formdata=formdata) if formdata is not None else form_class()
    annotate(bound, form, _locale())
    return bound


def _stored_formdata(record: Submission) -> MultiDict:
    return roundtrip.stored_formdata(service.definition_of(record), service.answers_of(record))


def _editor(
    form: FormDefinition,
    bound: Any,
    *,
    record: Submission | None,
    lock_version: int | None,
    conflict: Submission | None = None,
) -> str:
    their_version = None
    if conflict is not None:
        their_version = typed.readable_words(
            service.definition_of(conflict),
            service.answers_of(conflict),
            _locale(),
            demands_of(g.process),
        )
    return render_template(
        "submissions/edit.html",
        definition=form,
        form=bound,
        record=record,
        lock_version=lock_version,
        problems=problems(bound),
        their_version=their_version,
        conflict=conflict,
        locale=_locale(),
        travel_label=travel_label,
    )


def _handle_post(
    form: FormDefinition, record: Submission | None, meeting_id: int | None = None
) -> ResponseReturnValue:
    """One path for new records and edits: add/remove entries, save a draft, or submit."""
    formdata = request.form
    action = formdata.get("_action", "submit")
    lock_version = version_from(formdata.get("lock_version"))

    round_trip = roundtrip.entry_round_trip(
        action, formdata, lambda data: _build(form, data), form, _locale()
    )
    if round_trip is not None:
        bound, status = round_trip
        return _editor(form, bound, record=record, lock_version=lock_version), status

    bound = _build(form, formdata)
    submitting = action == "submit" or (record is not None and not record.is_draft)
    if not roundtrip.accepted(bound, submitting):
        return _editor(form, bound, record=record, lock_version=lock_version), 422
    answers = roundtrip.answers_from(form, bound, formdata, submitting)
    if not submitting and record is not None and tasks.SECTIONS_KEY in service.answers_of(record):
        # Saving the whole draft on one page keeps what the task list knows of its sections.
        answers[tasks.SECTIONS_KEY] = service.answers_of(record)[tasks.SECTIONS_KEY]
    try:
        quota.check_account(current_user, answers)
    except quota.OverQuota as refusal:
        bound.form_errors.append(str(refusal))
        return _editor(form, bound, record=record, lock_version=lock_version), refusal.status
    claim = None
    if record is None:
        try:
            claim = form_keys.spend(form_keys.key_from(formdata), current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("submissions.index"))
    try:
        saved = service.save(
            g.process,
            form,
            current_user,
            answers,
            submission=record,
            started_from=lock_version,
            submit=submitting,
            meeting_id=meeting_id,
        )
    except service.Conflict as conflict:
        flash(
            _(
                "Someone else saved this record while you were editing. Your text is kept "
                "below; compare it with their version, then save again."
            ),
            "error",
        )
        return (
            _editor(
                form,
                bound,
                record=conflict.submission,
                lock_version=conflict.submission.lock_version,
                conflict=conflict.submission,
            ),
            409,
        )
    except rules.RecordRefused as refusal:
        db.session.rollback()
        bound.form_errors.append(str(refusal))
        page = _editor(form, bound, record=record, lock_version=lock_version)
        return page, 422
    page = "submissions.show" if submitting else "submissions.edit"
    target = url_for(page, submission_id=saved.submission.id)
    form_keys.settle(claim, target)
    db.session.commit()
    quota.count_account_save(current_user)
    if submitting:
        flash(_("Saved."), "info")
    else:
        flash(_("Draft saved. Anyone in your group can resume it."), "info")
    return redirect(target)


@bp.get("/")
@allow(Act.USE_FORMS)
def index() -> str:
    """The forms this person may fill in, and the records their role may read."""
    definitions = service.definitions(g.process)  # read once: the process's own forms too
    page = listing.records_page(
        g.process,
        g.membership,
        before=paging.parse_cursor(request.args.get("before")),
        after=paging.parse_cursor(request.args.get("after")),
        forms=definitions.values(),
    )
    anonymous = anonymity.anonymous_ids(g.process.id)
    records = sorted(page.items, key=lambda r: anonymity.list_order(r, anonymous), reverse=True)
    fillable = [f for f in definitions.values() if _may_fill(f)]
    return render_template(
        "submissions/index.html",
        fillable=fillable,
        records=records,
        page=page,
        anonymous=anonymous,
        definitions=definitions,
        locale=_locale(),
    )


@bp.route("/new/<form_id>", methods=["GET", "POST"])
@allow(Act.USE_FORMS)
def new(form_id: str) -> ResponseReturnValue:
    """Start filling in a form; nothing is stored until a draft is saved or it is submitted."""
    form = service.definition(form_id, g.process)
    if form is None or not _may_fill(form):
        abort(404)
    if form.once:
        existing = service.first_of(g.process, form.id)
        if existing is not None:
            page = "task_list" if form.task_list and existing.is_draft else "edit"
            return redirect(url_for(f"submissions.{page}", submission_id=existing.id))
    meeting = _meeting_for(form, request.args.get("meeting", type=int))
    if request.method == "POST":
        return _handle_post(form, None, meeting.id if meeting else None)
    if form.task_list:
        return _task_page(form, None)
    prefill = None
    if meeting is not None:
        prefill = MultiDict(
            [("kind", meeting.kind.value), ("planned_date", meeting.starts_at.date().isoformat())]
        )
        if meeting.state is not MeetingState.PLANNED:
            # Held or missed is already known: the minutes start from it.
            prefill.add("outcome", meeting.state.value)
    return _editor(form, _build(form, prefill), record=None, lock_version=None)


def _meeting_for(form: FormDefinition, meeting_id: int | None) -> Meeting | None:
    """The meeting these minutes are for, if it is one of this process's meetings."""
    if form.id != "minutes" or meeting_id is None:
        return None
    return of_this_process(Meeting, meeting_id)


@bp.route("/<int:submission_id>/edit", methods=["GET", "POST"])
@allow(Act.USE_FORMS)
def edit(submission_id: int) -> ResponseReturnValue:
    """Resume a draft or edit a submitted record; every save is a new revision."""
    record = _record(submission_id)
    form = service.definition_of(record)
    if not _may_fill(form):
        abort(404)
    if record.is_draft:
        # A draft moves on to the current definition when resumed.
        form = service.definition(record.form_id, g.process) or form
    if request.method == "POST":
        return _handle_post(form, record)
    return _editor(
        form,
        _build(form, _stored_formdata(record)),
        record=record,
        lock_version=record.lock_version,
    )


@bp.get("/<int:submission_id>")
@allow(Act.USE_FORMS)
def show(submission_id: int) -> ResponseReturnValue:
    """A record's answers as text, with who wrote it and when."""
    record = _record(submission_id)
    if record.is_draft:
        return redirect(url_for("submissions.edit", submission_id=record.id))
    form, answers = _as_read(record)
    return render_template(
        "submissions/show.html",
        record=record,
        definition=form,
        sections=readable(form, answers, _locale(), demands_of(g.process)),
        may_edit=_may_fill(form),
        may_share=policy.may_share(g.membership, record),
        may_see_his_links=policy.may_see_his_links(g.membership, record),
        his_links=his_links_of(record) if policy.may_see_his_links(g.membership, record) else [],
        anonymous=anonymity.is_anonymous(record),
        versions=sum(1 for r in record.revisions if _may_read_revision(r)),
        locale=_locale(),
        travel_label=travel_label,
    )


@bp.post("/<int:submission_id>/share")
@allow(Act.SHARE_MINUTES)
def share(submission_id: int) -> ResponseReturnValue:
    """Share a record with the support group, or stop sharing it."""
    record = _record(submission_id)
    if not policy.may_share(g.membership, record):
        abort(404)
    record.shared_with_support = not record.shared_with_support
    audit.record("record-shared", process=g.process, subject=f"record:{record.id}")
    db.session.commit()
    flash(
        _("The support group can now read this record.")
        if record.shared_with_support
        else _("The support group can no longer read this record."),
        "info",
    )
    return redirect(url_for("submissions.show", submission_id=record.id))


@bp.get("/<int:submission_id>/pdf")
@allow(Act.USE_FORMS)
def pdf(submission_id: int) -> Response:
    """This record as a PDF, with only the answers that may appear in report-backs."""
    record = _record(submission_id)
    if record.is_draft:
        abort(404)
    form, answers = _as_read(record)
    data = single.submission_pdf(g.process, record, form, answers, current_user)
    db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{single.file_name(g.process, record)}"'
    )
    return response


@bp.get("/<int:submission_id>/history")
@allow(Act.USE_FORMS)
def history(submission_id: int) -> str:
    """Every saved version of a record, oldest first."""
    record = _record(submission_id)
    return render_template(
        "submissions/history.html",
        record=record,
        revisions=[r for r in record.revisions if _may_read_revision(r)],
        definition=service.definition_of(record),
        anonymous=anonymity.is_anonymous(record),
        locale=_locale(),
    )


@bp.get("/<int:submission_id>/history/<int:number>")
@allow(Act.USE_FORMS)
def revision(submission_id: int, number: int) -> str:
    """One saved version of a record, exactly as it was."""
    record = _record(submission_id)
    found: SubmissionRevision | None = next(
        (r for r in record.revisions if r.number == number), None
    )
    if found is None or not _may_read_revision(found):
        abort(404)
    form, answers = _as_read(found)
    draft = service.draft_formdata(answers)
    return render_template(
        "submissions/revision.html",
        record=record,
        revision=found,
        definition=form,
        draft=draft,
        anonymous=anonymity.is_anonymous(record),
        sections=None
        if draft is not None
        else readable(form, answers, _locale(), demands_of(g.process)),
        locale=_locale(),
        travel_label=travel_label,
    )


def _task_page(
    form: FormDefinition, record: Submission | None, refusal: str | None = None
) -> ResponseReturnValue:
    answers = service.answers_of(record) if record is not None else None
    page = render_template(
        "submissions/tasks.html",
        definition=form,
        record=record,
        statuses=tasks.statuses(form, answers),
        missing=tasks.missing(form, answers),
        is_required=tasks.is_required,
        refusal=refusal,
        locale=_locale(),
    )
    return (page, 422) if refusal else page


def _draft_with_tasks(submission_id: int) -> tuple[Submission, FormDefinition]:
    """A draft of a task-list form that this person may fill in, with its current form."""
    record = _record(submission_id)
    form = service.definition(record.form_id, g.process) or service.definition_of(record)
    if not form.task_list or not _may_fill(form):
        abort(404)
    return record, form


@bp.get("/<int:submission_id>/tasks")
@allow(Act.USE_FORMS)
def task_list(submission_id: int) -> ResponseReturnValue:
    """Each section of a long form with its status, and sending once the required are done."""
    record, form = _draft_with_tasks(submission_id)
    if not record.is_draft:
        return redirect(url_for("submissions.show", submission_id=record.id))
    return _task_page(form, record)


def _section_editor(
    form: FormDefinition,
    section: tasks.Section,
    bound: Any,
    record: Submission | None,
    lock_version: int | None,
    conflict: Submission | None = None,
) -> str:
    return render_template(
        "submissions/section.html",
        definition=form,
        section=section,
        form=bound,
        record=record,
        lock_version=lock_version,
        problems=problems(bound),
        conflict=conflict,
        locale=_locale(),
    )


@bp.route("/new/<form_id>/sections/<section_id>", methods=["GET", "POST"])
@allow(Act.USE_FORMS)
def new_section(form_id: str, section_id: str) -> ResponseReturnValue:
    """The first section saved starts the draft; until then nothing is stored."""
    form = service.definition(form_id, g.process)
    if form is None or not form.task_list or not _may_fill(form):
        abort(404)
    section = tasks.section_of(form, section_id)
    if section is None:
        abort(404)
    if form.once and (existing := service.first_of(g.process, form.id)) is not None:
        return redirect(
            url_for("submissions.section", submission_id=existing.id, section_id=section.id)
        )
    if request.method == "POST":
        return _handle_section(form, section, None)
    return _section_editor(form, section, _build(form, None), None, None)


@bp.route("/<int:submission_id>/sections/<section_id>", methods=["GET", "POST"])
@allow(Act.USE_FORMS)
def section(submission_id: int, section_id: str) -> ResponseReturnValue:
    """One section of a draft, filled in and saved on its own."""
    record, form = _draft_with_tasks(submission_id)
    found = tasks.section_of(form, section_id)
    if found is None:
        abort(404)
    if not record.is_draft:
        return redirect(url_for("submissions.show", submission_id=record.id))
    if request.method == "POST":
        return _handle_section(form, found, record)
    bound = _build(form, _stored_formdata(record))
    return _section_editor(form, found, bound, record, record.lock_version)


def _handle_section(
    form: FormDefinition, section: tasks.Section, record: Submission | None
) -> ResponseReturnValue:
    """Save one section into the draft: for later as typed, or checked and on to the next."""
    posted = request.form
    action = posted.get("_action", tasks.SAVE_LATER)
    lock_version = version_from(posted.get("lock_version"))
    previous = service.answers_of(record) if record is not None else None
    merged = tasks.merged_formdata(form, section, tasks.stored_draft(previous), posted)
    if action not in (tasks.SAVE_LATER, tasks.SAVE_CONTINUE):
        round_trip = roundtrip.entry_round_trip(
            action, merged, lambda data: _build(form, data), form, _locale()
        )
        if round_trip is not None:
            bound, status = round_trip
            return _section_editor(form, section, bound, record, lock_version), status
        action = tasks.SAVE_LATER
    bound = _build(form, merged)
    completing = action == tasks.SAVE_CONTINUE
    fine = tasks.section_valid(section, bound) if completing else roundtrip.accepted(bound, False)
    if not fine:
        return _section_editor(form, section, bound, record, lock_version), 422
    section_status = tasks.Status.COMPLETED if completing else tasks.Status.IN_PROGRESS
    draft = roundtrip.answers_from(form, bound, merged, False)
    answers = tasks.with_status(draft, previous, section, section_status)
    try:
        quota.check_account(current_user, answers)
    except quota.OverQuota as refusal:
        bound.form_errors.append(str(refusal))
        page = _section_editor(form, section, bound, record, lock_version)
        return page, refusal.status
    claim = None
    if record is None:
        try:
            claim = form_keys.spend(form_keys.key_from(posted), current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or url_for("submissions.index"))
    try:
        saved = service.save(
            g.process,
            form,
            current_user,
            answers,
            submission=record,
            started_from=lock_version,
            submit=False,
        )
    except service.Conflict as conflict:
        flash(
            _(
                "Someone else saved this record while you were editing. Your text is kept "
                "below; compare it with their version, then save again."
            ),
            "error",
        )
        theirs = conflict.submission
        page = _section_editor(form, section, bound, theirs, theirs.lock_version, theirs)
        return page, 409
    following = tasks.next_section(form, section) if completing else None
    if following is not None:
        target = url_for(
            "submissions.section", submission_id=saved.submission.id, section_id=following.id
        )
    else:
        target = url_for("submissions.task_list", submission_id=saved.submission.id)
    form_keys.settle(claim, target)
    db.session.commit()
    quota.count_account_save(current_user)
    flash(
        _("Section completed and saved.")
        if completing
        else _("Section saved. You can come back to it at any time."),
        "info",
    )
    return redirect(target)


@bp.post("/<int:submission_id>/send")
@allow(Act.USE_FORMS)
def send(submission_id: int) -> ResponseReturnValue:
    """Send a form filled in from its task list, once every required section is complete."""
    record, form = _draft_with_tasks(submission_id)
    if not record.is_draft:
        return redirect(url_for("submissions.show", submission_id=record.id))
    answers = service.answers_of(record)
    missing = tasks.missing(form, answers)
    if missing:
        names = ", ".join(s.title.get(_locale(), s.title["en"]) for s in missing)
        return _task_page(
            form, record, _("These sections still need answers: %(names)s.", names=names)
        )
    stored = tasks.stored_draft(answers)
    stored.setlist("csrf_token", request.form.getlist("csrf_token"))
    bound = _build(form, stored)
    unchecked = [s for s in form.sections if not tasks.section_valid(s, bound)]
    if unchecked:
        names = ", ".join(s.title.get(_locale(), s.title["en"]) for s in unchecked)
        return _task_page(
            form, record, _("Please check the answers in these sections: %(names)s.", names=names)
        )
    try:
        service.save(
            g.process,
            form,
            current_user,
            roundtrip.answers_from(form, bound, stored, True),
            submission=record,
            started_from=version_from(request.form.get("lock_version")),
            submit=True,
        )
    except service.Conflict:
        db.session.rollback()
        return _task_page(
            form,
            record,
            _("Someone else saved this form meanwhile. Check the sections, then send again."),
        )
    except rules.RecordRefused as refusal:
        db.session.rollback()
        return _task_page(form, record, str(refusal))
    db.session.commit()
    flash(_("Sent."), "info")
    return redirect(url_for("submissions.show", submission_id=record.id))
