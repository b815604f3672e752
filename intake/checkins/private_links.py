"""Invitations without accounts: check-in rounds, his link, reminders and responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from intake.extensions import db
from intake.formdef.email_address import is_one_address
from intake.models import (
    Account,
    CheckinRound,
    Invitation,
    InvitationKind,
    Process,
    Submission,
    utcnow,
)
from intake.security.encryption import open_text, seal_text
from intake.security.tokens import hash_token, new_token

MAX_PEOPLE = 60


class InvitationError(ValueError):
    """An invitation request that cannot be carried out, in words for the person."""


@dataclass(frozen=True)
class Person:
    label: str
    email: str


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation as created or renewed: the token exists only here."""

    invitation: Invitation
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
            raise InvitationError(_l("Line %(n)d: start with a label, such as “partner”.", n=n))
        if len(label) > 80:
            raise InvitationError(_l("Line %(n)d: keep the label under 80 characters.", n=n))
        if email and not is_one_address(email):
            raise InvitationError(
                _l("Line %(n)d: “%(email)s” is not an email address.", n=n, email=email)
            )
        people.append(Person(label, email))
    if not people:
        raise InvitationError(_l("Add at least one person, one per line."))
    if len(people) > MAX_PEOPLE:
        raise InvitationError(_l("At most %(n)d people per round.", n=MAX_PEOPLE))
    return people


def _issue(
    process: Process,
    kind: InvitationKind,
    form_id: str,
    person: Person,
    days: int,
    by: Account,
    **extra,
) -> IssuedInvitation:
    token = new_token()
    context = f"process:{process.id}:invitation"
    invitation = Invitation(
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
    db.session.add(invitation)
    db.session.flush()
    return IssuedInvitation(invitation, token, person.label, person.email)


def start_round(
    process: Process,
    *,
    title: str,
    form_id: str,
    intro: str,
    people: list[Person],
    days: int,
    by: Account,
) -> tuple[CheckinRound, list[IssuedInvitation]]:
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
        _issue(process, InvitationKind.CHECKIN, form_id, p, days, by, round_id=checkin_round.id)
        for p in people
    ]
    return checkin_round, issued


def invite_him(
    process: Process, minutes: Submission, *, email: str, days: int, by: Account
) -> IssuedInvitation:
    """His link: the agreed steps of these minutes, a receipt button and the reflection form."""
    return _issue(
        process,
        InvitationKind.HIM,
        "reflection",
        Person("him", email),
        days,
        by,
        minutes_id=minutes.id,
    )


def renew(invitation: Invitation, days: int) -> IssuedInvitation:
    """A fresh link for the same invitation (a reminder); the old link stops working."""
    if invitation.answered_at:
        raise InvitationError(_l("This person has already answered."))
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.revoked_at = None
    invitation.expires_at = max(invitation.expires_at, utcnow() + timedelta(days=days))
    db.session.flush()
    return IssuedInvitation(invitation, token, label_of(invitation), email_of(invitation))


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = invitation.revoked_at or utcnow()


def by_token(token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation for a link, only while it can still be used."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or not invitation.is_usable(now or utcnow()):
        return None
    return invitation


def label_of(invitation: Invitation) -> str:
    return open_text(invitation.label, invitation.encryption_context)


def email_of(invitation: Invitation) -> str:
    return open_text(invitation.email, invitation.encryption_context) if invitation.email else ""


def title_of(checkin_round: CheckinRound) -> str:
    return open_text(checkin_round.title, checkin_round.encryption_context)


def intro_of(checkin_round: CheckinRound | None) -> str:
    if checkin_round is None or not checkin_round.intro:
        return ""
    return open_text(checkin_round.intro, checkin_round.encryption_context)


def spend(invitation: Invitation, now: datetime | None = None) -> bool:
    """Mark a link answered unless it was answered (or revoked) meanwhile.

    One conditional UPDATE: of two devices sending the same link at once,
    exactly one wins; the other is told the answer was already sent.
    """
    now = now or utcnow()
    won = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.answered_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(won)


def attach(invitation: Invitation, submission_id: int) -> bool:
    """Tie a link's first saved answer to it, unless another tab saved one first."""
    won = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.submission_id.is_(None))
        .values(submission_id=submission_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(won)


def answered_by_token(token: str) -> Invitation | None:
    """The invitation of a link that was answered: its page says so, nothing more."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    return invitation if invitation is not None and invitation.answered_at else None
