"""Silence is a record (R3): figures computed from the log, never typed in.

What counts, so that a figure means the same thing every time:

- **His answer** is a message from him, or a meeting with him that took place.
  A message marked as only an acknowledgement ("received") ends a silence, but
  is not a *real* answer.
- **A call on him** is a message from us, or a meeting with him that he did not
  come to: a missed meeting is an unanswered message.
- Contacts with someone else, planned and cancelled meetings are neither.
- Everything is counted by the day it happened, as of a chosen day: what
  happened after that day is left out, however late it was entered.

The wording of each figure, when it is marked, and of how it is counted lives
here (``shown`` and ``DEFINITIONS``), the one place the at-a-glance page, the
contact log and the report-back all read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Fact:
    """One countable happening: a call on him, or an answer of his."""

    day: date
    his: bool  # an answer of his; otherwise a call on him
    meeting: bool = False
    real: bool = True  # for his messages: False when only an acknowledgement


@dataclass(frozen=True)
class Silence:
    days_since_last_answer: int | None  # None: nothing happened yet
    ever_answered: bool
    unanswered_since_last_answer: int
    longest_silence_days: int
    average_days_to_answer: float | None
    days_to_first_real_answer: int | None  # None: no real answer after our first message
    days_to_first_meeting: int | None  # None: no meeting with him took place after it
    meetings_held: int
    meetings_missed: int
    steps_missed: int
    steps_overdue: int

    @property
    def steps_not_kept(self) -> int:
        return self.steps_missed + self.steps_overdue


@dataclass(frozen=True)
class Period:
    """What happened between two days, counted the same way as the totals."""

    since: date
    until: date
    messages_sent: int
    answers: int
    real_answers: int
    meetings_held: int
    meetings_missed: int


@dataclass(frozen=True)
class Gap:
    """A silence: from a call he left unanswered to his next answer (or to the day counted)."""

    start: date
    end: date
    ongoing: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _ordered(facts: Iterable[Fact], today: date) -> list[Fact]:
    # On one day, his answers come before our calls: a message of ours sent the
    # same day as his answer is still waiting for the next one.
    return sorted((f for f in facts if f.day <= today), key=lambda f: (f.day, not f.his))


def gaps(facts: Iterable[Fact], today: date) -> list[Gap]:
    """Every silence up to ``today``, oldest first."""
    found = []
    waiting_since: date | None = None
    for fact in _ordered(facts, today):
        if not fact.his:
            waiting_since = waiting_since or fact.day
        elif waiting_since is not None:
            found.append(Gap(waiting_since, fact.day, ongoing=False))
            waiting_since = None
    if waiting_since is not None:
        found.append(Gap(waiting_since, today, ongoing=True))
    return found


def figures(
    facts: Iterable[Fact], today: date, *, steps_missed: int = 0, steps_overdue: int = 0
) -> Silence:
    """The R3 figures as of ``today``, for facts in any order."""
    ordered = _ordered(facts, today)
    calls = [f for f in ordered if not f.his]
    answers = [f for f in ordered if f.his]
    first_call = min((f.day for f in calls if not f.meeting), default=None)
    last_answer = answers[-1].day if answers else None
    found = gaps(ordered, today)
    waits = [g.days for g in found if not g.ongoing]
    start = last_answer or (calls[0].day if calls else None)

    def days_from_first_call(condition) -> int | None:
        if first_call is None:
            return None
        later = [f.day for f in answers if f.day >= first_call and condition(f)]
        return (later[0] - first_call).days if later else None

    return Silence(
        days_since_last_answer=(today - start).days if start else None,
        ever_answered=last_answer is not None,
        unanswered_since_last_answer=sum(
            1 for f in calls if last_answer is None or f.day >= last_answer
        ),
        longest_silence_days=max((g.days for g in found), default=0),
        average_days_to_answer=round(sum(waits) / len(waits), 1) if waits else None,
        days_to_first_real_answer=days_from_first_call(lambda f: f.meeting or f.real),
        days_to_first_meeting=days_from_first_call(lambda f: f.meeting),
        meetings_held=sum(1 for f in answers if f.meeting),
        meetings_missed=sum(1 for f in calls if f.meeting),
        steps_missed=steps_missed,
        steps_overdue=steps_overdue,
    )


def period(facts: Iterable[Fact], since: date, until: date) -> Period:
    """The counts of one period, from ``since`` to ``until``, both included."""
    within = [f for f in facts if since <= f.day <= until]
    return Period(
        since=since,
        until=until,
        messages_sent=sum(1 for f in within if not f.his and not f.meeting),
        answers=sum(1 for f in within if f.his and not f.meeting),
        real_answers=sum(1 for f in within if f.his and not f.meeting and f.real),
        meetings_held=sum(1 for f in within if f.his and f.meeting),
        meetings_missed=sum(1 for f in within if not f.his and f.meeting),
    )


# How each figure is counted, in the words the page and the report-back show.
DEFINITIONS = (
    (
        _l("Days since his last answer"),
        _l(
            "From his last answer (a message from him, or a meeting with him that took place) "
            "to the day counted. If he never answered: from the first time we called on him."
        ),
    ),
    (
        _l("Unanswered since then"),
        _l("Our messages, and meetings with him he did not come to, since his last answer."),
    ),
    (
        _l("Longest silence"),
        _l(
            "The longest time from a message of ours or a missed meeting he left unanswered "
            "to his next answer, or to the day counted if he has not answered yet."
        ),
    ),
    (
        _l("Average days until he answered"),
        _l("Over the silences he ended, from our first unanswered message to his answer."),
    ),
    (
        _l("Days to his first real answer"),
        _l(
            "From our first message to his first real answer, or the first meeting with him. "
            "A reply marked as only an acknowledgement ends a silence but does not count here."
        ),
    ),
    (
        _l("Days to the first meeting"),
        _l("From our first message to the first meeting with him that took place."),
    ),
    (
        _l("Meetings held and missed"),
        _l("Meetings with him that took place, and those he did not come to."),
    ),
    (
        _l("Agreed steps not kept"),
        _l("Steps marked as missed, and open steps past their deadline (overdue)."),
    ),
)


@dataclass(frozen=True)
class Shown:
    """One figure as the page and the report-back show it."""

    label: str
    value: str
    alarm: bool = False  # marked in red
    note: str = ""  # what the figure is made of, when it is not obvious


def shown(silence: Silence, alarm_days: int) -> list[Shown]:
    """The figures in the order, words and marks both the page and the report-back use.

    ``alarm_days``: the group's limit; a silence longer than it is marked.
    """
    s = silence

    def days(value: int | None, missing: str) -> str:
        return str(value) if value is not None else missing

    return [
        Shown(
            _("Days since his last answer")
            if s.ever_answered
            else _("Days without any answer from him"),
            days(s.days_since_last_answer, "–"),
            alarm=bool(s.days_since_last_answer and s.days_since_last_answer > alarm_days),
        ),
        Shown(
            _("Unanswered since then"),
            str(s.unanswered_since_last_answer),
            alarm=bool(s.unanswered_since_last_answer),
        ),
        Shown(
            _("Longest silence, in days"),
            str(s.longest_silence_days),
            alarm=s.longest_silence_days > alarm_days,
        ),
        Shown(
            _("Average days until he answered"),
            str(s.average_days_to_answer) if s.average_days_to_answer is not None else "–",
        ),
        Shown(_("Days to his first real answer"), days(s.days_to_first_real_answer, _("none yet"))),
        Shown(_("Days to the first meeting"), days(s.days_to_first_meeting, _("none yet"))),
        Shown(
            _("Meetings held / missed"),
            f"{s.meetings_held} / {s.meetings_missed}",
            alarm=bool(s.meetings_missed),
        ),
        Shown(
            _("Agreed steps not kept"),
            str(s.steps_not_kept),
            alarm=bool(s.steps_not_kept),
            note=_(
                "%(missed)d missed, %(overdue)d overdue",
                missed=s.steps_missed,
                overdue=s.steps_overdue,
            )
            if s.steps_not_kept
            else "",
        ),
    ]
