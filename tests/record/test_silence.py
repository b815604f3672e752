"""The silence figures (R3) on hand-built timelines, to the day."""

import random
from datetime import date

import pytest

from intake.record.silence import Fact, Gap, figures, gaps, period

TODAY = date(2026, 6, 30)


def we(day: date) -> Fact:
    return Fact(day, his=False)


def he(day: date, *, real: bool = True) -> Fact:
    return Fact(day, his=True, real=real)


def met(day: date) -> Fact:
    return Fact(day, his=True, meeting=True)


def missed(day: date) -> Fact:
    return Fact(day, his=False, meeting=True)


# Jan 1 we write, Jan 15 we remind, Feb 10 he answers "received" (40 days after Jan 1),
# Mar 1 we write, Mar 11 he answers for real (10 days), Apr 1 we write,
# May 1 he misses the meeting, then nothing.
LOG = [
    we(date(2026, 1, 1)),
    we(date(2026, 1, 15)),
    he(date(2026, 2, 10), real=False),
    we(date(2026, 3, 1)),
    he(date(2026, 3, 11)),
    we(date(2026, 4, 1)),
    missed(date(2026, 5, 1)),
]


def test_exact_figures_whatever_the_order_of_entry() -> None:
    shuffled = LOG[:]
    random.Random(7).shuffle(shuffled)  # noqa: S311 - an order of entry, not a secret
    result = figures(shuffled, TODAY, steps_missed=1, steps_overdue=3)
    assert result.days_since_last_answer == 111  # Mar 11 -> Jun 30
    assert result.ever_answered
    assert result.unanswered_since_last_answer == 2  # Apr 1, and the missed meeting May 1
    assert result.longest_silence_days == 90  # Apr 1 -> Jun 30, still going
    assert result.average_days_to_answer == 25.0  # (40 + 10) / 2
    assert result.days_to_first_real_answer == 69  # Jan 1 -> Mar 11: Feb 10 only acknowledged
    assert result.days_to_first_meeting is None  # the only meeting he missed
    assert (result.meetings_held, result.meetings_missed) == (0, 1)
    assert result.steps_not_kept == 4


def test_a_meeting_he_came_to_is_an_answer() -> None:
    log = [we(date(2026, 1, 1)), met(date(2026, 1, 21)), we(date(2026, 2, 1))]
    result = figures(log, TODAY)
    assert result.days_since_last_answer == 160  # Jan 21 -> Jun 30
    assert result.unanswered_since_last_answer == 1
    assert result.days_to_first_real_answer == 20
    assert result.days_to_first_meeting == 20
    assert result.longest_silence_days == 149  # Feb 1 -> Jun 30
    assert (result.meetings_held, result.meetings_missed) == (1, 0)


def test_a_missed_meeting_is_an_unanswered_call() -> None:
    result = figures([missed(date(2026, 3, 1)), missed(date(2026, 4, 1))], TODAY)
    assert not result.ever_answered
    assert result.days_since_last_answer == 121  # from the first call: Mar 1
    assert result.unanswered_since_last_answer == 2
    assert result.longest_silence_days == 121


def test_never_answered_counts_from_the_first_message() -> None:
    result = figures([we(date(2026, 1, 1)), we(date(2026, 3, 1))], TODAY)
    assert not result.ever_answered
    assert result.days_since_last_answer == 180
    assert result.unanswered_since_last_answer == 2
    assert result.longest_silence_days == 180
    assert result.average_days_to_answer is None
    assert result.days_to_first_real_answer is None


def test_empty_log() -> None:
    result = figures([], TODAY)
    assert result.days_since_last_answer is None
    assert result.unanswered_since_last_answer == 0
    assert result.longest_silence_days == 0
    assert result.steps_not_kept == 0


def test_as_of_an_earlier_day_later_facts_are_left_out() -> None:
    result = figures(LOG, date(2026, 3, 5))
    assert result.days_since_last_answer == 23  # Feb 10 -> Mar 5
    assert result.unanswered_since_last_answer == 1  # Mar 1
    assert result.longest_silence_days == 40
    assert result.days_to_first_real_answer is None  # Mar 11 had not happened yet
    assert result.meetings_missed == 0


def test_same_day_answer_comes_before_our_message() -> None:
    result = figures([we(date(2026, 6, 1)), he(date(2026, 6, 1))], TODAY)
    assert result.unanswered_since_last_answer == 1
    assert result.longest_silence_days == 29


@pytest.mark.parametrize(
    ("log", "longest"),
    [
        ([he(date(2026, 1, 1))], 0),  # he wrote first: no silence of his
        ([we(date(2026, 1, 1)), he(date(2026, 1, 2)), we(date(2026, 6, 1))], 29),
        ([we(date(2025, 1, 1)), he(date(2026, 1, 1)), we(date(2026, 6, 29))], 365),
    ],
)
def test_longest_silence(log, longest) -> None:
    assert figures(log, TODAY).longest_silence_days == longest


def test_gaps_run_from_the_first_unanswered_call_to_his_answer() -> None:
    assert gaps(LOG, TODAY) == [
        Gap(date(2026, 1, 1), date(2026, 2, 10), ongoing=False),
        Gap(date(2026, 3, 1), date(2026, 3, 11), ongoing=False),
        Gap(date(2026, 4, 1), TODAY, ongoing=True),
    ]
    assert [g.days for g in gaps(LOG, TODAY)] == [40, 10, 90]


def test_period_counts_only_its_own_days() -> None:
    counted = period([*LOG, met(date(2026, 3, 20))], date(2026, 2, 1), date(2026, 3, 31))
    assert counted.messages_sent == 1  # Mar 1
    assert (counted.answers, counted.real_answers) == (2, 1)  # Feb 10 acknowledged, Mar 11
    assert (counted.meetings_held, counted.meetings_missed) == (1, 0)
