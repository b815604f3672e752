"""Silence is a record (R3): figures computed from the log, never typed in.

Definitions, so that the numbers mean the same thing every time:
- *days since his last answer*: from the last message he sent to today; if he
  never answered, from our first message.
- *unanswered messages*: messages we sent after his last answer.
- *longest silence*: the longest stretch from a message of ours that he had not
  answered to his next answer (or to today, if he still has not answered).
- *average time to answer*: over his answers that followed a message of ours,
  the days from our earliest unanswered message to his answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from intake.models import Direction


@dataclass(frozen=True)
class Silence:
    days_since_last_answer: int | None  # None: nothing was ever sent
    ever_answered: bool
    unanswered_since_last_answer: int
    longest_silence_days: int
    average_days_to_answer: float | None
    meetings_missed: int
    steps_overdue: int


def figures(
    log: Iterable[tuple[date, Direction]],
    today: date,
    *,
    meetings_missed: int = 0,
    steps_overdue: int = 0,
) -> Silence:
    """The R3 figures for a log of (day, direction), in any order."""
    entries = sorted(
        (day, direction) for day, direction in log if direction is not Direction.SOMEONE_ELSE
    )
    first_sent: date | None = None
    last_answer: date | None = None
    waiting_since: date | None = None  # our earliest message he has not answered
    unanswered = 0
    longest = 0
    waits: list[int] = []
    for day, direction in entries:
        if direction is Direction.WE_WROTE:
            first_sent = first_sent or day
            if waiting_since is None:
                waiting_since = day
            unanswered += 1
        else:
            last_answer = day
            if waiting_since is not None:
                wait = (day - waiting_since).days
                waits.append(wait)
                longest = max(longest, wait)
            waiting_since = None
            unanswered = 0
    if waiting_since is not None:
        longest = max(longest, (today - waiting_since).days)
    start = last_answer or first_sent
    return Silence(
        days_since_last_answer=(today - start).days if start else None,
        ever_answered=last_answer is not None,
        unanswered_since_last_answer=unanswered,
        longest_silence_days=longest,
        average_days_to_answer=round(sum(waits) / len(waits), 1) if waits else None,
        meetings_missed=meetings_missed,
        steps_overdue=steps_overdue,
    )
