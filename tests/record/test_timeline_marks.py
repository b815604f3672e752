"""The timeline picture draws a run of marks closer than a unit as one shape."""

from datetime import date, timedelta

from intake.record.timeline import Lane, draw
from tests.fonts import width

START, END = date(2021, 1, 1), date(2025, 12, 31)


def _picture(days: list[date], shape: str = "dot") -> str:
    return str(draw([Lane("Messages sent", days, shape, "#2f5d62")], START, END, "t"))


def test_five_years_of_daily_messages_are_a_few_bars_not_thousands_of_dots():
    days = [START + timedelta(days=n) for n in range((END - START).days + 1)]
    picture = _picture(days + days)  # two messages a day
    assert "Messages sent (3652)" in picture  # every one counted
    assert picture.count("<circle") + picture.count('stroke-linecap="round"') == 1
    assert 'x1="150.0"' in picture and 'x2="708.0"' in picture  # from the first to the last


def test_marks_further_apart_stay_apart():
    days = [START, START + timedelta(days=100), START + timedelta(days=400)]
    assert _picture(days).count("<circle") == 3
    assert _picture(days, "square").count("<rect") == 3


def test_a_long_label_moves_the_marks_right_instead_of_running_into_them():
    label = "Gesendete Nachrichten"  # German for "Messages sent"
    picture = str(draw([Lane(label, [START] * 5000, "dot", "#2f5d62")], START, END, "t"))
    assert f"{label} (5000)" in picture
    first = float(picture.split('<circle cx="', 1)[1].split('"', 1)[0])
    assert first - 4 > width(f"{label} (5000)", 12)  # the widest count a long process has
    assert 'cx="150.0"' in _picture([START])  # a short label keeps its place
