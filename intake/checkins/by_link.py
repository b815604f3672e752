"""A private link's page: the questionnaire, his written record, thanks; nothing else.

Every way a link can fail (wrong, expired, revoked, spent) gets the same plain
page, and guessing is throttled per client. The token is moved out of the
address bar into the session at once (a redirect to the token-free ``/c``), so
no entry of the tab's history, no title and no Referer holds it. The browser's
own list of visited addresses still records the link as it was opened, as for
any link; that is why a link stops working once it is answered.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from intake.checkins import check_answers, private_links
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
from intake.security import kept_words, quick_exit, throttle
from intake.security.kept_words import RENEWED
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
    """The questionnaire (and, on his link, the agreed steps) for this link.

    "Check your answers" keeps what was typed and leads to the summary; "Save and
    continue later" keeps it too; a group's add/remove buttons and "Continue"
    (which shows questions that depend on an answer) store nothing.
    """
    link = _current()
    if link is None and request.method == "POST":
        return _renewed() or _already_sent()
    if link is None:
        return _gone()
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
    checking = action == "check"
    formdata = request.form
    locale = str(get_locale() or "en")
    round_trip = roundtrip.entry_round_trip(
        "submit" if checking else action,
        formdata,
        lambda data: _build(definition, data),
        definition,
        locale,
    )
    if round_trip is not None:
        form, status = round_trip
        return _page(link, form, definition, status)

    form = _build(definition, formdata)
    # Checking needs every answer valid, as sending does; what is kept is the draft as typed.
    validating = action == "submit" or checking
    if not roundtrip.accepted(form, validating):
        return _page(link, form, definition, 422)
    answers = roundtrip.answers_from(definition, form, formdata, action == "submit")
    try:
        quota.check_link(link, answers)
    except quota.OverQuota as refusal:
        form.form_errors.append(str(refusal))
        return _page(link, form, definition, refusal.status)
    store = private_links.send_answer if action == "submit" else private_links.keep_draft
    try:
        store(
            link,
            definition,
            answers,
            anonymous=request.form.get("anonymous") == "yes",
            started_from=version_from(request.form.get("lock_version")),
        )
    except private_links.AlreadySent:
        db.session.rollback()
        return _already_sent()
    except service.Conflict:
        db.session.rollback()
        return _page(link, form, definition, 409, conflict=True)
    except rules.RecordRefused:
        db.session.rollback()
        return _page(link, form, definition, 409)
    db.session.commit()
    quota.count_link_save(link)
    if action == "submit":
        return _sent_page(link, answers)
    if checking:
        return redirect(url_for("respond.check"), 303)
    return _page(
        link, _build(definition, roundtrip.stored_formdata(definition, answers)), definition
    )


@bp.get("/check")
def check() -> ResponseReturnValue:
    """Check your answers: every question asked, with "Change", then Send."""
    link = _current()
    if link is None:
        return _gone()
    definition = _definition_of(link)
    if definition is None:
        return _not_found()
    locale = str(get_locale() or "en")
    answers = check_answers.kept_answers(link, definition, locale)
    if answers is None:
        # Nothing complete to check yet: the questions say what is missing.
        return redirect(url_for("respond.page"))
    return _check_page(link, definition, answers, locale)


def _check_page(
    link: PrivateLink,
    definition: FormDefinition,
    answers: dict[str, Any],
    locale: str,
    status: int = 200,
    changed: bool = False,
) -> ResponseReturnValue:
    # The summary follows a kept draft; its version goes with Send so another tab is caught.
    record = db.session.get(Submission, link.submission_id) if link.submission_id else None
    process = db.session.get(Process, link.process_id)
    return render_template(
        "respond/check.html",
        link=link,
        definition=definition,
        sections=check_answers.rows(definition, answers, locale),
        anonymity=check_answers.anonymity_words(link),
        lock_version=record.lock_version if record else None,
        changed=changed,
        locale=locale,
        exit_href=quick_exit.exit_url(process),
    ), status


@bp.post("/send")
def send() -> ResponseReturnValue:
    """Send the answers just checked, exactly as the summary showed them."""
    link = _current()
    if link is None:
        return _already_sent()
    definition = _definition_of(link)
    if definition is None:
        return _not_found()
    locale = str(get_locale() or "en")
    answers = check_answers.kept_answers(link, definition, locale)
    if answers is None:
        return redirect(url_for("respond.page"), 303)
    try:
        quota.check_link(link, answers)
        private_links.send_answer(
            link,
            definition,
            answers,
            anonymous=link.anonymous,
            started_from=version_from(request.form.get("lock_version")),
        )
    except quota.OverQuota as refusal:
        return render_template("errors/429.html", code=refusal.status), refusal.status
    except private_links.AlreadySent:
        db.session.rollback()
        return _already_sent()
    except (service.Conflict, rules.RecordRefused):
        # Changed from another page since this summary was shown: show what is kept now.
        db.session.rollback()
        answers = check_answers.kept_answers(link, definition, locale)
        if answers is None:
            return redirect(url_for("respond.page"), 303)
        return _check_page(link, definition, answers, locale, 409, changed=True)
    db.session.commit()
    quota.count_link_save(link)
    return _sent_page(link, answers)


def _sent_page(link: PrivateLink, answers: dict[str, Any]) -> ResponseReturnValue:
    """What happens next: who reads it, whether it may be quoted, anonymity as chosen."""
    session.pop(SESSION_KEY, None)
    process = db.session.get(Process, link.process_id)
    return render_template(
        "respond/thanks.html",
        next_steps=check_answers.what_happens_next(link, answers),
        exit_href=quick_exit.exit_url(process),
    )


def _gone() -> ResponseReturnValue:
    session.pop(SESSION_KEY, None)
    return _not_found()


def _renewed() -> ResponseReturnValue | None:
    """A reminder renewed the link while this page was open with the old one: keep what
    was typed for the link, to come back when the newest link is opened."""
    token = session.get(SESSION_KEY)
    link = private_links.renewed_from(token) if token else None
    if link is None:
        return None
    session.pop(SESSION_KEY, None)
    words = kept_words.typed_words(request.form)
    if words:
        owner = kept_words.Owner(link_id=link.id)
        kept_words.keep(
            owner, url_for("respond.page"), words, reason=RENEWED, process_id=link.process_id
        )
        db.session.commit()
    return render_template("respond/renewed.html", kept=bool(words)), 409


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


@bp.post("/confirm")
def confirm() -> ResponseReturnValue:
    """He confirms that he received the written record of what was agreed."""
    link = _current()
    if link is None or link.kind is not LinkKind.HIM:
        return _not_found()
    private_links.confirm_receipt(link)
    db.session.commit()
    return redirect(url_for("respond.page"))
