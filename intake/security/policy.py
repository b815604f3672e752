"""Need to know: who may do what in a process, written down once.

This module is the product's promise to the people in a process. Each group
reads and does only what its part in the process needs:

- the **support group** speaks for the survivor: it hands over and amends the
  demands, approves or refuses amendments the contact group proposes, and reads
  what the contact group chose to share with it (single minutes) and the
  report-backs, if the survivor asked to be kept informed;
- the **contact group** does the work of staying in touch with him: it keeps
  meetings, agreed steps, the contact log and check-ins, writes the process's
  own questionnaires (its coordinators publish them), searches and exports the
  process, and asks for, releases and withdraws report-backs;
- the **central group** reads released report-backs, nothing else of the record;
- **coordinators** of each group manage their own group's members and the
  process's safety settings, and read the audit log; what the whole process
  depends on (erasing it, its erase day, the second factor for everyone) also
  needs a second coordinator, see :mod:`intake.people.confirmations`.

``RULES`` is the table of acts and the groups that may do them. Every process
page names its act with ``@allow(Act.…)`` (:mod:`intake.security.access`
refuses the rest with a 404); templates ask ``may("act")``. Rules that depend on
a thing's state (a draft, a shared record, a released report-back) are the
``may_*`` functions below, used by the pages and the exports alike.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from intake.formdef.model import FormDefinition
from intake.models import Membership, ReportBack, ReportState, Role, Submission, SubmissionStatus

SUPPORT, CONTACT, CENTRAL = Role.SUPPORT, Role.CONTACT, Role.CENTRAL
EVERYONE = frozenset(Role)


class Act(enum.StrEnum):
    """What a member may set out to do in a process; the value is what templates ask for."""

    SEE_OVERVIEW = "overview.see"
    SEE_MEMBERS = "members.see"
    MANAGE_MEMBERS = "members.manage"
    DECIDE_REQUESTS = "requests.decide"
    SET_SAFETY = "safety.set"  # second factor for everyone, where "Exit this page" leads
    READ_AUDIT_LOG = "audit.read"
    READ_DEMANDS = "demands.read"
    PROPOSE_AMENDMENT = "demands.amend"
    DECIDE_AMENDMENT = "demands.decide"
    RECORD_DEMAND_STATUS = "demands.status"
    KEEP_MEETINGS = "meetings.keep"
    KEEP_STEPS = "steps.keep"
    KEEP_CONTACT_LOG = "log.keep"
    READ_CHRONOLOGY = "chronology.read"
    SEARCH = "search"
    SEND_CHECKINS = "checkins.send"
    BUILD_QUESTIONNAIRES = "questionnaires.build"  # the process's own: write, preview, import
    PUBLISH_QUESTIONNAIRES = "questionnaires.publish"
    USE_FORMS = "forms.use"  # which forms and records: see may_fill / may_read below
    SHARE_MINUTES = "minutes.share"
    SEE_REPORTS = "reports.see"  # which ones: see may_download_report below
    MAKE_REPORTS = "reports.make"  # ask for, release and withdraw
    EXPORT = "export"
    ERASE = "erase"


@dataclass(frozen=True)
class Rule:
    groups: frozenset[Role]
    coordinators_only: bool = False


def _rule(*groups: Role, coordinators_only: bool = False) -> Rule:
    return Rule(frozenset(groups) or EVERYONE, coordinators_only)


# Act                              which groups                      coordinators only
RULES: dict[Act, Rule] = {
    Act.SEE_OVERVIEW: _rule(),
    Act.SEE_MEMBERS: _rule(),
    Act.MANAGE_MEMBERS: _rule(coordinators_only=True),
    Act.DECIDE_REQUESTS: _rule(coordinators_only=True),
    Act.SET_SAFETY: _rule(coordinators_only=True),
    Act.READ_AUDIT_LOG: _rule(coordinators_only=True),
    Act.READ_DEMANDS: _rule(SUPPORT, CONTACT),
    Act.PROPOSE_AMENDMENT: _rule(SUPPORT, CONTACT),
    Act.DECIDE_AMENDMENT: _rule(SUPPORT),
    Act.RECORD_DEMAND_STATUS: _rule(CONTACT),
    Act.KEEP_MEETINGS: _rule(CONTACT),
    Act.KEEP_STEPS: _rule(CONTACT),
    Act.KEEP_CONTACT_LOG: _rule(CONTACT),
    Act.READ_CHRONOLOGY: _rule(CONTACT),
    Act.SEARCH: _rule(SUPPORT, CONTACT),
    Act.SEND_CHECKINS: _rule(CONTACT),
    Act.BUILD_QUESTIONNAIRES: _rule(CONTACT),
    Act.PUBLISH_QUESTIONNAIRES: _rule(CONTACT, coordinators_only=True),
    Act.USE_FORMS: _rule(),
    Act.SHARE_MINUTES: _rule(CONTACT),
    Act.SEE_REPORTS: _rule(),
    Act.MAKE_REPORTS: _rule(CONTACT),
    Act.EXPORT: _rule(CONTACT, coordinators_only=True),
    Act.ERASE: _rule(CONTACT, coordinators_only=True),
}

# Forms whose submissions the contact group may show the support group, one by one.
SHAREABLE_FORMS = frozenset({"minutes"})


def may(membership: Membership | None, act: Act | str) -> bool:
    """May this member do this act? An unknown act is a mistake in the code, not a no."""
    rule = RULES[Act(act)]
    if membership is None:
        return False
    if rule.coordinators_only and not membership.is_coordinator:
        return False
    return membership.role in rule.groups


def may_fill(membership: Membership, form: FormDefinition) -> bool:
    """Forms say which groups fill them in (``fill`` in ``forms/*.yaml``)."""
    return membership.role.value in form.fill


def may_read_form(membership: Membership, form: FormDefinition) -> bool:
    """Forms say which groups read every answer of a submission (``read``)."""
    return membership.role.value in form.read


def may_read_submission(
    membership: Membership, submission: Submission, form: FormDefinition
) -> bool:
    """A submission of this form, as it stands.

    A draft belongs to those who fill the form in: an unfinished handover is the
    support group's, a check-in not yet sent is nobody's but the link holder's.
    The contact group may share single submissions (minutes) with the support
    group, which then reads what those forms share.
    """
    if submission.is_draft:
        return may_fill(membership, form)
    if may_read_form(membership, form):
        return True
    return membership.role is SUPPORT and submission.shared_with_support


def readable_submissions(
    membership: Membership, forms: Iterable[FormDefinition]
) -> sa.ColumnElement[bool]:
    """``may_read_submission`` as a query condition, for lists of many submissions."""
    forms = list(forms)
    fillable = [f.id for f in forms if may_fill(membership, f)]
    reads = [f.id for f in forms if may_read_form(membership, f)]
    draft = Submission.status == SubmissionStatus.DRAFT
    rules = [
        sa.and_(draft, Submission.form_id.in_(fillable)),
        sa.and_(sa.not_(draft), Submission.form_id.in_(reads)),
    ]
    if membership.role is SUPPORT:
        rules.append(sa.and_(sa.not_(draft), Submission.shared_with_support.is_(True)))
    return sa.and_(Submission.form_id.in_([f.id for f in forms]), sa.or_(*rules))


def may_read_version(
    membership: Membership, status: SubmissionStatus, form: FormDefinition
) -> bool:
    """An earlier version of a submission: drafts before it was sent only for those who fill it.

    What the contact group shares, or the support group hands over, is what was submitted.
    """
    return status is not SubmissionStatus.DRAFT or may_fill(membership, form)


def may_share(membership: Membership, submission: Submission) -> bool:
    """The contact group shows single minutes to the support group, or stops showing them."""
    return (
        may(membership, Act.SHARE_MINUTES)
        and not submission.is_draft
        and submission.form_id in SHAREABLE_FORMS
    )


def may_see_his_links(membership: Membership, submission: Submission) -> bool:
    """The links that sent him the agreed steps of these minutes: the contact group's work."""
    return submission.form_id == "minutes" and may(membership, Act.SEND_CHECKINS)


def may_see_report(
    membership: Membership, report: ReportBack, survivor_wants_updates: bool
) -> bool:
    """The contact group sees every report-back it asked for; others those they may download."""
    if may(membership, Act.MAKE_REPORTS):
        return True
    return may_download_report(membership, report, survivor_wants_updates)


def may_download_report(
    membership: Membership, report: ReportBack, survivor_wants_updates: bool
) -> bool:
    """Contact group: once rendered; central group: released; support group: released,
    and only if the survivor asked to be kept informed (her answer in the handover)."""
    if membership.role is CONTACT:
        return report.pdf is not None
    if report.state is not ReportState.RELEASED:
        return False
    if membership.role is CENTRAL:
        return True
    return membership.role is SUPPORT and survivor_wants_updates


def members_visible_to(membership: Membership, members: list[Membership]) -> list[Membership]:
    """The contact group and coordinators see everyone in the process; others see their own
    group and the coordinators they can turn to, nothing more."""
    if membership.is_coordinator or membership.role is CONTACT:
        return members
    return [m for m in members if m.role is membership.role or m.is_coordinator]


def offers_quick_exit(membership: Membership | None) -> bool:
    """The support group's pages carry "Exit this page": whoever writes them may need to
    leave the screen at once. (Pages reached by a private link carry it too.)"""
    return membership is not None and membership.role is SUPPORT
