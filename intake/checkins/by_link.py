"""A private link's page: the questionnaire, his written record, thanks; nothing else.

Every way a link can fail (wrong, expired, revoked, spent) gets the same plain
page, and guessing is throttled per client. The token is moved out of the
address bar into the session at once (a redirect to the token-free ``/c``), so
no entry of the tab's history, no title and no Referer holds it. The browser's
own list of visited addresses still records the link as it was opened, as for
any link; that is why a link stops working once it is answered.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from intake.checkins import anonymity, private_links
from intake.extensions import db
from intake.formdef import FormDefinition
from intake.formdef.locking import version_from
from intake.formdef.present import annotate, problems, readable
from intake.formdef.travel import travel_label
from intake.formdef.wtf import (
    build_form_class,
)
from intake.models import AgreedStep, LinkKind, PrivateLink, Process, Submission, utcnow
from intake.record.steps import view as step_view
from intake.security import quick_exit, throttle
from intake.submissions import quota, roundtrip, rules, service, typed

bp = Blueprint("respond", __name__, url_prefix="/c")
SESSION_KEY = "respond"


def _not_found() -> ResponseReturnValue:
    return render_template("respond/gone.html"), 404


def _blocked() -> ResponseReturnValue | None:
    if throttle.is_blocked(throttle.LINK_GUESSES, throttle.client_key()):
        return render_template("errors/429.html", code=429), 429
    return None


def _current() -> PrivateLink | None:
    token = session.get(SESSION_KEY)
    return private_links.by_token(token) if token else None


@bp.get("/<token>")
def open_link(token: str) -> ResponseReturnValue:
    """Check a link, remember it for this browser, and redirect to the token-free address.

    After the redirect the tab's history holds ``/c`` only, never the token.
    """
    blocked = _blocked()
    if blocked:
        return blocked
    link = private_links.by_token(token)
    if link is None:
        throttle.record(throttle.LINK_GUESSES, throttle.client_key())
        return _not_found()
    session[SESSION_KEY] = token
    return redirect(url_for("respond.page"))


def _his_steps(link: PrivateLink):
    if link.kind is not LinkKind.HIM or link.minutes_id is None:
        return []
    rows = db.session.scalars(
        db.select(AgreedStep)
        .where(AgreedStep.minutes_id == link.minutes_id)
        .order_by(AgreedStep.minutes_entry)
    )
    return [step_view(s, utcnow().date(), {}) for s in rows]


def _page(
    link: PrivateLink, form, definition, status: int = 200, conflict: bool = False
) -> ResponseReturnValue:
    process = db.session.get_one(Process, link.process_id)
    record = db.session.get(Submission, link.submission_id) if link.submission_id else None
    locale = str(get_locale() or "en")
    their_version = None
    if conflict and record is not None:
        their_version = typed.readable_words(definition, service.answers_of(record), locale)
    return render_template(
        "respond/page.html",
        link=link,
        definition=definition,
        form=form,
        problems=problems(form),
        intro=private_links.intro_of(link.round),
        pseudonym=process.pseudonym,
        steps=_his_steps(link),
        lock_version=record.lock_version if record else None,
        their_version=their_version,
        locale=locale,
        travel_label=travel_label,
        exit_href=quick_exit.exit_url(process),
    ), status


def _build(definition, formdata):
    locale = str(get_locale() or "en")
    form = build_form_class(definition, locale)(formdata=formdata)
    annotate(form, definition, locale)
    return form


def _definition_of(link: PrivateLink) -> FormDefinition | None:
    """The link's form: built in, or the current version of its process's own questionnaire."""
    return service.definition(link.form_id, db.session.get(Process, link.process_id))


@bp.route("", methods=["GET", "POST"])
def page() -> ResponseReturnValue:
    """The questionnaire (and, on his link, the agreed steps) for this link."""
    link = _current()
    if link is None:
        return _already_sent() if request.method == "POST" else _gone()
    definition = _definition_of(link)
    if definition is None:
        return _not_found()
    record = db.session.get(Submission, link.submission_id) if link.submission_id else None
    if request.method == "GET":
        formdata = None
        if record is not None:
            formdata = roundtrip.stored_formdata(definition, service.answers_of(record))
        return _page(link, _build(definition, formdata), definition)

    action = request.form.get("_action", "submit")
    formdata = request.form
    locale = str(get_locale() or "en")
    round_trip = roundtrip.entry_round_trip(
        action, formdata, lambda data: _build(definition, data), definition, locale
    )
    if round_trip is not None:
        form, status = round_trip
        return _page(link, form, definition, status)

    form = _build(definition, formdata)
    submitting = action == "submit"
    if not roundtrip.accepted(form, submitting):
        return _page(link, form, definition, 422)
    answers = roundtrip.answers_from(definition, form, formdata, submitting)
    try:
        quota.check_link(link, answers)
    except quota.OverQuota as refusal:
        form.form_errors.append(str(refusal))
        return _page(link, form, definition, refusal.status)
    if submitting and not private_links.spend(link):
        db.session.rollback()
        return _already_sent()
    link.anonymous = request.form.get("anonymous") == "yes"
    process = db.session.get_one(Process, link.process_id)
    try:
        saved = service.save(
            process,
            definition,
            None,
            answers,
            submission=record,
            # Another tab of the same link may have saved since this page was opened.
            started_from=version_from(request.form.get("lock_version")) if record else None,
            submit=submitting,
        )
        if record is None and not private_links.attach(link, saved.submission.id):
            raise service.Conflict(saved.submission)
    except service.Conflict:
        db.session.rollback()
        return _page(link, form, definition, 409, conflict=True)
    except rules.RecordRefused:
        db.session.rollback()
        return _page(link, form, definition, 409)
    link.submission_id = saved.submission.id
    if submitting:
        _sent(link, saved.submission)
        db.session.commit()
        quota.count_link_save(link)
        session.pop(SESSION_KEY, None)
        return render_template("respond/thanks.html", exit_href=quick_exit.exit_url(process))
    db.session.commit()
    quota.count_link_save(link)
    return _page(
        link, _build(definition, roundtrip.stored_formdata(definition, answers)), definition
    )


def _gone() -> ResponseReturnValue:
    session.pop(SESSION_KEY, None)
    return _not_found()


def _already_sent() -> ResponseReturnValue:
    """A link answered meanwhile (another device, another tab): say so, and give the
    words just sent back once, so they can be copied; they are not stored."""
    token = session.pop(SESSION_KEY, None)
    link = private_links.answered_by_token(token) if token else None
    definition = _definition_of(link) if link else None
    if definition is None:
        return _not_found()
    locale = str(get_locale() or "en")
    words = readable(definition, typed.typed_answers(definition, request.form), locale)
    return render_template(
        "respond/already_sent.html", sections=words, locale=locale, travel_label=travel_label
    ), 409


def _sent(link: PrivateLink, record: Submission) -> None:
    """An answer exists for the contact group from the moment it is sent, not before."""
    record.created_at = record.submitted_at or utcnow()
    link.answered_at = record.created_at
    if link.anonymous:
        anonymity.blur_answer(record)
        link.answered_at = anonymity.start_of_day(link.answered_at)


@bp.post("/confirm")
def confirm() -> ResponseReturnValue:
    """He confirms that he received the written record of what was agreed."""
    link = _current()
    if link is None or link.kind is not LinkKind.HIM:
        return _not_found()
    link.confirmed_at = link.confirmed_at or utcnow()
    db.session.commit()
    return redirect(url_for("respond.page"))
