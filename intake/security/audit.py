"""Writing and reading the audit log. Actions and ids only: no answer text, token or name."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from intake.extensions import db
from intake.models import Account, AuditEvent, Process
from intake.record import paging
from intake.record.sqldays import day_of

ACTIONS = {
    "signin": lambda: _("signed in"),
    "signin-failed": lambda: _("failed sign-in"),
    "signout": lambda: _("signed out"),
    "password-changed": lambda: _("changed their password"),
    "process-created": lambda: _("created a process"),
    "member-added": lambda: _("added a member"),
    "member-asked": lambda: _("asked an existing account to join"),
    "joining-accepted": lambda: _("accepted an invitation to join"),
    "joining-declined": lambda: _("declined an invitation to join"),
    "joining-withdrawn": lambda: _("withdrew an invitation to join"),
    "member-removed": lambda: _("removed a member"),
    "coordinator-changed": lambda: _("changed who coordinates"),
    "setup-link-issued": lambda: _("issued a set-up link"),
    "amendment-proposed": lambda: _("proposed an amendment"),
    "amendment-approved": lambda: _("approved an amendment"),
    "amendment-rejected": lambda: _("did not approve an amendment"),
    "invitations-created": lambda: _("created check-in links"),
    "invitation-renewed": lambda: _("sent a reminder link"),
    "invitation-revoked": lambda: _("revoked a link"),
    "invitation-mail-retried": lambda: _("tried again to mail a link"),
    "his-link-created": lambda: _("created his link"),
    "cadence-changed": lambda: _("changed the meeting rhythm"),
    "demand-status-recorded": lambda: _("recorded a demand's status"),
    "answer-typed-in": lambda: _("typed in a check-in answer from a conversation or a letter"),
    "log-imported": lambda: _("imported contact-log entries and meetings from a spreadsheet"),
    "silence-alarm-changed": lambda: _("changed when a silence is marked"),
    "report-requested": lambda: _("asked for a report-back"),
    "report-released": lambda: _("released a report-back"),
    "report-restarted": lambda: _("started a report-back again that could not be made"),
    "report-withdrawn": lambda: _("withdrew a report-back"),
    "report-read": lambda: _("downloaded a report-back"),
    "document-read": lambda: _("downloaded a record as PDF"),
    "record-shared": lambda: _("changed sharing with the support group"),
    "second-factor-on": lambda: _("turned on a second factor"),
    "second-factor-off": lambda: _("turned off the second factor"),
    "second-factor-reset": lambda: _("turned off a second factor for a new set-up link"),
    "second-factor-required": lambda: _("changed whether a second factor is required"),
    "process-exported": lambda: _("exported the whole process"),
    "process-erased": lambda: _("erased a process"),
    "retention-changed": lambda: _("changed the day the process is erased"),
    "act-requested": lambda: _("asked a second coordinator to confirm"),
    "act-confirmed": lambda: _("confirmed what another coordinator asked"),
    "act-declined": lambda: _("declined what another coordinator asked"),
    "exit-site-changed": lambda: _("changed where “Exit this page” leads"),
    "access-refused": lambda: _("was refused a page or record that is not theirs"),
    "questionnaire-created": lambda: _("started a questionnaire"),
    "questionnaire-imported": lambda: _("imported a questionnaire as a draft"),
    "questionnaire-published": lambda: _("published a questionnaire"),
}


def record(
    action: str,
    *,
    process: Process | None = None,
    subject: str = "",
    actor: Account | None = None,
    unnamed: bool = False,
) -> None:
    """Add an event to the session; it is written with the change it describes.

    ``unnamed``: the person acting is not named in this process's log (someone who
    declined to join it was never part of it, and their name is not its business).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if unnamed:
        actor = None
    elif actor is None and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    db.session.add(
        AuditEvent(
            process_id=process.id if process else None,
            actor_id=actor.id if actor else None,
            action=action,
            subject=subject[:60],
        )
    )


def events_page(
    process: Process | None,
    *,
    before: paging.Cursor | None = None,
    after: paging.Cursor | None = None,
    size: int = paging.PAGE_SIZE,
) -> paging.Page:
    """One page of the log, newest first; ids follow the order events were written."""
    query = sa.select(AuditEvent).options(selectinload(AuditEvent.actor))
    if process is None:
        query = query.where(AuditEvent.process_id.is_(None))
    else:
        query = query.where(AuditEvent.process_id == process.id)
    return paging.newest_first(
        query,
        day_of(AuditEvent.at),
        AuditEvent.id,
        before=before,
        after=after,
        size=size,
        key=lambda event: (event.at.date(), event.id),
    )


def action_label(action: str) -> str:
    return ACTIONS.get(action, lambda: action)()


# Marks an event done from the server's command line (see ``intake.cli``).
FROM_COMMAND_LINE = " cli"


def actor_label(event: AuditEvent) -> str:
    """Who did it, in words: a member's name, or what stands in for a person."""
    if event.actor is not None:
        return event.actor.display_name
    if event.subject.endswith(FROM_COMMAND_LINE):
        return _("the instance's command line")
    if event.action == "joining-declined":
        return _("the person asked")
    return _("someone without an account")
