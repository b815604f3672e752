"""The silence figures (R3) on a hand-built timeline, to the day."""

from datetime import date

import pytest

from intake.models import Direction
from intake.silence import figures

W, H, ELSE = Direction.WE_WROTE, Direction.HE_WROTE, Direction.SOMEONE_ELSE
TODAY = date(2026, 6, 30)

# Jan 1 we write, Jan 15 we remind, Feb 10 he answers (40 days after Jan 1),
# Mar 1 we write, Mar 11 he answers (10 days), then Apr 1 and May 1 we write, no answer.
LOG = [
    (date(2026, 1, 1), W),
    (date(2026, 1, 15), W),
    (date(2026, 1, 20), ELSE),  # someone else: not part of his silence
    (date(2026, 2, 10), H),
    (date(2026, 3, 1), W),
    (date(2026, 3, 11), H),
    (date(2026, 4, 1), W),
    (date(2026, 5, 1), W),
]


def test_exact_figures() -> None:
    result = figures(reversed(LOG), TODAY, meetings_missed=2, steps_overdue=3)
    assert result.days_since_last_answer == 111  # Mar 11 -> Jun 30
    assert result.ever_answered
    assert result.unanswered_since_last_answer == 2  # Apr 1, May 1
    assert result.longest_silence_days == 90  # Apr 1 -> Jun 30, still going
    assert result.average_days_to_answer == 25.0  # (40 + 10) / 2
    assert result.meetings_missed == 2
    assert result.steps_overdue == 3


def test_never_answered_counts_from_first_message() -> None:
    result = figures([(date(2026, 1, 1), W), (date(2026, 3, 1), W)], TODAY)
    assert not result.ever_answered
    assert result.days_since_last_answer == 180
    assert result.unanswered_since_last_answer == 2
    assert result.longest_silence_days == 180
    assert result.average_days_to_answer is None


def test_empty_log() -> None:
    result = figures([], TODAY)
    assert result.days_since_last_answer is None
    assert result.unanswered_since_last_answer == 0
    assert result.longest_silence_days == 0


@pytest.mark.parametrize(
    ("log", "longest"),
    [
        ([(date(2026, 1, 1), H)], 0),  # he wrote first: no silence of his
        ([(date(2026, 1, 1), W), (date(2026, 1, 2), H), (date(2026, 6, 1), W)], 29),
        ([(date(2025, 1, 1), W), (date(2026, 1, 1), H), (date(2026, 6, 29), W)], 365),
    ],
)
def test_longest_silence(log, longest) -> None:
    assert figures(log, TODAY).longest_silence_days == longest
