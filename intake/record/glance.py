"""Where a process stands, in ten seconds: the at-a-glance page's figures.

Every part is fetched with a fixed number of queries, however many years of
records a process has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from intake.extensions import db
from intake.labels import format_day
from intake.models import (
    AgreedStep,
    Direction,
    MeetingKind,
    MeetingState,
    Process,
    StepStatus,
)
from intake.record import demands, log_version, meetings, silence_db, steps
from intake.record.contact_log import entries_of
from intake.record.silence import Fact, Silence
from intake.record.silence_db import figures_in_db
from intake.record.timeline import Lane, draw

TIMELINE_MONTHS = 12


@dataclass(frozen=True)
class Glance:
    demands: list[demands.DemandView]
    silence: Silence
    cadence: meetings.Cadence
    steps: steps.Pressing  # open and missed: a step not kept stays in sight
    timeline: Markup
    pending_amendments: int


def _not_kept(today: date) -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """(missed, overdue) as of ``today``: columns of a question about a process's steps.

    As of an earlier day, a step closed after it still counts as it stood then: missed
    only once it was missed, overdue while it was open past its deadline; a step agreed
    after it not at all.
    """
    closed_by_then = sa.and_(
        AgreedStep.status != StepStatus.OPEN,
        AgreedStep.status_on.is_not(None),
        AgreedStep.status_on <= today,
    )
    agreed_by_then = AgreedStep.agreed_on <= today
    overdue = sa.and_(agreed_by_then, sa.not_(closed_by_then), AgreedStep.deadline < today)
    missed = sa.and_(agreed_by_then, AgreedStep.status == StepStatus.MISSED, closed_by_then)
    return sa.func.count(AgreedStep.id).filter(missed), sa.func.count(AgreedStep.id).filter(overdue)


def steps_not_kept(process: Process, today: date) -> tuple[int, int]:
    """(missed, overdue) agreed steps as of ``today``, counted in the database."""
    row = db.session.execute(
        sa.select(*_not_kept(today)).where(AgreedStep.process_id == process.id)
    ).one()
    return row[0], row[1]


def facts_of(process: Process) -> list[Fact]:
    """The calls on him and his answers, from the contact log and the meetings with him."""
    return silence_db.facts(process)


def silence_of(process: Process, today: date, not_kept: tuple[int, int] | None = None) -> Silence:
    """The figures as of ``today``, counted in the database (``silence_db``); those of the
    log are kept until it changes (``log_version``), the steps' are counted each time
    (``not_kept``: ``steps_not_kept``, unless the caller has counted them)."""
    missed, overdue = steps_not_kept(process, today) if not_kept is None else not_kept
    of_log = log_version.kept(
        ("silence", process.id, process.log_version, today),
        lambda: figures_in_db(process, today),
    )
    return replace(of_log, steps_missed=missed, steps_overdue=overdue)


def timeline(process: Process, start: date, end: date, meeting_views=None) -> Markup:
    """The picture from ``start`` to ``end``; the meetings with him of that span are read
    from the database unless ``meeting_views`` (all meetings) are at hand."""
    if meeting_views is not None:
        with_him = [
            (m.starts_at.date(), m.state) for m in meeting_views if m.kind is MeetingKind.WITH_HIM
        ]
    else:
        with_him = meetings.days_with_him(process, start, end)
    log = entries_of(process, start, end)
    lanes = [
        Lane(_("Messages sent"), [d for d, w in log if w is Direction.WE_WROTE], "dot", "#2f5d62"),
        Lane(_("His answers"), [d for d, w in log if w is Direction.HE_WROTE], "dot", "#c77d00"),
        Lane(
            _("Meetings held"),
            [day for day, state in with_him if state is MeetingState.HELD],
            "square",
            "#2f5d62",
        ),
        Lane(
            _("Meetings missed"),
            [day for day, state in with_him if state is MeetingState.MISSED],
            "cross",
            "#a4262c",
        ),
    ]
    title = _(
        "Contacts and meetings from %(start)s to %(end)s",
        start=format_day(start, "medium"),
        end=format_day(end, "medium"),
    )
    return draw(lanes, start, end, title, month_label=lambda d: format_day(d, "MMM"))


def glance(process: Process, today: date) -> Glance:
    demand_list = demands.demand_views(process)
    start = today - timedelta(days=round(TIMELINE_MONTHS * 30.44))
    # The steps' figures of the page, the silence's and the list's, in one question.
    missed, overdue, still_open, missed_in_all = db.session.execute(
        sa.select(*_not_kept(today), *steps.standing()).where(AgreedStep.process_id == process.id)
    ).one()
    return Glance(
        demands=demand_list,
        silence=silence_of(process, today, (missed, overdue)),
        cadence=meetings.cadence_of(process, today),
        steps=steps.pressing(
            process,
            today,
            counts=(still_open, missed_in_all),
            numbers={d.id: d.number for d in demand_list},
        ),
        # The picture shows only the log (contact entries, meetings with him): kept with it.
        timeline=log_version.kept(
            ("timeline", process.id, process.log_version, start, today, str(get_locale())),
            lambda: timeline(process, start, today),
        ),
        pending_amendments=sum(
            1 for d in demand_list for a in d.amendments if a.state.value == "proposed"
        ),
    )
