"""Private links for people without an account: check-in rounds, his link, reminders, answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.checkins import anonymity
from intake.extensions import db, rows_changed
from intake.formdef import FormDefinition
from intake.formdef.email_address import is_one_address
from intake.models import (
    Account,
    CheckinRound,
    LinkKind,
    PrivateLink,
    Process,
    Submission,
    utcnow,
)
from intake.security.encryption import open_text, seal_text
from intake.security.tokens import hash_token, new_token
from intake.submissions import service

MAX_PEOPLE = 60


class LinkError(ValueError):
    """A link request that cannot be carried out, in words for the person."""


@dataclass(frozen=True)
class Person:
    label: str
    email: str


@dataclass(frozen=True)
class IssuedLink:
    """A link as created or renewed: the token exists only here."""

    link: PrivateLink
    token: str
    label: str
    email: str


def parse_people(text: str) -> list[Person]:
    """One person a line: a label, optionally followed by ';' and an email address."""
    people = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label, _, email = line.partition(";")
        label, email = label.strip(), email.strip()
        if not label:
            raise LinkError(_l("Line %(n)d: start with a label, such as “partner”.", n=n))
        if len(label) > 80:
            raise LinkError(_l("Line %(n)d: keep the label under 80 characters.", n=n))
        if email and not is_one_address(email):
            raise LinkError(
                _l("Line %(n)d: “%(email)s” is not an email address.", n=n, email=email)
            )
        people.append(Person(label, email))
    if not people:
        raise LinkError(_l("Add at least one person, one per line."))
    if len(people) > MAX_PEOPLE:
        raise LinkError(_l("At most %(n)d people per round.", n=MAX_PEOPLE))
    return people


def _issue(
    process: Process,
    kind: LinkKind,
    form_id: str,
    person: Person,
    days: int,
    by: Account,
    **extra,
) -> IssuedLink:
    token = new_token()
    context = f"process:{process.id}:invitation"
    link = PrivateLink(
        process_id=process.id,
        kind=kind,
        form_id=form_id,
        label=seal_text(person.label, context),
        email=seal_text(person.email, context) if person.email else None,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(days=days),
        created_by_id=by.id,
        **extra,
    )
    db.session.add(link)
    db.session.flush()
    return IssuedLink(link, token, person.label, person.email)


def start_round(
    process: Process,
    *,
    title: str,
    form_id: str,
    intro: str,
    people: list[Person],
    days: int,
    by: Account,
) -> tuple[CheckinRound, list[IssuedLink]]:
    checkin_round = CheckinRound(
        process_id=process.id,
        title=seal_text(title.strip(), f"process:{process.id}:invitation"),
        form_id=form_id,
        created_by_id=by.id,
    )
    checkin_round.intro = (
        seal_text(intro.strip(), f"process:{process.id}:invitation") if intro.strip() else None
    )
    db.session.add(checkin_round)
    db.session.flush()
    issued = [
        _issue(process, LinkKind.CHECKIN, form_id, p, days, by, round_id=checkin_round.id)
        for p in people
    ]
    return checkin_round, issued


def invite_him(
    process: Process, minutes: Submission, *, email: str, days: int, by: Account
) -> IssuedLink:
    """His link: the agreed steps of these minutes, a receipt button and the reflection form."""
    return _issue(
        process,
        LinkKind.HIM,
        "reflection",
        Person("him", email),
        days,
        by,
        minutes_id=minutes.id,
    )


def renew(link: PrivateLink, days: int) -> IssuedLink:
    """A fresh token for the same private link (a reminder); the old link stops working."""
    if link.answered_at:
        raise LinkError(_l("This person has already answered."))
    token = new_token()
    link.replaced_token_hash = link.token_hash
    link.token_hash = hash_token(token)
    link.revoked_at = None
    link.expires_at = max(link.expires_at, utcnow() + timedelta(days=days))
    db.session.flush()
    return IssuedLink(link, token, label_of(link), email_of(link))


def revoke(link: PrivateLink) -> None:
    link.revoked_at = link.revoked_at or utcnow()


def by_token(token: str, now: datetime | None = None) -> PrivateLink | None:
    """The private link for a token, only while it can still be used."""
    link = db.session.scalar(
        sa.select(PrivateLink).where(PrivateLink.token_hash == hash_token(token))
    )
    if link is None or not link.is_usable(now or utcnow()):
        return None
    return link


def renewed_from(token: str, now: datetime | None = None) -> PrivateLink | None:
    """The link a reminder renewed this (now dead) token into, while that link is usable."""
    link = db.session.scalar(
        sa.select(PrivateLink).where(PrivateLink.replaced_token_hash == hash_token(token))
    )
    if link is None or not link.is_usable(now or utcnow()):
        return None
    return link


def label_of(link: PrivateLink) -> str:
    return open_text(link.label, link.encryption_context)


def email_of(link: PrivateLink) -> str:
    return open_text(link.email, link.encryption_context) if link.email else ""


def title_of(checkin_round: CheckinRound) -> str:
    return open_text(checkin_round.title, checkin_round.encryption_context)


def intro_of(checkin_round: CheckinRound | None) -> str:
    if checkin_round is None or not checkin_round.intro:
        return ""
    return open_text(checkin_round.intro, checkin_round.encryption_context)


def spend(link: PrivateLink, now: datetime | None = None) -> bool:
    """Mark a link answered unless it was answered (or revoked) meanwhile.

    One conditional UPDATE: of two devices sending the same link at once,
    exactly one wins; the other is told the answer was already sent.
    """
    now = now or utcnow()
    won = rows_changed(
        sa.update(PrivateLink)
        .where(
            PrivateLink.id == link.id,
            PrivateLink.answered_at.is_(None),
            PrivateLink.revoked_at.is_(None),
        )
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(won)


def attach(link: PrivateLink, submission_id: int) -> bool:
    """Tie a link's first saved answer to it, unless another tab saved one first."""
    won = rows_changed(
        sa.update(PrivateLink)
        .where(PrivateLink.id == link.id, PrivateLink.submission_id.is_(None))
        .values(submission_id=submission_id)
        .execution_options(synchronize_session=False)
    )
    return bool(won)


def answered_by_token(token: str) -> PrivateLink | None:
    """The private link of a token that was answered: its page says so, nothing more."""
    link = db.session.scalar(
        sa.select(PrivateLink).where(PrivateLink.token_hash == hash_token(token))
    )
    return link if link is not None and link.answered_at else None


# ---------------------------------------------------------------- what a person does with a link


class AlreadySent(Exception):
    """The link was answered meanwhile (another device or tab); nothing was stored."""


def _store(
    link: PrivateLink,
    definition: FormDefinition,
    answers: dict[str, Any],
    *,
    anonymous: bool,
    started_from: int | None,
    submit: bool,
) -> Submission:
    process = db.session.get_one(Process, link.process_id)
    record = db.session.get(Submission, link.submission_id) if link.submission_id else None
    link.anonymous = anonymous
    saved = service.save(
        process,
        definition,
        None,
        answers,
        submission=record,
        # Another tab of the same link may have saved since its page was opened.
        started_from=started_from if record else None,
        submit=submit,
    )
    if record is None and not attach(link, saved.submission.id):
        raise service.Conflict(saved.submission)
    link.submission_id = saved.submission.id
    return saved.submission


def keep_draft(
    link: PrivateLink,
    definition: FormDefinition,
    answers: dict[str, Any],
    *,
    anonymous: bool,
    started_from: int | None,
) -> Submission:
    """Keep what was typed so far, to continue or check later; raises Conflict."""
    return _store(
        link, definition, answers, anonymous=anonymous, started_from=started_from, submit=False
    )


def send_answer(
    link: PrivateLink,
    definition: FormDefinition,
    answers: dict[str, Any],
    *,
    anonymous: bool,
    started_from: int | None,
) -> Submission:
    """Send the answer; the link is spent. Raises AlreadySent, Conflict or RecordRefused.

    An answer exists for the contact group from the moment it is sent, not
    before, and an anonymous one carries no time finer than its day.
    """
    if not spend(link):
        raise AlreadySent()
    record = _store(
        link, definition, answers, anonymous=anonymous, started_from=started_from, submit=True
    )
    record.created_at = record.submitted_at or utcnow()
    link.answered_at = record.created_at
    if link.anonymous:
        anonymity.blur_answer(record)
        link.answered_at = anonymity.start_of_day(link.answered_at)
    return record


def confirm_receipt(link: PrivateLink) -> None:
    """He confirms that he received the written record of what was agreed (once)."""
    link.confirmed_at = link.confirmed_at or utcnow()
