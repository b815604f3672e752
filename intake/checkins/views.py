"""Check-in rounds for the people around him, reminders, results, and his own link."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.checkins import link_mail, private_links, typed_in
from intake.checkins.results import results
from intake.clock import today
from intake.extensions import db
from intake.formdef import form_keys
from intake.formdef.model import localised
from intake.formdef.present import annotate, problems
from intake.formdef.submitted import add_error, required
from intake.formdef.travel import travel_label
from intake.formdef.wtf import build_form_class
from intake.mail import mail_configured
from intake.models import CheckinRound, PrivateLink, Submission, utcnow
from intake.record.forms import HisLinkForm, RoundForm, TypedInForm
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.security.policy import Act
from intake.submissions import roundtrip, rules, service

bp = process_blueprint("checkins", __name__, "/checkins")


def _link_forms():
    """The built-in check-in and this process's own published questionnaires filled by link."""
    forms = service.definitions(g.process).values()
    return [f for f in forms if "link" in f.fill and f.id != "reflection"]


def _locale() -> str:
    return str(get_locale() or "en")


def _links_page(rows: list[link_mail.HandedOut], back: str) -> str:
    return render_template("checkins/links.html", rows=rows, back=back)


def _round(round_id: int) -> CheckinRound:
    return of_this_process(CheckinRound, round_id)


def _link(link_id: int) -> PrivateLink:
    return of_this_process(PrivateLink, link_id)


@bp.route("/", methods=["GET", "POST"])
@allow(Act.SEND_CHECKINS)
def index() -> ResponseReturnValue:
    """The rounds so far, and a form to send a new one."""
    forms = _link_forms()
    form = RoundForm(forms=forms)
    if form.validate_on_submit():
        try:
            people = private_links.parse_people(required(form.people.data))
        except private_links.LinkError as exc:
            add_error(form.people, str(exc))
        else:
            try:
                claim = form_keys.spend_posted(current_user.id)
            except form_keys.AlreadyStored as earlier:
                return redirect(earlier.path or url_for("checkins.index"))
            checkin_round, rows = link_mail.start_round(
                g.process,
                title=required(form.title.data),
                form_id=form.form_id.data,
                intro=form.intro.data or "",
                people=people,
                days=required(form.days.data),
                by=current_user,
                mail=form.send_email.data == "yes",
                claim=claim,
            )
            return _links_page(rows, url_for("checkins.round_page", round_id=checkin_round.id))
    rounds = db.session.scalars(
        db.select(CheckinRound)
        .where(CheckinRound.process_id == g.process.id)
        .order_by(CheckinRound.created_at.desc())
    ).all()
    rounds = [(r, private_links.title_of(r)) for r in rounds]
    return render_template(
        "checkins/index.html", rounds=rounds, form=form, mail=mail_configured()
    ), (422 if form.is_submitted() else 200)


@bp.get("/<int:round_id>")
@allow(Act.SEND_CHECKINS)
def round_page(round_id: int) -> str:
    """Who answered, who not, whose link expired; counts per answer and the words given."""
    checkin_round = _round(round_id)
    now = utcnow()
    people = [
        (i, private_links.label_of(i), i.state(now), link_mail.view(i, now))
        for i in checkin_round.links
    ]
    definition = service.known_definition(checkin_round.form_id, g.process)
    answered, questions = results(g.process, definition, _locale(), round_id=round_id)
    return render_template(
        "checkins/round.html",
        round=checkin_round,
        people=people,
        answered=answered,
        questions=questions,
        title=localised(definition.title, _locale()),
        intro=private_links.intro_of(checkin_round),
        round_title=private_links.title_of(checkin_round),
    )


@bp.post("/links/<int:link_id>/remind")
@allow(Act.SEND_CHECKINS)
def remind(link_id: int) -> ResponseReturnValue:
    """A fresh link for someone who has not answered; emailed if there is an address."""
    link = _link(link_id)
    try:
        rows = link_mail.remind(g.process, link)
    except private_links.LinkError as exc:
        flash(str(exc), "error")
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    back = (
        url_for("checkins.round_page", round_id=link.round_id)
        if link.round_id
        else url_for("checkins.index")
    )
    return _links_page(rows, back)


@bp.post("/links/<int:link_id>/mail")
@allow(Act.SEND_CHECKINS)
def mail_again(link_id: int) -> ResponseReturnValue:
    """Try a mail that failed once more, with the same link."""
    link = _link(link_id)
    try:
        link_mail.retry(g.process, link)
    except private_links.LinkError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The mail is waiting to be sent again."), "info")
    if link.round_id:
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    return redirect(url_for("submissions.show", submission_id=link.minutes_id))


@bp.post("/links/<int:link_id>/revoke")
@allow(Act.SEND_CHECKINS)
def revoke(link_id: int) -> ResponseReturnValue:
    """The link stops working at once."""
    link = _link(link_id)
    private_links.revoke(link)
    link_mail.forget(link)
    audit.record("invitation-revoked", process=g.process, subject=f"invitation:{link.id}")
    db.session.commit()
    flash(_("The link no longer works."), "info")
    if link.round_id:
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    return redirect(url_for("submissions.show", submission_id=link.minutes_id))


@bp.route("/him/<int:submission_id>", methods=["GET", "POST"])
@allow(Act.SEND_CHECKINS)
def him(submission_id: int) -> ResponseReturnValue:
    """Send him the agreed steps of these minutes as a written record, with the reflection form."""
    minutes = of_this_process(Submission, submission_id)
    if minutes.form_id != "minutes" or minutes.is_draft:
        abort(404)
    form = HisLinkForm()
    if form.validate_on_submit():
        back = url_for("submissions.show", submission_id=minutes.id)
        try:
            claim = form_keys.spend_posted(current_user.id)
        except form_keys.AlreadyStored as earlier:
            return redirect(earlier.path or back)
        form_keys.settle(claim, back)
        rows = link_mail.invite_him(
            g.process,
            minutes,
            email=form.email.data or "",
            days=required(form.days.data),
            by=current_user,
        )
        return _links_page(rows, back)
    return render_template("checkins/him.html", form=form, minutes=minutes), (
        422 if form.is_submitted() else 200
    )


@bp.route("/links/<int:link_id>/typed", methods=["GET", "POST"])
@allow(Act.SEND_CHECKINS)
def type_in(link_id: int) -> ResponseReturnValue:
    """Type in a person's answers from a conversation or a letter, dated by that day."""
    link = _link(link_id)
    if not typed_in.may_type_in(link):
        flash(_("This person has answered already."), "error")
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    definition = service.known_definition(link.form_id, g.process)
    form = _typed_form(definition, request.form if request.method == "POST" else None)
    day_form = TypedInForm()
    if request.method == "GET":
        day_form.day.data = today()
    status = 200
    # "Continue" only shows the questions that depend on an answer: nothing to check yet.
    revealing = request.form.get("_action") == roundtrip.CONTINUE
    if request.method == "POST" and not revealing:
        submitting = request.form.get("_action") == "submit"
        day_ok = day_form.validate_on_submit()
        if day_ok:
            try:
                typed_in.check_day(required(day_form.day.data), today())
            except typed_in.TypedInError as exc:
                add_error(day_form.day, str(exc))
                day_ok = False
        answers_ok = roundtrip.accepted(form, True)
        if day_ok and answers_ok and submitting:
            answers = roundtrip.answers_from(definition, form, request.form, True)
            try:
                typed_in.type_in(
                    g.process, link, answers, required(day_form.day.data), current_user
                )
            except (typed_in.TypedInError, rules.RecordRefused) as exc:
                db.session.rollback()
                add_error(day_form.day, str(exc))
            else:
                audit.record("answer-typed-in", process=g.process, subject=f"invitation:{link.id}")
                db.session.commit()
                flash(
                    _("The answer is stored, dated %(date)s.", date=format_date(day_form.day.data)),
                    "info",
                )
                return redirect(url_for("checkins.round_page", round_id=link.round_id))
        if not submitting:
            form.form_errors.append(_("Nothing is stored until you press “Store the answer”."))
        status = 422
    return render_template(
        "checkins/typed.html",
        link=link,
        label=private_links.label_of(link),
        definition=definition,
        form=form,
        day_form=day_form,
        problems=problems(form),
        locale=_locale(),
        travel_label=travel_label,
    ), status


def _typed_form(definition, formdata):
    form = build_form_class(definition, _locale())(formdata=formdata)
    annotate(form, definition, _locale())
    return form
