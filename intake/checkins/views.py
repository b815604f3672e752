"""Check-in rounds for the people around him, reminders, results, and his own link."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from intake.checkins import private_links, typed_in
from intake.checkins.private_links import IssuedLink
from intake.checkins.results import results
from intake.clock import today
from intake.extensions import db
from intake.formdef.model import localised
from intake.formdef.present import annotate, problems, travel_label
from intake.formdef.wtf import build_form_class
from intake.mail import MailError, mail_configured, send
from intake.models import CheckinRound, PrivateLink, Role, Submission, utcnow
from intake.record.forms import HisLinkForm, RoundForm, TypedInForm
from intake.security import audit
from intake.security.access import allow, of_this_process, process_blueprint
from intake.submissions import roundtrip, rules, service
from intake.urls import external_url

bp = process_blueprint("checkins", __name__, "/checkins")


def _link_forms():
    return [f for f in service.definitions().values() if "link" in f.fill and f.id != "reflection"]


def _locale() -> str:
    return str(get_locale() or "en")


def _email(issued: IssuedLink, url: str) -> bool:
    """Send one link; the mail says nothing about the survivor or the case."""
    if not issued.email or not mail_configured():
        return False
    body = _(
        "Hello,\n\nthe contact group you know of asks you a few questions. "
        "This link is only for you and works once:\n\n%(link)s\n\n"
        "Answer whenever you can; you can save and continue later.",
        link=url,
    )
    try:
        send(issued.email, _("A few questions"), body)
    except MailError:
        return False
    issued.link.last_sent_at = utcnow()
    return True


def _links_page(issued: list[IssuedLink], emailed: bool, back: str) -> str:
    rows = []
    for item in issued:
        url = external_url("respond.open_link", token=item.token)
        sent = _email(item, url) if emailed else False
        rows.append((item.label, url, sent))
    db.session.commit()
    return render_template("checkins/links.html", rows=rows, back=back)


def _round(round_id: int) -> CheckinRound:
    return of_this_process(CheckinRound, round_id)


def _link(link_id: int) -> PrivateLink:
    return of_this_process(PrivateLink, link_id)


@bp.route("/", methods=["GET", "POST"])
@allow(Role.CONTACT)
def index() -> ResponseReturnValue:
    """The rounds so far, and a form to send a new one."""
    forms = _link_forms()
    form = RoundForm(forms=forms)
    if form.validate_on_submit():
        try:
            people = private_links.parse_people(form.people.data)
        except private_links.LinkError as exc:
            form.people.errors.append(str(exc))
        else:
            checkin_round, issued = private_links.start_round(
                g.process,
                title=form.title.data,
                form_id=form.form_id.data,
                intro=form.intro.data or "",
                people=people,
                days=form.days.data,
                by=current_user,
            )
            audit.record(
                "invitations-created", process=g.process, subject=f"round:{checkin_round.id}"
            )
            return _links_page(
                issued,
                form.send_email.data == "yes",
                url_for("checkins.round_page", round_id=checkin_round.id),
            )
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
@allow(Role.CONTACT)
def round_page(round_id: int) -> str:
    """Who answered, who not, whose link expired; counts per answer and the words given."""
    checkin_round = _round(round_id)
    now = utcnow()
    people = [(i, private_links.label_of(i), i.state(now)) for i in checkin_round.links]
    definition = service.definition(checkin_round.form_id)
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
@allow(Role.CONTACT)
def remind(link_id: int) -> ResponseReturnValue:
    """A fresh link for someone who has not answered; emailed if there is an address."""
    link = _link(link_id)
    try:
        issued = private_links.renew(link, days=14)
    except private_links.LinkError as exc:
        flash(str(exc), "error")
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    audit.record("invitation-renewed", process=g.process, subject=f"invitation:{link.id}")
    back = (
        url_for("checkins.round_page", round_id=link.round_id)
        if link.round_id
        else url_for("checkins.index")
    )
    return _links_page([issued], True, back)


@bp.post("/links/<int:link_id>/revoke")
@allow(Role.CONTACT)
def revoke(link_id: int) -> ResponseReturnValue:
    """The link stops working at once."""
    link = _link(link_id)
    private_links.revoke(link)
    audit.record("invitation-revoked", process=g.process, subject=f"invitation:{link.id}")
    db.session.commit()
    flash(_("The link no longer works."), "info")
    if link.round_id:
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    return redirect(url_for("records.show", record_id=link.minutes_id))


@bp.route("/him/<int:record_id>", methods=["GET", "POST"])
@allow(Role.CONTACT)
def him(record_id: int) -> ResponseReturnValue:
    """Send him the agreed steps of these minutes as a written record, with the reflection form."""
    minutes = of_this_process(Submission, record_id)
    if minutes.form_id != "minutes" or minutes.is_draft:
        abort(404)
    form = HisLinkForm()
    if form.validate_on_submit():
        audit.record("his-link-created", process=g.process, subject=f"minutes:{minutes.id}")
        issued = private_links.invite_him(
            g.process, minutes, email=form.email.data or "", days=form.days.data, by=current_user
        )
        return _links_page([issued], True, url_for("records.show", record_id=minutes.id))
    return render_template("checkins/him.html", form=form, minutes=minutes), (
        422 if form.is_submitted() else 200
    )


@bp.route("/links/<int:link_id>/typed", methods=["GET", "POST"])
@allow(Role.CONTACT)
def type_in(link_id: int) -> ResponseReturnValue:
    """Type in a person's answers from a conversation or a letter, dated by that day."""
    link = _link(link_id)
    if not typed_in.may_type_in(link):
        flash(_("This person has answered already."), "error")
        return redirect(url_for("checkins.round_page", round_id=link.round_id))
    definition = service.definition(link.form_id)
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
                typed_in.check_day(day_form.day.data, today())
            except typed_in.TypedInError as exc:
                day_form.day.errors.append(str(exc))
                day_ok = False
        answers_ok = roundtrip.accepted(form, True)
        if day_ok and answers_ok and submitting:
            answers = roundtrip.answers_from(definition, form, request.form, True)
            try:
                typed_in.type_in(g.process, link, answers, day_form.day.data, current_user)
            except (typed_in.TypedInError, rules.RecordRefused) as exc:
                db.session.rollback()
                day_form.day.errors.append(str(exc))
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
