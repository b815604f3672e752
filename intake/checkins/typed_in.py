"""A check-in answer a member types in, from a conversation, a phone call or a letter.

Some people around him will not open a link but will talk. A contact-group member then
types the answers in for them, dated by the day of the conversation, as their answer to
that round: the person's link stops working, and anything begun through it and never
sent is discarded (it was never the group's to read). Such an answer is never anonymous,
since the member knows who gave it; quoting follows what the person agreed to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from intake.checkins import private_links
from intake.extensions import db
from intake.models import Account, LinkKind, PrivateLink, Process, Submission, utcnow
from intake.submissions import service


class TypedInError(ValueError):
    """The answer cannot be typed in like this, in words for the person."""


def check_day(day: date, today: date) -> None:
    # Earlier days are allowed: a group catching up types in conversations from before it
    # used intake, even before the round that asks these questions was started here.
    if day > today:
        raise TypedInError(_l("That day is still to come: give the day you spoke with them."))


def may_type_in(link: PrivateLink) -> bool:
    return link.kind is LinkKind.CHECKIN and link.answered_at is None


def type_in(
    process: Process, link: PrivateLink, answers: dict[str, Any], day: date, by: Account
) -> Submission:
    """Store the answer as this person's, dated ``day``; their link stops working."""
    if not may_type_in(link):
        raise TypedInError(_l("This person has answered already."))
    definition = service.known_definition(link.form_id, process)
    if link.submission_id is not None:
        unsent = db.session.get(Submission, link.submission_id)
        link.submission_id = None
        if unsent is not None and unsent.is_draft:
            db.session.delete(unsent)
        db.session.flush()
    saved = service.save(process, definition, by, answers, submit=True)
    saved.submission.happened_on = day
    link.submission_id = saved.submission.id
    link.answered_at = utcnow()
    link.anonymous = False
    private_links.revoke(link)
    db.session.flush()
    return saved.submission
