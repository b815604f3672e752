"""Private links by mail: committed first, then sent by a job, with retries and a visible state.

A link is only mailed once the transaction that created it is committed, so
nobody ever holds a link that does not exist. Each link keeps its mail state
(waiting, sent, failed with the reason in words); the group sees it on the
round's page and may try a failed one again. The link to send is kept sealed
beside it until it has gone out; addresses and links never reach a log, a job
queue or the stored reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from intake import jobs
from intake.checkins import private_links
from intake.checkins.private_links import IssuedLink, LinkError, email_of
from intake.extensions import db, rows_changed
from intake.formdef import form_keys
from intake.mail import MailError, mail_configured, send
from intake.models import (
    Account,
    CheckinRound,
    FormKey,
    LinkKind,
    MailState,
    PrivateLink,
    Process,
    Submission,
    utcnow,
)
from intake.security import audit
from intake.security.encryption import open_text, seal_text
from intake.urls import external_url

# How long a job may hold a mail before another may take it: longer than any one try.
HOLD = timedelta(minutes=5)
# A mail waiting this long past its time has no job left to send it (its process died).
STUCK = timedelta(minutes=10)


def _problem_words() -> dict[str, str]:
    return {
        "refused": _("the mail server refused the address"),
        "refused-for-now": _("the mail server turned the address away for now"),
        "sender-refused": _("the mail server refused our sender address (MAIL_FROM)"),
        "login": _("the mail server did not accept our user name and password"),
        "secure-connection": _("no secure connection to the mail server could be made"),
        "message-refused": _("the mail server refused the message"),
        "no-answer": _("the mail server did not answer"),
        "unreachable": _("the mail server could not be reached"),
        "not-set-up": _("mail is not set up on this server"),
        "not-one-address": _("the address is not one email address"),
        "link-closed": _("the link no longer works, so it was not sent"),
        "interrupted": _("the sending was interrupted"),
    }


def problem_words(problem: str | None) -> str:
    words = _problem_words()
    return words.get(problem or "", _("the mail could not be sent"))


@dataclass(frozen=True)
class MailView:
    """A link's mail as the round's page shows it."""

    state: str  # "", "waiting", "sent" or "failed"
    reason: str  # in words; for a waiting one, why the last try failed
    may_retry: bool


def view(link: PrivateLink, now: datetime | None = None) -> MailView:
    now = now or utcnow()
    state, problem = link.mail_state, link.mail_problem
    if state is None:
        return MailView("", "", False)
    if state is MailState.SENT:
        return MailView("sent", "", False)
    stuck = link.mail_due_at is not None and (
        (state is MailState.SENDING and link.mail_due_at < now)
        or (state is MailState.WAITING and link.mail_due_at < now - STUCK)
    )
    if stuck:
        state, problem = MailState.FAILED, "interrupted"
    if state is MailState.FAILED:
        return MailView("failed", problem_words(problem), link.is_usable(now))
    return MailView("waiting", problem_words(problem) if problem else "", False)


@dataclass(frozen=True)
class HandedOut:
    """One line of the page that shows new links once: who, the link, and its mail."""

    label: str
    url: str
    mail: MailView


def _wait(link: PrivateLink, url: str) -> None:
    link.mail_state = MailState.WAITING
    link.mail_tries = 0
    link.mail_problem = None
    link.mail_due_at = utcnow()
    link.mail_link = seal_text(url, link.encryption_context)


def hand_out(issued: list[IssuedLink], *, mail: bool) -> list[HandedOut]:
    """Commit the links, then queue one mail for each that has an address."""
    urls = []
    for item in issued:
        url = external_url("respond.open_link", token=item.token)
        urls.append(url)
        if mail and item.email and mail_configured():
            _wait(item.link, url)
    db.session.commit()
    for item in issued:
        if item.link.mail_state is MailState.WAITING:
            jobs.enqueue("mail", item.link.id)
    now = utcnow()
    return [
        HandedOut(item.label, url, view(item.link, now))
        for item, url in zip(issued, urls, strict=True)
    ]


def start_round(
    process: Process,
    *,
    title: str,
    form_id: str,
    intro: str,
    people: list[private_links.Person],
    days: int,
    by: Account,
    mail: bool,
    claim: FormKey | None = None,
) -> tuple[CheckinRound, list[HandedOut]]:
    """A new round: its links committed, then a mail queued for each person with an address.

    ``claim`` is the spent key of the form that asked for the round: it learns the
    round's page in the same commit, so a second post of that form goes there.
    """
    checkin_round, issued = private_links.start_round(
        process, title=title, form_id=form_id, intro=intro, people=people, days=days, by=by
    )
    form_keys.settle(claim, url_for("checkins.round_page", round_id=checkin_round.id))
    audit.record("invitations-created", process=process, subject=f"round:{checkin_round.id}")
    return checkin_round, hand_out(issued, mail=mail)


def remind(process: Process, link: PrivateLink) -> list[HandedOut]:
    """A fresh link for the same person (the old one dies), mailed if there is an address."""
    issued = private_links.renew(link, days=14)
    audit.record("invitation-renewed", process=process, subject=f"invitation:{link.id}")
    return hand_out([issued], mail=True)


def invite_him(
    process: Process, minutes: Submission, *, email: str, days: int, by: Account
) -> list[HandedOut]:
    """His link to the agreed steps of these minutes, mailed if an address is given."""
    audit.record("his-link-created", process=process, subject=f"minutes:{minutes.id}")
    issued = private_links.invite_him(process, minutes, email=email, days=days, by=by)
    return hand_out([issued], mail=True)


def retry(process: Process, link: PrivateLink) -> None:
    """Try a failed mail again, from the first try; committed, then queued."""
    if not view(link).may_retry or link.mail_link is None:
        raise LinkError(_l("This mail cannot be sent again. Send a reminder with a fresh link."))
    link.mail_state = MailState.WAITING
    link.mail_tries = 0
    link.mail_due_at = utcnow()
    audit.record("invitation-mail-retried", process=process, subject=f"invitation:{link.id}")
    db.session.commit()
    jobs.enqueue("mail", link.id)


def forget(link: PrivateLink) -> None:
    """A revoked link is not mailed any more, and its sealed copy goes."""
    link.mail_link = None
    if link.mail_state in (MailState.WAITING, MailState.SENDING):
        link.mail_state = MailState.FAILED
        link.mail_problem = "link-closed"


def _take(link_id: int, now: datetime) -> bool:
    """Claim a due mail with one conditional UPDATE: of two jobs, one sends it."""
    won = rows_changed(
        sa.update(PrivateLink)
        .where(
            PrivateLink.id == link_id,
            PrivateLink.mail_state.in_((MailState.WAITING, MailState.SENDING)),
            PrivateLink.mail_due_at <= now,
        )
        .values(
            mail_state=MailState.SENDING,
            mail_tries=PrivateLink.mail_tries + 1,
            mail_due_at=now + HOLD,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(won)


def compose(link: PrivateLink, language: str, url: str) -> tuple[str, str]:
    """Subject and body in the process's language; they say nothing about the case."""
    template = "mail/his_link.txt" if link.kind is LinkKind.HIM else "mail/checkin_link.txt"
    with force_locale(language):
        subject = _("What was agreed") if link.kind is LinkKind.HIM else _("A few questions")
        return subject, render_template(template, link=url)


def attempt(link_id: int) -> float | None:
    """One try at sending a link's mail; seconds until the next try, or None when done."""
    now = utcnow()
    if not _take(link_id, now):
        return None
    link = db.session.get_one(PrivateLink, link_id)  # _take found it a moment ago
    process = db.session.get_one(Process, link.process_id)
    try:
        if not link.is_usable(now) or link.mail_link is None:
            raise MailError("link-closed", lasting=True)
        url = open_text(link.mail_link, link.encryption_context)
        subject, body = compose(link, process.language, url)
        send(email_of(link), subject, body)
    except MailError as exc:
        return _failed(link, exc)
    link.mail_state = MailState.SENT
    link.mail_problem = None
    link.mail_link = None
    link.last_sent_at = utcnow()
    db.session.commit()
    return None


def _failed(link: PrivateLink, exc: MailError) -> float | None:
    config = current_app.config
    link.mail_problem = exc.problem
    if exc.lasting or link.mail_tries >= int(config["MAIL_TRIES"]):
        link.mail_state = MailState.FAILED
        db.session.commit()
        return None
    pauses = list(config["MAIL_RETRY_SECONDS"]) or [60]
    pause = float(pauses[min(link.mail_tries, len(pauses)) - 1])
    link.mail_state = MailState.WAITING
    link.mail_due_at = utcnow() + timedelta(seconds=pause)
    db.session.commit()
    return pause


def work_due() -> float | None:
    """The local runner's turn: send what is due; seconds until the next try is due."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(PrivateLink.id)
        .where(PrivateLink.mail_state == MailState.WAITING, PrivateLink.mail_due_at <= now)
        .order_by(PrivateLink.mail_due_at)
        .limit(50)
    ).all()
    for link_id in due:
        attempt(link_id)
    later = db.session.scalar(
        sa.select(PrivateLink.mail_due_at)
        .where(PrivateLink.mail_state == MailState.WAITING)
        .order_by(PrivateLink.mail_due_at)
        .limit(1)
    )
    if later is None:
        return None
    return max(0.0, (later - utcnow()).total_seconds())


def his_links_of(minutes: Submission) -> list[tuple[PrivateLink, str, MailView]]:
    """Links that sent him these minutes' agreed steps, oldest first: each with its state
    (did he confirm, is it still open) and whether its mail went out."""
    rows = db.session.scalars(
        sa.select(PrivateLink)
        .where(PrivateLink.minutes_id == minutes.id, PrivateLink.kind == LinkKind.HIM)
        .order_by(PrivateLink.created_at)
    )
    now = utcnow()
    return [(link, link.state(now), view(link, now)) for link in rows]
